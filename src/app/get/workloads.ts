/**
 * `kubectl get deployments|replicasets|statefulsets|daemonsets`: the columns of kubectl's
 * printers (pkg/printers/internalversion/printers.go: printDeployment, printReplicaSet,
 * printStatefulSet, printDaemonSet) and the objects of `-o json|yaml`. Every pod netsim placed
 * is ready and up to date (no rollouts are modelled), so READY counts the placed pods.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { Labels, PodTemplate, ReplicaSet, Workload } from '../../cluster/objects.js';
import { formatSelector, selectsEverything } from '../../policy/selector.js';
import type { LabelSelector } from '../../policy/api.js';
import { type Columns, UNKNOWN_AGE } from './columns.js';
import type { Json } from './objects.js';

/** A workload with the number of pods its controller placed. */
export interface WorkloadState {
  readonly kind: Workload['kind'];
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly desired: number;
  readonly current: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplate;
}

const NONE = '<none>';

/** Pods per owner (`Kind namespace/name`). */
function ownerCounts(built: BuiltCluster): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of built.spec.pods) {
    if (p.owner === undefined) continue;
    const key = `${p.owner.kind} ${p.namespace}/${p.owner.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The Deployments, StatefulSets or DaemonSets of the scenario, or every ReplicaSet. */
export function workloadStates(built: BuiltCluster, kind: Workload['kind']): WorkloadState[] {
  const counts = ownerCounts(built);
  if (kind === 'ReplicaSet') return (built.spec.replicaSets ?? []).map((rs) => rsState(rs, counts));
  const rsOf = new Map((built.spec.replicaSets ?? []).filter((rs) => rs.deployment !== undefined).map((rs) => [`${rs.namespace}/${rs.deployment ?? ''}`, rs.name]));
  return (built.spec.workloads ?? []).filter((w) => w.kind === kind).map((w) => {
    const owner = w.kind === 'Deployment' ? `ReplicaSet ${w.namespace}/${rsOf.get(`${w.namespace}/${w.name}`) ?? ''}` : `${w.kind} ${w.namespace}/${w.name}`;
    const current = counts.get(owner) ?? 0;
    return { kind: w.kind, name: w.name, namespace: w.namespace, labels: w.labels, desired: w.kind === 'DaemonSet' ? current : w.replicas, current, selector: w.selector, template: w.template };
  });
}

function rsState(rs: ReplicaSet, counts: ReadonlyMap<string, number>): WorkloadState {
  return { kind: 'ReplicaSet', name: rs.name, namespace: rs.namespace, labels: rs.labels, desired: rs.replicas, current: counts.get(`ReplicaSet ${rs.namespace}/${rs.name}`) ?? 0, selector: rs.selector, template: rs.template };
}

/** The wide columns CONTAINERS, IMAGES (layoutContainerCells) and SELECTOR. */
function containerCells(t: PodTemplate): string[] {
  return [t.containers.map((c) => c.name).join(','), t.containers.map((c) => c.image ?? '').join(',')];
}

function selectorText(s: LabelSelector): string {
  return selectsEverything(s) ? NONE : formatSelector(s);
}

/** labels.FormatLabels of the nodeSelector, sorted by key. */
function nodeSelectorText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? NONE : keys.map((k) => `${k}=${labels[k] ?? ''}`).join(',');
}

export const DEPLOYMENT_COLUMNS: Columns<WorkloadState> = {
  header: (wide) => ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row: (w, wide) => [w.name, `${w.current}/${w.desired}`, `${w.current}`, `${w.current}`, UNKNOWN_AGE, ...(wide ? [...containerCells(w.template), selectorText(w.selector)] : [])],
};

export const REPLICA_SET_COLUMNS: Columns<WorkloadState> = {
  header: (wide) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row: (w, wide) => [w.name, `${w.desired}`, `${w.current}`, `${w.current}`, UNKNOWN_AGE, ...(wide ? [...containerCells(w.template), selectorText(w.selector)] : [])],
};

export const STATEFUL_SET_COLUMNS: Columns<WorkloadState> = {
  header: (wide) => ['NAME', 'READY', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES'] : [])],
  row: (w, wide) => [w.name, `${w.current}/${w.desired}`, UNKNOWN_AGE, ...(wide ? containerCells(w.template) : [])],
};

export const DAEMON_SET_COLUMNS: Columns<WorkloadState> = {
  header: (wide) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
  row: (w, wide) => [w.name, `${w.desired}`, `${w.current}`, `${w.current}`, `${w.current}`, `${w.current}`, nodeSelectorText(w.template.nodeSelector), UNKNOWN_AGE, ...(wide ? [...containerCells(w.template), selectorText(w.selector)] : [])],
};

/** The object of `-o json`: metadata, spec (replicas, selector, template) and status counts. */
export function workloadObject(w: WorkloadState): Json {
  const t = w.template;
  const selector: Json = {
    ...(Object.keys(w.selector.matchLabels).length > 0 ? { matchLabels: { ...w.selector.matchLabels } } : {}),
    ...(w.selector.matchExpressions.length > 0 ? { matchExpressions: w.selector.matchExpressions.map((r) => ({ key: r.key, operator: r.operator, ...(r.values.length > 0 ? { values: [...r.values] } : {}) })) } : {}),
  };
  const podSpec: Json = {
    containers: t.containers.map((c) => ({ name: c.name, ...(c.image !== undefined ? { image: c.image } : {}), ...(c.ports.length > 0 ? { ports: c.ports.map((p) => ({ containerPort: p.containerPort, ...(p.name !== undefined ? { name: p.name } : {}), protocol: p.protocol })) } : {}) })),
    ...(t.hostNetwork ? { hostNetwork: true } : {}),
    ...(Object.keys(t.nodeSelector).length > 0 ? { nodeSelector: { ...t.nodeSelector } } : {}),
    ...(t.tolerations.length > 0 ? { tolerations: t.tolerations.map((x) => ({ ...(x.key !== '' ? { key: x.key } : {}), operator: x.operator, ...(x.value !== '' ? { value: x.value } : {}), ...(x.effect !== undefined ? { effect: x.effect } : {}) })) } : {}),
  };
  const status: Json = w.kind === 'DaemonSet'
    ? { currentNumberScheduled: w.current, desiredNumberScheduled: w.desired, numberAvailable: w.current, numberMisscheduled: 0, numberReady: w.current, updatedNumberScheduled: w.current }
    : { availableReplicas: w.current, readyReplicas: w.current, replicas: w.current, ...(w.kind === 'ReplicaSet' ? {} : { updatedReplicas: w.current }) };
  return {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: { name: w.name, namespace: w.namespace, ...(Object.keys(w.labels).length > 0 ? { labels: { ...w.labels } } : {}) },
    spec: { ...(w.kind === 'DaemonSet' ? {} : { replicas: w.desired }), selector, template: { metadata: { labels: { ...t.labels } }, spec: podSpec } },
    status,
  };
}
