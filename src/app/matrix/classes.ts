/**
 * Equivalence classes of pods for the reachability matrix: two pods are in one class when
 * nothing that can change a datapath verdict tells them apart — their node (routes, the local
 * bridge or veth), their namespace and its labels (namespace selectors, the namespace's
 * policies), their labels (pod selectors), their container ports (named ports), hostNetwork, and
 * which ipBlocks of any policy hold their address. A cell is then a function of its two classes,
 * so the matrix traces one pair per pair of classes, not one per pair of pods.
 *
 * The diagonal (a pod to itself: the loopback inside the pod's namespace, never through its
 * veth) is a situation of its own, and a class's other cells (two distinct pods of one class)
 * need two distinct members: both are computed separately, once per class.
 */
import type { Ip } from '../../addr/index.js';
import { type IPBlock, type PolicyPod, type PolicyWorld, ipBlockContains, namespaceLabels } from '../../policy/index.js';

/** A pod as the classes see it: its policy view, its node and the address the matrix uses. */
export interface ClassedPod {
  readonly pod: PolicyPod & { readonly nodeName: string };
  readonly ip?: Ip;
}

/** Every ipBlock of every peer of every policy (ingress and egress), in the world's order. */
export function policyBlocks(world: PolicyWorld): IPBlock[] {
  const peers = world.policies.flatMap((p) => [...p.ingress.flatMap((r) => r.from), ...p.egress.flatMap((r) => r.to)]);
  return peers.flatMap((peer) => (peer.ipBlock === undefined ? [] : [peer.ipBlock]));
}

/** The pod's policy situation as a string: equal strings, equal verdicts. */
export function situationKey(world: PolicyWorld, blocks: readonly IPBlock[], p: ClassedPod): string {
  const { pod } = p;
  const sorted = (r: Readonly<Record<string, string>>): [string, string][] => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const inBlocks = p.ip === undefined ? '-' : blocks.map((b) => (ipBlockContains(b, p.ip as Ip) ? '1' : '0')).join('');
  return JSON.stringify([
    pod.nodeName,
    pod.namespace,
    sorted(namespaceLabels(world, pod.namespace)),
    sorted(pod.labels),
    pod.containers.map((c) => c.ports),
    pod.hostNetwork,
    p.ip?.family ?? 0,
    inBlocks,
  ]);
}

/** Pods grouped: the class of each pod, and each class's members (ascending, the first is its representative). */
export interface PodClasses {
  readonly classOf: readonly number[];
  readonly members: readonly (readonly number[])[];
}

/** Groups pods by key, classes numbered in order of first appearance. */
export function groupByKey(keys: readonly string[]): PodClasses {
  const ids = new Map<string, number>();
  const members: number[][] = [];
  const classOf = keys.map((k, i) => {
    let id = ids.get(k);
    if (id === undefined) {
      id = members.length;
      ids.set(k, id);
      members.push([]);
    }
    members[id]?.push(i);
    return id;
  });
  return { classOf, members };
}

/** The classes of `pods` under `world`'s policies. */
export function podClasses(world: PolicyWorld, pods: readonly ClassedPod[]): PodClasses {
  const blocks = policyBlocks(world);
  return groupByKey(pods.map((p) => situationKey(world, blocks, p)));
}
