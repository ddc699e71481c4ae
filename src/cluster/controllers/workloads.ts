/**
 * The apps/v1 controllers, run once over the written workloads: the Deployment controller makes
 * a ReplicaSet per Deployment (`<name>-<pod-template-hash>`, the hash label added to its
 * selector, template and pods), the ReplicaSet controller `replicas` pods named by generateName,
 * the StatefulSet controller pods `<name>-<ordinal>` with `hostname`/`subdomain`, the DaemonSet
 * controller one pod per eligible node. Placement: placement.ts. Names: workload-names.ts.
 *
 * Not modelled: rollouts (one ReplicaSet per Deployment, every replica ready), the
 * `controller-revision-hash` label of StatefulSet and DaemonSet pods, pod affinity and
 * topology spread, resources.
 */
import type { Ip } from '../../addr/index.js';
import type { Labels, Node, Pod } from '../objects.js';
import type { PodOwner, PodTemplate, ReplicaSet, Toleration, Workload } from '../workload-objects.js';
import { NameDraws } from './name-draws.js';
import { withKey } from './with-key.js';
import { daemonTolerations, eligibleNodes, whyNoNode } from './placement.js';
import { POD_TEMPLATE_HASH_LABEL, type TakenNames, generatedNames, ownerRng } from './workload-names.js';

/** Labels the StatefulSet controller adds to each pod (stateful_set_utils.go `updateIdentity`). */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** The label the DaemonSet controller stamps on its pods (its template generation; netsim's is always 1). */
export const DAEMONSET_GENERATION_LABEL = 'pod-template-generation';

/** Replicas a controller could not place, and why. */
export interface PendingReplicas {
  /** Index of the workload in the list given. */
  readonly workload: number;
  readonly missing: number;
  readonly reason: string;
}

/** What the controllers made. */
export interface Expansion {
  readonly replicaSets: ReplicaSet[];
  /** The pods. */
  readonly pods: Pod[];
  /**
   * The index of the workload that made each pod, by the pod's index: two lists rather than an
   * object a pod (150,000 in large.yaml).
   */
  readonly podWorkload: number[];
  readonly pending: PendingReplicas[];
}

/** Runs every controller over `workloads`; `taken` holds the pod names already used, per `namespace/name` (read, not written). */
export function expandWorkloads(workloads: readonly Workload[], nodes: readonly Node[], taken: Set<string>): Expansion {
  const out: Expansion = { replicaSets: [], pods: [], podWorkload: [], pending: [] };
  const cursor = { next: 0 };
  const eligible = eligibleCache(nodes);
  const namesIn = namespaceNames(taken, workloads);
  workloads.forEach((w, i) => {
    if (w.kind === 'DaemonSet') return daemonPods(w, i, eligible, namesIn(w.namespace), out);
    const placed = placeReplicas(w, nodes, eligible(w.template.nodeSelector, w.template.tolerations), cursor);
    if (placed.length < w.replicas) out.pending.push({ workload: i, missing: w.replicas - placed.length, reason: whyNoNode(nodes, w.template.nodeSelector, w.template.tolerations) });
    if (w.kind === 'StatefulSet') return statefulPods(w, i, placed, out);
    const rs = w.kind === 'Deployment' ? deploymentReplicaSet(w) : replicaSetOf(w);
    out.replicaSets.push(rs);
    const names = namesIn(w.namespace).names(rs.name, placed.length, ownerRng(w.namespace, rs.name));
    const owner: PodOwner = { kind: 'ReplicaSet', name: rs.name };
    placed.forEach((node, k) => addPod(out, i, podOf(w, rs.template, owner, names[k] ?? '', node)));
    return undefined;
  });
  return out;
}

/** Eligible nodes by template: 10,000 Deployments share a handful of (nodeSelector, tolerations) pairs. */
type Eligible = ((nodeSelector: Labels, tolerations: readonly Toleration[]) => readonly Node[]) & { readonly nodes: readonly Node[] };

function eligibleCache(nodes: readonly Node[]): Eligible {
  const cache = new Map<string, readonly Node[]>();
  const get = (nodeSelector: Labels, tolerations: readonly Toleration[]): readonly Node[] => {
    const key = JSON.stringify([nodeSelector, tolerations]);
    let found = cache.get(key);
    if (found === undefined) cache.set(key, (found = eligibleNodes(nodes, nodeSelector, tolerations)));
    return found;
  };
  return Object.assign(get, { nodes });
}

/** The nodes of a workload's replicas: the template's nodeName, or round-robin over the eligible nodes. */
function placeReplicas(w: Workload, nodes: readonly Node[], eligible: readonly Node[], cursor: { next: number }): string[] {
  const fixed = w.template.nodeName;
  if (fixed !== undefined) return nodes.some((n) => n.name === fixed) ? Array.from({ length: w.replicas }, () => fixed) : [];
  if (eligible.length === 0) return [];
  return Array.from({ length: w.replicas }, () => eligible[cursor.next++ % eligible.length]?.name ?? '');
}

/** `getNewReplicaSet`: the hash label joins the template, the selector and the ReplicaSet's labels. */
function deploymentReplicaSet(d: Workload): ReplicaSet {
  const hash = d.podTemplateHash ?? '';
  const template = withKey(d.template, 'labels', withKey(d.template.labels, POD_TEMPLATE_HASH_LABEL, hash));
  return {
    name: `${d.name}-${hash}`,
    namespace: d.namespace,
    labels: template.labels,
    replicas: d.replicas,
    selector: withKey(d.selector, 'matchLabels', withKey(d.selector.matchLabels, POD_TEMPLATE_HASH_LABEL, hash)),
    template,
    deployment: d.name,
  };
}

function replicaSetOf(w: Workload): ReplicaSet {
  return { name: w.name, namespace: w.namespace, labels: w.labels, replicas: w.replicas, selector: w.selector, template: w.template };
}

/** Pods `<name>-<ordinal>` with the StatefulSet's identity labels, hostname and subdomain. */
function statefulPods(w: Workload, index: number, placed: readonly string[], out: Expansion): void {
  const start = w.ordinalStart ?? 0;
  placed.forEach((node, k) => {
    const name = `${w.name}-${start + k}`;
    const labels = { ...w.template.labels, [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(start + k) };
    const pod = podOf(w, { ...w.template, labels }, { kind: 'StatefulSet', name: w.name }, name, node);
    // updateIdentity: hostname is the pod's name, subdomain the StatefulSet's serviceName (the template's are overwritten).
    const { hostname: _h, subdomain: _s, ...dns } = pod.dns ?? { policy: 'ClusterFirst' as const };
    const identity = { ...dns, hostname: name, ...(w.serviceName === undefined ? {} : { subdomain: w.serviceName }) };
    addPod(out, index, { ...pod, dns: identity });
  });
}

/** One pod on each eligible node, in node order. */
function daemonPods(w: Workload, index: number, eligibleOf: Eligible, taken: Draws, out: Expansion): void {
  const tolerations = [...w.template.tolerations, ...daemonTolerations(w.template.hostNetwork)];
  const eligible = eligibleOf(w.template.nodeSelector, tolerations);
  if (eligible.length === 0) out.pending.push({ workload: index, missing: 0, reason: whyNoNode(eligibleOf.nodes, w.template.nodeSelector, tolerations) });
  const names = taken.names(w.name, eligible.length, ownerRng(w.namespace, w.name));
  const template = withKey(w.template, 'labels', withKey(w.template.labels, DAEMONSET_GENERATION_LABEL, '1'));
  // One owner object for all of them, as the template's labels and containers are shared.
  const owner: PodOwner = { kind: 'DaemonSet', name: w.name };
  eligible.forEach((node, k) => addPod(out, index, podOf(w, template, owner, names[k] ?? '', node.name)));
}

function addPod(out: Expansion, workload: number, pod: Pod): void {
  out.pods.push(pod);
  out.podWorkload.push(workload);
}

/** The podIPs of every controller's pod: none until the CNI plugin gives them (one shared empty list, not 150,000). */
const NO_POD_IPS: readonly Ip[] = [];

function podOf(w: Workload, template: PodTemplate, owner: PodOwner, name: string, nodeName: string): Pod {
  // Two literals rather than a spread of `pos`: the same keys in the same order, without a
  // throwaway object for each of 150,000 pods.
  const { hostNetwork, containers } = template;
  if (w.pos === undefined) {
    return { name, namespace: w.namespace, labels: template.labels, nodeName, scheduledBy: 'controller', hostNetwork, podIPs: NO_POD_IPS, ready: true, terminating: false, containers, owner };
  }
  return { name, namespace: w.namespace, labels: template.labels, pos: w.pos, nodeName, scheduledBy: 'controller', hostNetwork, podIPs: NO_POD_IPS, ready: true, terminating: false, containers, owner };
}

/** Names drawn in one namespace. */
type Draws = Pick<NameDraws, 'names'>;

/**
 * The draws of each namespace, from `taken` (keys `namespace/name`): name-draws.ts's numbers per
 * prefix, so that 150,000 generated names are not each joined to their namespace, or hashed,
 * to be looked up and added. A namespace with a `/` in it (refused by validation, yet still
 * read) would make the keys ambiguous, so then the shared set of keys is used as it is.
 */
function namespaceNames(taken: Set<string>, workloads: readonly Workload[]): (namespace: string) => Draws {
  if (workloads.some((w) => w.namespace.includes('/'))) {
    return (namespace) => {
      const prefix = `${namespace}/`;
      const names: TakenNames = { has: (name) => taken.has(prefix + name), add: (name) => void taken.add(prefix + name) };
      return { names: (owner, count, rng) => generatedNames(owner, count, rng, names) };
    };
  }
  const draws = new Map<string, NameDraws>();
  return (namespace) => {
    let found = draws.get(namespace);
    if (found === undefined) {
      const prefix = `${namespace}/`;
      const names: string[] = [];
      for (const key of taken) if (key.startsWith(prefix)) names.push(key.slice(prefix.length));
      draws.set(namespace, (found = new NameDraws(names)));
    }
    return found;
  };
}
