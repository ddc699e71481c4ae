/**
 * From parsed documents to raw objects: each document (or each item of a `kind: List`) is
 * dispatched on its `kind` to the reader of that kind. Kinds Kubernetes has but netsim does
 * not model (ConfigMap, Job, …) are skipped with a warning, so whole-namespace
 * `kubectl get -o yaml` dumps load; any other kind is an error. Objects in Calico's API groups
 * go to read-calico.ts, whatever their kind.
 */
import { type Diagnostic, type SourcePos, error } from '../diag/diagnostic.js';
import { LIST } from './fields.js';
import { CALICO_API_VERSIONS, CALICO_KINDS, isCalicoApiVersion, readCalicoObject } from './read-calico.js';
import { readAdminNetworkPolicy, readBaselineAdminNetworkPolicy } from './read-admin-netpol.js';
import { readCluster } from './read-cluster.js';
import { readNamespace } from './read-namespace.js';
import { readNetworkPolicy } from './read-netpol.js';
import { readNode } from './read-node.js';
import { readPod } from './read-pod.js';
import { readService } from './read-service.js';
import { readSlice } from './read-slice.js';
import { readWorkload } from './read-workload.js';
import type { RawScenario } from './raw.js';
import { type Field, absent, child, fail, isMap, missing, optList, optMap, optString, reroot, rootField, warn, wrongType } from './reader.js';
import { type SourceDoc, offsetPos, positionOf } from './source.js';

/** The API group and version of AdminNetworkPolicy and BaselineAdminNetworkPolicy (network-policy-api v0.1). */
export const ADMIN_API_VERSION = 'policy.networking.k8s.io/v1alpha1';

/** The reader of each kind, and the apiVersion netsim expects it with. */
const KINDS: Readonly<Record<string, { readonly apiVersion: string; readonly read: (f: Field, out: RawScenario) => void }>> = {
  Cluster: { apiVersion: 'netsim.dev/v1alpha1', read: (f, out) => pushDefined(out.clusters, readCluster(f, out.nodes)) },
  Namespace: { apiVersion: 'v1', read: (f, out) => pushDefined(out.namespaces, readNamespace(f)) },
  Node: { apiVersion: 'v1', read: (f, out) => pushDefined(out.nodes, readNode(f)) },
  Pod: { apiVersion: 'v1', read: (f, out) => pushDefined(out.pods, readPod(f)) },
  Service: { apiVersion: 'v1', read: (f, out) => pushDefined(out.services, readService(f)) },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', read: (f, out) => pushDefined(out.slices, readSlice(f)) },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', read: (f, out) => pushDefined(out.networkPolicies, readNetworkPolicy(f)) },
  AdminNetworkPolicy: { apiVersion: ADMIN_API_VERSION, read: (f, out) => pushDefined(out.adminNetworkPolicies, readAdminNetworkPolicy(f)) },
  BaselineAdminNetworkPolicy: { apiVersion: ADMIN_API_VERSION, read: (f, out) => pushDefined(out.baselineAdminNetworkPolicies, readBaselineAdminNetworkPolicy(f)) },
  Deployment: { apiVersion: 'apps/v1', read: (f, out) => pushDefined(out.workloads, readWorkload(f, 'Deployment')) },
  ReplicaSet: { apiVersion: 'apps/v1', read: (f, out) => pushDefined(out.workloads, readWorkload(f, 'ReplicaSet')) },
  StatefulSet: { apiVersion: 'apps/v1', read: (f, out) => pushDefined(out.workloads, readWorkload(f, 'StatefulSet')) },
  DaemonSet: { apiVersion: 'apps/v1', read: (f, out) => pushDefined(out.workloads, readWorkload(f, 'DaemonSet')) },
  List: { apiVersion: 'v1', read: readList },
};

/** Kubernetes kinds that load with SCN_IGNORED_KIND: they exist, netsim does not model them. */
export const IGNORED_KINDS: readonly string[] = [
  'ConfigMap', 'ControllerRevision', 'CronJob', 'Endpoints', 'Event', 'HorizontalPodAutoscaler',
  'Ingress', 'IngressClass', 'Job', 'Lease', 'LimitRange', 'PersistentVolume', 'PersistentVolumeClaim',
  'PodDisruptionBudget', 'ResourceQuota', 'Role', 'RoleBinding', 'Secret', 'ServiceAccount',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass',
];

/** Reads every document into `out`; problems go to `diags`. */
export function readDocuments(docs: readonly SourceDoc[], out: RawScenario, diags: Diagnostic[]): void {
  for (const src of docs) {
    let value: unknown;
    try {
      value = src.tree.toJS();
    } catch (e) {
      // toJS throws on alias bombs (undefined aliases are refused before): input problems, not bugs.
      diags.push(error('SCN_YAML_SYNTAX', e instanceof Error ? e.message : String(e), firstAliasPos(src)));
      continue;
    }
    readDocument(src, value, out, diags);
  }
}

/** Reads one document's value (its object, or a List's objects) into `out`. */
export function readDocument(src: SourceDoc, value: unknown, out: RawScenario, diags: Diagnostic[]): void {
  readObject(rootField({ src, diags, root: [] }, value), out);
}

/** Where an alias bomb starts: the document's first alias (its start when it has none). */
function firstAliasPos(src: SourceDoc): SourcePos {
  const at = src.tree.aliasOffset();
  return at === undefined ? positionOf(src, []) : offsetPos(src.file, src.lines, at);
}

function readObject(f: Field, out: RawScenario): void {
  if (!isMap(f.value)) {
    wrongType(f, 'a Kubernetes object (a mapping with apiVersion and kind)');
    return;
  }
  const kindField = child(f, 'kind');
  const versionField = child(f, 'apiVersion');
  const kind = absent(kindField) ? missing(f, 'kind') : optString(kindField);
  const apiVersion = absent(versionField) ? missing(f, 'apiVersion') : optString(versionField);
  if (kind === undefined) return;
  if (isCalicoApiVersion(apiVersion)) {
    readCalicoObject(f, kind, out);
    return;
  }
  const entry = KINDS[kind];
  if (entry === undefined) {
    if (CALICO_KINDS.includes(kind)) fail(child(f, apiVersion === undefined ? 'kind' : 'apiVersion'), 'SCN_UNKNOWN_KIND', `${kind} is a Calico kind, read as apiVersion ${CALICO_API_VERSIONS.join(' or ')}${apiVersion === undefined ? '' : `, not ${apiVersion}`}`);
    else if (IGNORED_KINDS.includes(kind)) warn(child(f, 'kind'), 'SCN_IGNORED_KIND', `netsim does not model ${kind} objects; skipped`);
    else fail(child(f, 'kind'), 'SCN_UNKNOWN_KIND', `unknown kind ${kind}; netsim reads ${Object.keys(KINDS).join(', ')}`);
    return;
  }
  if (apiVersion !== undefined && apiVersion !== entry.apiVersion) {
    fail(child(f, 'apiVersion'), 'SCN_UNKNOWN_KIND', `${kind} is read as apiVersion ${entry.apiVersion}, not ${apiVersion}`);
    return;
  }
  entry.read(f, out);
}

/** `kind: List` (kubectl's wrapper): each item is read as if it were its own document. */
function readList(f: Field, out: RawScenario): void {
  optMap(f, LIST);
  const items = optList(child(f, 'items')) ?? [];
  for (const item of items) readObject(reroot(item), out);
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}
