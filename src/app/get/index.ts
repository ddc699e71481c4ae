/**
 * `netsim get KIND` as a function: the built cluster's Nodes, Pods, Services, EndpointSlices and
 * apps/v1 workloads (Deployments, ReplicaSets, StatefulSets, DaemonSets)
 * as `kubectl get` prints them: a table (`-o wide` adds its priority-1 columns), or a `v1 List`
 * of the objects as JSON or YAML (`-o json|yaml`, keys in the order kubectl prints them).
 */
import { stringify } from 'yaml';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { tabwrite } from '../../render/tabwriter.js';
import { type Columns, ENDPOINT_SLICE_COLUMNS, NODE_COLUMNS, POD_COLUMNS, SERVICE_COLUMNS } from './columns.js';
import { DAEMON_SET_COLUMNS, DEPLOYMENT_COLUMNS, REPLICA_SET_COLUMNS, STATEFUL_SET_COLUMNS, type WorkloadState, workloadObject, workloadStates } from './workloads.js';
import { type Json, endpointSliceObject, listObject, nodeObject, podObject, podStates, serviceObject } from './objects.js';

export { UNKNOWN_AGE, nodeRoles } from './columns.js';

/** The kinds `get` lists, by kubectl's plural names. */
export const GET_KINDS = ['nodes', 'pods', 'services', 'endpointslices', 'deployments', 'replicasets', 'statefulsets', 'daemonsets'] as const;

/** One kind. */
export type GetKind = (typeof GET_KINDS)[number];

/** kubectl's other spellings of each kind: singular and short names. */
const KIND_ALIASES: Readonly<Record<string, GetKind>> = {
  node: 'nodes', no: 'nodes',
  pod: 'pods', po: 'pods',
  service: 'services', svc: 'services',
  endpointslice: 'endpointslices',
  deployment: 'deployments', deploy: 'deployments',
  replicaset: 'replicasets', rs: 'replicasets',
  statefulset: 'statefulsets', sts: 'statefulsets',
  daemonset: 'daemonsets', ds: 'daemonsets',
};

/** The apps/v1 kinds and their Kind. */
const WORKLOAD_KINDS = { deployments: 'Deployment', replicasets: 'ReplicaSet', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' } as const;

/** Every name `get` accepts for a kind (`pods`, `pod`, `po`, …). */
export const GET_KIND_NAMES: readonly string[] = [...GET_KINDS, ...Object.keys(KIND_ALIASES)];

/** The kind a name stands for (`svc` → services), or undefined. */
export function getKindOf(name: string): GetKind | undefined {
  return (GET_KINDS as readonly string[]).includes(name) ? (name as GetKind) : KIND_ALIASES[name];
}

/** `-o`: the table, the wide table, or the objects. */
export const GET_OUTPUTS = ['wide', 'json', 'yaml'] as const;

/** One output format; absent is the plain table. */
export type GetOutput = (typeof GET_OUTPUTS)[number];

/** What to list. */
export interface GetOptions {
  readonly kind: GetKind;
  readonly output?: GetOutput;
  /** `-n NS` (default `default`); ignored for nodes, which have no namespace. */
  readonly namespace?: string;
  /** `-A`: every namespace, with a NAMESPACE column first. */
  readonly allNamespaces?: boolean;
}

/** What `get` prints: the listing, or kubectl's "No resources found" notice (for stderr). */
export type GetResult = { readonly text: string } | { readonly notice: string };

/** A listed object: its namespace (namespaced kinds), its table row and its API object. */
interface Listed {
  readonly namespace?: string;
  readonly name: string;
  readonly row: (wide: boolean) => string[];
  readonly object: Json;
}

/** The table's header row of a kind. */
function headerOf(kind: GetKind, wide: boolean): string[] {
  return columnsOf(kind).header(wide);
}

function columnsOf(kind: GetKind): Columns<never> {
  const table: Record<GetKind, Columns<never>> = {
    nodes: NODE_COLUMNS, pods: POD_COLUMNS, services: SERVICE_COLUMNS, endpointslices: ENDPOINT_SLICE_COLUMNS,
    deployments: DEPLOYMENT_COLUMNS, replicasets: REPLICA_SET_COLUMNS, statefulsets: STATEFUL_SET_COLUMNS, daemonsets: DAEMON_SET_COLUMNS,
  };
  return table[kind];
}

/** Every object of a kind in the built cluster. */
function objectsOf(built: BuiltCluster, kind: GetKind): Listed[] {
  switch (kind) {
    case 'nodes':
      return built.spec.nodes.map((n) => ({ name: n.name, row: (w) => NODE_COLUMNS.row(n, w), object: nodeObject(n) }));
    case 'pods':
      return podStates(built).map((s) => ({ namespace: s.pod.namespace, name: s.pod.name, row: (w) => POD_COLUMNS.row(s, w), object: podObject(s) }));
    case 'services':
      return built.spec.services.map((s) => ({ namespace: s.namespace, name: s.name, row: (w) => SERVICE_COLUMNS.row(s, w), object: serviceObject(s) }));
    case 'endpointslices':
      return built.endpointSlices.map((s) => ({ namespace: s.namespace, name: s.name, row: (w) => ENDPOINT_SLICE_COLUMNS.row(s, w), object: endpointSliceObject(s) }));
    case 'deployments':
    case 'replicasets':
    case 'statefulsets':
    case 'daemonsets': {
      const columns = columnsOf(kind) as Columns<WorkloadState>;
      return workloadStates(built, WORKLOAD_KINDS[kind]).map((s) => ({ namespace: s.namespace, name: s.name, row: (w) => columns.row(s, w), object: workloadObject(s) }));
    }
  }
}

/** In the API server's order: by namespace, then name (etcd's key order). */
function byKey(a: Listed, b: Listed): number {
  const ka = `${a.namespace ?? ''}/${a.name}`;
  const kb = `${b.namespace ?? ''}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `kubectl get KIND [-n NS | -A] [-o wide|json|yaml]` over the built cluster. */
export function getText(built: BuiltCluster, opts: GetOptions): GetResult {
  const namespaced = opts.kind !== 'nodes';
  const all = opts.allNamespaces === true || !namespaced;
  const ns = opts.namespace ?? 'default';
  const listed = objectsOf(built, opts.kind)
    .filter((o) => all || o.namespace === ns)
    .sort(byKey);
  if (opts.output === 'json') return { text: `${JSON.stringify(listObject(listed.map((o) => o.object)), null, 4)}\n` };
  if (opts.output === 'yaml') return { text: stringify(listObject(listed.map((o) => o.object)), { indentSeq: false, lineWidth: 0 }) };
  if (listed.length === 0) return { notice: all ? 'No resources found\n' : `No resources found in ${ns} namespace.\n` };
  const wide = opts.output === 'wide';
  const withNs = namespaced && opts.allNamespaces === true;
  const rows = [
    [...(withNs ? ['NAMESPACE'] : []), ...headerOf(opts.kind, wide)],
    ...listed.map((o) => [...(withNs ? [o.namespace ?? ''] : []), ...o.row(wide)]),
  ];
  return { text: tabwrite(rows) };
}
