/**
 * Pods: unique `namespace/name`, a node that exists (or one from the round-robin scheduler),
 * and addresses that fit: a fixed `status.podIP` must be a free address of its node's
 * podCIDR, and every node must have room for its pods (the host-local plan in
 * cluster/allocate/pod-ips.ts). With calico, addresses come from the IPPools at build time: a
 * fixed podIP must be unique and inside a pool, nothing else is planned.
 */
import { type Cidr, cidrContains, formatCidr, formatIp, ipEquals } from '../../addr/index.js';
import { type PodIpProblem, planPodIpProblems, scheduleRoundRobin } from '../../cluster/allocate/index.js';
import { type CniConfig, type Node, type Pod, objectKey } from '../../cluster/objects.js';
import type { IpRange } from '../../cni/host-local/config.js';
import type { RawPod } from '../raw.js';
import { fail } from '../reader.js';
import { assertNever } from '../../diag/diagnostic.js';
import { dedupe } from './unique.js';
import type { ResolvedWorkloads } from './workloads.js';

/**
 * Resolves the pods' nodes and checks their addresses: the written Pods, then `made`, the pods
 * the workload controllers made (a name a written Pod already has is reported at the workload).
 */
export function resolvePods(raw: readonly RawPod[], nodes: readonly Node[], cni?: CniConfig, made: Pick<ResolvedWorkloads, 'pods' | 'podWorkload' | 'raws'> = NONE_MADE): Pod[] {
  return resolve(raw, nodes, cni, made, true);
}

/**
 * {@link resolvePods} with every made pod looked up and kept by name: the reference that
 * pods.test.ts holds it equal to.
 */
export function resolvePodsByName(raw: readonly RawPod[], nodes: readonly Node[], cni?: CniConfig, made: Pick<ResolvedWorkloads, 'pods' | 'podWorkload' | 'raws'> = NONE_MADE): Pod[] {
  return resolve(raw, nodes, cni, made, false);
}

function resolve(raw: readonly RawPod[], nodes: readonly Node[], cni: CniConfig | undefined, made: Pick<ResolvedWorkloads, 'pods' | 'podWorkload' | 'raws'>, drawnUnseen: boolean): Pod[] {
  const unique = dedupe(raw, (p) => `${p.meta.namespace}/${p.meta.name}`, (p) => p.meta.nameField, 'Pod');
  const nodeNames = nodes.map((n) => n.name);
  const known = new Set(nodeNames);
  const unscheduled = unique.filter((p) => p.nodeName === undefined);
  const chosen = new Map(scheduleRoundRobin(nodeNames, unscheduled.length).map((n, i) => [unscheduled[i], n]));
  const pods: Pod[] = [];
  const byKey = new RawPods(unique.some((p) => p.meta.namespace.includes('/')) || made.pods.some((m) => m.namespace.includes('/')));
  for (const p of unique) {
    const named = p.nodeName;
    if (named !== undefined && !known.has(named.value)) {
      fail(named.field, 'SCN_MISSING_REFERENCE', `pod ${p.meta.name} names node ${named.value}, which does not exist (nodes: ${nodeNames.slice(0, 20).join(', ') || 'none'}${nodeNames.length > 20 ? ', …' : ''})`);
      continue;
    }
    const nodeName = named?.value ?? chosen.get(p);
    if (nodeName === undefined) continue;
    const pod = toPod(p, nodeName, named === undefined ? 'scheduler' : 'spec');
    pods.push(pod);
    byKey.set(pod, p);
  }
  if (drawnUnseen && !byKey.join && allDrawn(made.pods)) addDrawn(made, pods, byKey);
  else addMade(made, pods, byKey);
  checkHostNetwork(pods, nodes, byKey);
  for (const problem of planPodIpProblems(nodes, pods, cni)) reportIpProblem(problem, byKey);
  if (cni?.type === 'calico') checkInPools(pods, cni.ipPools.map((p) => p.cidr), byKey);
  return pods;
}

type Made = Pick<ResolvedWorkloads, 'pods' | 'podWorkload' | 'raws'>;

/** The made pods, each looked up by name first: one a written Pod or an earlier made pod has is reported and left out. */
function addMade(made: Made, pods: Pod[], byKey: RawPods): void {
  for (let i = 0; i < made.pods.length; i++) {
    const pod = made.pods[i];
    const mraw = made.raws[made.podWorkload[i] ?? -1];
    if (pod === undefined || mraw === undefined) continue;
    if (byKey.get(pod) !== undefined) {
      fail(mraw.meta.nameField, 'SCN_DUPLICATE_NAME', `Pod ${objectKey(pod)}, which this ${pod.owner?.kind ?? 'workload'} makes, is defined twice; the written Pod wins`);
      continue;
    }
    pods.push(pod);
    byKey.set(pod, mraw);
  }
}

/**
 * True when every made pod was named by generateName (a ReplicaSet's or a DaemonSet's): no
 * StatefulSet's `<name>-<ordinal>`. The names drawn in a namespace (name-draws.ts, one
 * NameDraws a namespace, shared by its ReplicaSets and DaemonSets) are seeded with every
 * written Pod's name and never give a name twice, so no such pod can have the name of a
 * written Pod or of another made pod: {@link addMade}'s lookup would find nothing. A
 * StatefulSet's pods are named without the draws, so they may clash with anything.
 */
function allDrawn(made: readonly Pod[]): boolean {
  for (let i = 0; i < made.length; i++) if (made[i]?.owner?.kind === 'StatefulSet') return false;
  return true;
}

/**
 * {@link addMade} where no lookup can find anything ({@link allDrawn}): the pods are kept
 * without being keyed by name (150,000 in large.yaml); `byKey` finds their raws by the pod
 * itself if a later check asks (an address problem). Keys are unique in `pods` (written Pods
 * deduplicated, made pods new), so finding a raw by pod and by name agree.
 */
function addDrawn(made: Made, pods: Pod[], byKey: RawPods): void {
  for (let i = 0; i < made.pods.length; i++) {
    const pod = made.pods[i];
    if (pod === undefined || made.raws[made.podWorkload[i] ?? -1] === undefined) continue;
    pods.push(pod);
  }
  byKey.unkeyed = made;
}

const NONE_MADE: Pick<ResolvedWorkloads, 'pods' | 'podWorkload' | 'raws'> = { pods: [], podWorkload: [], raws: [] };

/**
 * The raw pods by `namespace/name`, as a map per namespace: joining the two for each of
 * 150,000 pods, and hashing each joined key twice, was most of resolving large.yaml's pods.
 * When a namespace holds a `/` (refused, yet read), `a/b` + `c` and `a` + `b/c` would be one
 * key: then the joined keys are used as they are.
 */
class RawPods {
  private readonly byNamespace = new Map<string, Map<string, RawPod>>();
  private readonly joined = new Map<string, RawPod>();
  /** Made pods kept without a key ({@link addDrawn}), found by the pod itself once asked for. */
  unkeyed: Made | undefined;
  private byPod: Map<Pod, RawPod> | undefined;

  constructor(readonly join: boolean) {}

  get(pod: Pod): RawPod | undefined {
    const found = this.join ? this.joined.get(objectKey(pod)) : this.byNamespace.get(pod.namespace)?.get(pod.name);
    return found ?? (this.unkeyed === undefined ? undefined : this.madeRaw(pod));
  }

  set(pod: Pod, raw: RawPod): void {
    if (this.join) {
      this.joined.set(objectKey(pod), raw);
      return;
    }
    let names = this.byNamespace.get(pod.namespace);
    if (names === undefined) this.byNamespace.set(pod.namespace, (names = new Map()));
    names.set(pod.name, raw);
  }

  private madeRaw(pod: Pod): RawPod | undefined {
    const made = this.unkeyed;
    if (made === undefined) return undefined;
    if (this.byPod === undefined) {
      this.byPod = new Map();
      for (let i = 0; i < made.pods.length; i++) {
        const p = made.pods[i];
        const raw = made.raws[made.podWorkload[i] ?? -1];
        if (p !== undefined && raw !== undefined) this.byPod.set(p, raw);
      }
    }
    return this.byPod.get(pod);
  }
}

/** calico: a fixed podIP is one calico-ipam can hand out only inside an IPPool. */
function checkInPools(pods: readonly Pod[], pools: readonly Cidr[], byKey: RawPods): void {
  for (const pod of pods) {
    const given = byKey.get(pod)?.podIP;
    if (pod.hostNetwork || given === undefined || pools.some((c) => cidrContains(c, given.value))) continue;
    fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `pod ${pod.name}'s IP ${formatIp(given.value)} is in no IPPool (${pools.map(formatCidr).join(', ')}): calico-ipam hands out pool addresses only`);
  }
}

function toPod(p: RawPod, nodeName: string, scheduledBy: Pod['scheduledBy']): Pod {
  return {
    name: p.meta.name,
    namespace: p.meta.namespace,
    labels: p.meta.labels,
    pos: p.meta.pos,
    nodeName,
    scheduledBy,
    hostNetwork: p.hostNetwork,
    podIPs: p.podIP === undefined ? [] : [p.podIP.value],
    ready: p.ready,
    terminating: p.meta.terminating,
    containers: p.containers,
    ...(p.dns === undefined ? {} : { dns: p.dns }),
  };
}

/** A host-network pod's IP is its node's: a different fixed podIP cannot be. */
function checkHostNetwork(pods: readonly Pod[], nodes: readonly Node[], byKey: RawPods): void {
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  for (const pod of pods) {
    if (!pod.hostNetwork) continue;
    const given = byKey.get(pod)?.podIP;
    const nodeIp = nodeByName.get(pod.nodeName)?.internalIPs[0];
    if (!pod.hostNetwork || given === undefined || nodeIp === undefined || ipEquals(given.value, nodeIp)) continue;
    fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `pod ${pod.name} uses the host network, so its IP is node ${pod.nodeName}'s ${formatIp(nodeIp)}, not ${formatIp(given.value)}`);
  }
}

function reportIpProblem(problem: PodIpProblem, byKey: RawPods): void {
  const raw = byKey.get(problem.pod);
  if (raw === undefined) return;
  const ipField = raw.podIP?.field ?? raw.meta.nameField;
  const name = problem.pod.name;
  switch (problem.kind) {
    case 'no-node':
      return; // the node has no podCIDR: already reported as exhaustion of the cluster CIDR
    case 'out-of-range':
      fail(ipField, 'SCN_ADDRESS_OUT_OF_RANGE', `pod ${name}'s IP ${formatIp(problem.ip)} is not one node ${problem.pod.nodeName} hands out: ${describeRange(problem.range)}${scheduledHint(problem.pod)}`);
      return;
    case 'in-use':
      fail(ipField, 'SCN_DUPLICATE_ADDRESS', `pod ${name}'s IP ${formatIp(problem.ip)} is already pod ${problem.holder}'s`);
      return;
    case 'exhausted':
      fail(raw.meta.nameField, 'SCN_IP_EXHAUSTED', `no address left for pod ${name} on node ${problem.pod.nodeName}: ${describeRange(problem.range)} is full`);
      return;
    default:
      assertNever(problem, 'pod IP problem');
  }
}

function scheduledHint(pod: Pod): string {
  return pod.scheduledBy === 'scheduler' ? ` (netsim's scheduler placed the pod there; set spec.nodeName to choose)` : '';
}

function describeRange(r: IpRange): string {
  const gw = `, ${formatIp(r.gateway)} is the bridge gateway`;
  return `podCIDR ${formatCidr(r.subnet)} (${formatIp(r.rangeStart)}–${formatIp(r.rangeEnd)}${gw})`;
}
