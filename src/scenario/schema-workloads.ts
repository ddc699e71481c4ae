/** JSON Schema definitions of the apps/v1 workloads, their pod template, and taints and tolerations. */
import * as F from './fields.js';
import { TAINT_EFFECTS } from './read-taints.js';
import { type Schema, bool, enm, int, list, object, ref, str } from './schema-kit.js';

const api: Schema = { const: 'apps/v1', description: 'API group and version' };
const replicas = int('Pods to run (default 1)', 0, 2147483647, { default: 1 });
const selector = ref('LabelSelector', 'The pods it owns: must match the template\'s labels, and not be empty');
const template = ref('PodTemplate', 'The pod every replica is made from');

/** The Taint schema (Node spec.taints and Cluster spec.nodes[].taints). */
export const taintSchema = (): Schema => list(ref('Taint'), 'Taints: pods that do not tolerate a NoSchedule or NoExecute one are not placed on the node');

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, PodTemplate, TemplatePodSpec, Toleration, Taint. */
export function workloadDefs(): Record<string, Schema> {
  const workload = (k: string, spec: string, d: string): Schema => object(F.WORKLOAD, { apiVersion: api, kind: { const: k, description: 'object kind' }, metadata: ref('ObjectMeta'), spec: ref(spec) }, d, ['apiVersion', 'kind', 'metadata', 'spec']);
  return {
    Deployment: workload('Deployment', 'DeploymentSpec', 'A Deployment: one ReplicaSet <name>-<pod-template-hash>, its pods <rs>-<5 characters>'),
    DeploymentSpec: object(F.DEPLOYMENT_SPEC, { replicas, selector, template }, 'DeploymentSpec', ['selector', 'template']),
    ReplicaSet: workload('ReplicaSet', 'ReplicaSetSpec', 'A ReplicaSet: pods <name>-<5 characters>'),
    ReplicaSetSpec: object(F.REPLICA_SET_SPEC, { replicas, selector, template }, 'ReplicaSetSpec', ['selector', 'template']),
    StatefulSet: workload('StatefulSet', 'StatefulSetSpec', 'A StatefulSet: pods <name>-0 … <name>-N-1, hostname and subdomain set'),
    StatefulSetSpec: object(F.STATEFUL_SET_SPEC, {
      replicas, selector, template,
      serviceName: str('The governing headless Service: the pods\' subdomain'),
      ordinals: object(F.STATEFUL_SET_ORDINALS, { start: int('The first ordinal', 0, 2147483647, { default: 0 }) }, 'StatefulSetOrdinals'),
    }, 'StatefulSetSpec', ['selector', 'template']),
    DaemonSet: workload('DaemonSet', 'DaemonSetSpec', 'A DaemonSet: one pod <name>-<5 characters> on each node its template may run on'),
    DaemonSetSpec: object(F.DAEMON_SET_SPEC, { selector, template }, 'DaemonSetSpec', ['selector', 'template']),
    PodTemplate: object(F.POD_TEMPLATE, { metadata: ref('ObjectMeta'), spec: ref('TemplatePodSpec') }, 'PodTemplateSpec', ['spec']),
    TemplatePodSpec: object(F.TEMPLATE_POD_SPEC, {
      nodeName: str('Node every replica runs on (the scheduler is bypassed)'),
      hostNetwork: bool('Use the node\'s network namespace and address', false),
      containers: list(ref('Container'), 'Containers; only names and ports matter'),
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels a node must carry' },
      tolerations: list(ref('Toleration'), 'Taints the pods tolerate'),
    }, 'Pod spec of a template', ['containers']),
    Toleration: object(F.TOLERATION, {
      key: str('Taint key; empty (with Exists): every taint'),
      operator: enm(['Exists', 'Equal'], 'Exists: any value', 'Equal'),
      value: str('Taint value (Equal)'),
      effect: enm(TAINT_EFFECTS, 'Effect tolerated; omitted: all'),
    }, 'A toleration'),
    Taint: object(F.TAINT, { key: str('Taint key'), value: str('Taint value'), effect: enm(TAINT_EFFECTS, 'NoSchedule, PreferNoSchedule or NoExecute') }, 'A node taint', ['key', 'effect']),
  };
}
