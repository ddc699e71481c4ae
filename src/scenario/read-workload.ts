/**
 * Reading the apps/v1 workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet) as the API
 * server validates them (pkg/apis/apps/validation: ValidateDeploymentSpec, ValidateReplicaSetSpec,
 * ValidateStatefulSetSpec, ValidateDaemonSetSpec): a selector that is required and not empty,
 * template labels it matches, replicas ≥ 0, the pod template read as a Pod's spec is, plus
 * nodeSelector and tolerations (which decide the placement, cluster/controllers/placement.ts).
 */
import type { LabelSelector, PodTemplate, Workload, WorkloadKind } from '../cluster/objects.js';
import { templateHash } from '../cluster/controllers/workload-names.js';
import { selectorMatches } from '../policy/selector.js';
import { DAEMON_SET_SPEC, DEPLOYMENT_SPEC, type FieldSet, OBJECT_META, POD_TEMPLATE, REPLICA_SET_SPEC, STATEFUL_SET_ORDINALS, STATEFUL_SET_SPEC, TEMPLATE_POD_SPEC, WORKLOAD } from './fields.js';
import { readMeta } from './read-meta.js';
import { readPodSpec } from './read-pod.js';
import { optSelector } from './read-selector.js';
import { readTolerations } from './read-taints.js';
import type { RawWorkload } from './raw.js';
import { type Field, absent, child, fail, fieldName, missing, optMap } from './reader.js';
import { optIntField, optLabels, optText } from './validate/index.js';

const SPECS: Readonly<Record<WorkloadKind, FieldSet>> = {
  Deployment: DEPLOYMENT_SPEC, ReplicaSet: REPLICA_SET_SPEC, StatefulSet: STATEFUL_SET_SPEC, DaemonSet: DAEMON_SET_SPEC,
};

/** Reads a workload of `kind`; undefined (and reported) when it cannot make pods. */
export function readWorkload(obj: Field, kind: WorkloadKind): RawWorkload | undefined {
  optMap(obj, WORKLOAD);
  const meta = readMeta(obj, kind);
  if (meta === undefined) return undefined;
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, SPECS[kind]) === undefined) return undefined;
  const replicasField = child(spec, 'replicas');
  const replicas = kind === 'DaemonSet' ? 0 : absent(replicasField) ? 1 : optIntField(replicasField, 'Workload spec.replicas');
  const selector = readWorkloadSelector(child(spec, 'selector'), spec, kind);
  const templateField = child(spec, 'template');
  const template = absent(templateField) ? missing(spec, 'template') : readTemplate(templateField, selector);
  const serviceName = kind === 'StatefulSet' ? optText(child(spec, 'serviceName'), 'StatefulSet spec.serviceName') || undefined : undefined;
  const ordinals = child(spec, 'ordinals');
  const ordinalStart = kind === 'StatefulSet' && optMap(ordinals, STATEFUL_SET_ORDINALS) !== undefined ? optIntField(child(ordinals, 'start'), 'StatefulSet spec.ordinals.start') : undefined;
  if (replicas === undefined || selector === undefined || template === undefined) return undefined;
  const workload: Workload = {
    kind,
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    replicas,
    selector,
    template,
    pos: meta.pos,
    ...(serviceName === undefined ? {} : { serviceName }),
    ...(ordinalStart === undefined ? {} : { ordinalStart }),
    ...(kind === 'Deployment' ? { podTemplateHash: templateHash(templateField.value) } : {}),
  };
  return { meta, workload, templateNodeName: child(child(templateField, 'spec'), 'nodeName') };
}

/** `spec.selector`: required in apps/v1, and not empty (it would adopt every pod of the namespace). */
function readWorkloadSelector(f: Field, spec: Field, kind: WorkloadKind): LabelSelector | undefined {
  if (absent(f)) return missing(spec, 'selector');
  const selector = optSelector(f);
  if (selector === undefined) return undefined;
  if (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Invalid value: "{}": empty selector is invalid for ${kind === 'Deployment' ? 'deployment' : kind}`);
    return undefined;
  }
  return selector;
}

/** `spec.template`: labels the selector must match, and the pod spec. */
function readTemplate(f: Field, selector: LabelSelector | undefined): PodTemplate | undefined {
  if (optMap(f, POD_TEMPLATE) === undefined) return undefined;
  const meta = child(f, 'metadata');
  optMap(meta, OBJECT_META);
  const labelsField = child(meta, 'labels');
  const labels = optLabels(labelsField, 'metadata.labels key', 'metadata.labels value') ?? {};
  if (selector !== undefined && !selectorMatches(selector, labels)) {
    fail(absent(labelsField) ? f : labelsField, 'SCN_SELECTOR_MISMATCH', `spec.template.metadata.labels: Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``);
  }
  const spec = child(f, 'spec');
  if (absent(spec)) return missing(f, 'spec');
  if (optMap(spec, TEMPLATE_POD_SPEC) === undefined) return undefined;
  const { nodeName, hostNetwork, containers } = readPodSpec(spec);
  return {
    labels,
    hostNetwork,
    containers,
    nodeSelector: optLabels(child(spec, 'nodeSelector'), 'Pod spec.nodeSelector key', 'Pod spec.nodeSelector value') ?? {},
    tolerations: readTolerations(child(spec, 'tolerations')),
    ...(nodeName === undefined ? {} : { nodeName: nodeName.value }),
  };
}

/** A label map as Go's `%#v` prints it in field.Invalid: `map[string]string{"app":"web"}`, keys sorted. */
function goMap(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k] ?? '')}`).join(', ')}}`;
}
