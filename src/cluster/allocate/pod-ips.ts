/**
 * Pod addresses for a whole cluster, planned the way the bridge CNI plugin's host-local IPAM
 * will hand them out at build time, with that plugin's own allocator (src/cni/host-local): per
 * node, over the node's podCIDR, gateway `.1` excluded. Addresses the scenario fixes
 * (`status.podIP`) are reserved first; then every other pod, in document order, gets the next
 * address round-robin (`.2`, `.3`, … stepping around fixed ones). Host-network pods use their
 * node's addresses and take nothing from the range.
 *
 * The scenario loader runs this to report conflicts and exhaustion with positions. The build
 * gets the same addresses from the host-local plugin by requesting each pod's planned address
 * (CNI_ARGS `IP=`): real host-local moves `last_reserved_ip` on a requested address too, so
 * adding fixed-IP pods to it first would shift everyone after them.
 *
 * With calico there is nothing to plan: calico-ipam claims blocks and picks addresses at build
 * time (src/cni/calico), so the plan holds only the addresses a scenario fixes and those of
 * host-network pods, and node podCIDRs play no part.
 */
import { type Cidr, type Family, type Ip, formatIp, ipAdd, ipCompare, ipEquals } from '../../addr/index.js';
import { allocate, allocateNext } from '../../cni/host-local/allocator.js';
import { type IpRange, defaultRange } from '../../cni/host-local/config.js';
import { type DiskStore, forgetLastReserved, openStore } from '../../cni/host-local/store.js';
import { type CniConfig, type Node, type Pod, objectKey } from '../objects.js';

/** Why a pod got no address. */
export type PodIpProblem =
  | { readonly kind: 'no-node'; readonly pod: Pod }
  | { readonly kind: 'out-of-range'; readonly pod: Pod; readonly ip: Ip; readonly range: IpRange }
  | { readonly kind: 'in-use'; readonly pod: Pod; readonly ip: Ip; readonly holder: string }
  | { readonly kind: 'exhausted'; readonly pod: Pod; readonly range: IpRange };

/** Every pod's addresses (by `namespace/name`) and the problems. */
export interface PodIpPlan {
  readonly ips: ReadonlyMap<string, readonly Ip[]>;
  readonly problems: readonly PodIpProblem[];
}

/** One node's host-local range and the directory its allocator keeps (a plan-only copy). */
interface NodeIpam {
  readonly range: IpRange;
  readonly store: DiskStore;
  /** Nothing reserved on the node once the fixed addresses are in: its range is counted out in order. */
  counted: boolean;
  /** Counting without keeping: the addresses left (-1 until the node's first pod). */
  room: number;
  /** Counting and keeping: the next address the walk hands out. */
  next: Ip | undefined;
}

/** The range set index and interface host-local is asked with (one range, `eth0`). */
const RANGE_ID = 0;
const IF_NAME = 'eth0';

/**
 * True when pod addresses follow host-local over node podCIDRs and can be planned before the
 * build; false for calico, whose IPAM decides at build time.
 */
export function plansPodIps(cni: CniConfig | undefined): boolean {
  return cni?.type !== 'calico';
}

/**
 * Plans the addresses of `pods` on `nodes` (see the file header for the rules). With a calico
 * `cni`, only fixed and host-network addresses are in the plan.
 */
export function assignPodIps(nodes: readonly Node[], pods: readonly Pod[], cni?: CniConfig): PodIpPlan {
  return plan(nodes, pods, cni, true);
}

/**
 * {@link assignPodIps} with every address handed out by host-local's allocator, also on nodes
 * where no address is fixed (where assignPodIps counts through the range instead): the
 * reference that pod-ips.test.ts compares it with.
 */
export function assignPodIpsByAllocator(nodes: readonly Node[], pods: readonly Pod[], cni?: CniConfig): PodIpPlan {
  return plan(nodes, pods, cni, false);
}

/**
 * The problems of {@link assignPodIps} alone, what the loader reports: the addresses counted
 * out on nodes where nothing is fixed are not kept (150,000 keys and arrays in large.yaml, for
 * a validation that prints none of them). pod-ips.test.ts holds the problems equal.
 */
export function planPodIpProblems(nodes: readonly Node[], pods: readonly Pod[], cni?: CniConfig): readonly PodIpProblem[] {
  return plan(nodes, pods, cni, true, false).problems;
}

function plan(nodes: readonly Node[], pods: readonly Pod[], cni: CniConfig | undefined, counting: boolean, keep = true): PodIpPlan {
  if (!plansPodIps(cni)) return fixedOnly(nodes, pods);
  const families = [...new Set(nodes.flatMap((n) => n.podCIDRs.map((c) => c.addr.family)))];
  return families.length > 1 ? planDualStack(nodes, pods, families, counting, keep) : planFamily(nodes, pods, counting, keep);
}

/**
 * A dual-stack cluster: host-local with one range set per family hands out one address from
 * each, every set allocating on its own, so each family is planned as a cluster of its own and
 * a pod's addresses are concatenated in the cluster's family order.
 */
function planDualStack(nodes: readonly Node[], pods: readonly Pod[], families: readonly Family[], counting: boolean, keep: boolean): PodIpPlan {
  const ips = new Map<string, Ip[]>();
  const problems: PodIpProblem[] = [];
  families.forEach((family, i) => {
    const only = <T extends Ip | Cidr>(xs: readonly T[]): T[] => xs.filter((x) => ('addr' in x ? x.addr.family : x.family) === family);
    const plan = planFamily(nodes.map((n) => ({ ...n, internalIPs: only(n.internalIPs), podCIDRs: only(n.podCIDRs) })), pods.map((p) => ({ ...p, podIPs: only(p.podIPs) })), counting, keep);
    for (const [key, got] of plan.ips) ips.set(key, [...(ips.get(key) ?? []), ...got]);
    problems.push(...plan.problems.filter((x) => i === 0 || x.kind !== 'no-node'));
  });
  return { ips, problems };
}

/** With `keep` false, the addresses counted out (and host-network pods') are left out of `ips`: only the problems are wanted. */
function planFamily(nodes: readonly Node[], pods: readonly Pod[], counting: boolean, keep: boolean): PodIpPlan {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ipams = new Map<string, NodeIpam>();
  for (const n of nodes) {
    const subnet = n.podCIDRs[0];
    if (subnet !== undefined) ipams.set(n.name, { range: defaultRange(subnet), store: openStore({}, '/var/lib/cni/networks', 'plan'), counted: false, room: -1, next: undefined });
  }
  const ips = new Map<string, readonly Ip[]>();
  const holders = new Map<string, string>();
  const problems: PodIpProblem[] = [];
  const waiting: Pod[] = [];
  // Indexed loops, one lookup a pod (150,000 in large.yaml): a node with an ipam is in byName.
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i] as Pod;
    const ipam = ipams.get(pod.nodeName);
    if (ipam === undefined) problems.push({ kind: 'no-node', pod });
    else if (pod.hostNetwork) {
      if (keep) ips.set(objectKey(pod), byName.get(pod.nodeName)?.internalIPs ?? []);
    } else if (pod.podIPs.length === 0) waiting.push(pod);
    else reserveFixed({ pod, ipam, ips, holders, problems });
  }
  // Fixed addresses were there before any CNI ADD: the others start at the range's start.
  for (const ipam of ipams.values()) {
    forgetLastReserved(ipam.store, RANGE_ID);
    ipam.counted = counting && !holdsAny(ipam.store);
  }
  for (let i = 0; i < waiting.length; i++) {
    const pod = waiting[i] as Pod;
    const ipam = ipams.get(pod.nodeName);
    if (ipam === undefined) continue;
    if (ipam.counted && !keep) {
      // Only whether the walk below finds an address: it hands out the range in order without
      // the gateway, so the first `rangeRoom` pods get one (no Ip made for each of 150,000).
      const left = ipam.room < 0 ? rangeRoom(ipam.range) : ipam.room;
      if (left === 0) problems.push({ kind: 'exhausted', pod, range: ipam.range });
      else ipam.room = left - 1;
      continue;
    }
    if (ipam.counted) {
      // Nothing reserved on the node: host-local's walk hands the range out in order, skipping
      // the gateway, and finds nothing once past its end (150,000 pods: 4 s through the store).
      let ip = ipam.next ?? ipam.range.rangeStart;
      if (ipEquals(ip, ipam.range.gateway)) ip = ipAdd(ip, 1n);
      if (ipCompare(ip, ipam.range.rangeEnd) > 0) problems.push({ kind: 'exhausted', pod, range: ipam.range });
      else {
        if (keep) ips.set(objectKey(pod), [ip]);
        ipam.next = ipAdd(ip, 1n);
      }
      continue;
    }
    const got = isEmpty(ipam.range) ? undefined : allocateNext(ipam.store, [ipam.range], RANGE_ID, { id: objectKey(pod), ifName: IF_NAME });
    if (got === undefined || !got.ok) problems.push({ kind: 'exhausted', pod, range: ipam.range });
    else ips.set(objectKey(pod), [got.value.address.addr]);
  }
  return { ips, problems };
}

/** Whether the plan's store holds any address (a fixed one) besides its lock file. */
function holdsAny(store: DiskStore): boolean {
  for (const path in store.files) if (!path.endsWith('/lock')) return true;
  return false;
}

/**
 * How many addresses host-local's walk hands out of `r` from its start: the range without its
 * gateway (past 2^53, which no list of pods reaches, that many).
 */
function rangeRoom(r: IpRange): number {
  if (isEmpty(r)) return 0;
  const size = r.rangeEnd.value - r.rangeStart.value + 1n;
  const g = r.gateway;
  const withGateway = g.family === r.rangeStart.family && g.value >= r.rangeStart.value && g.value <= r.rangeEnd.value;
  const n = withGateway ? size - 1n : size;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** A range whose start lies past its end (a podCIDR of /31, /32, /127 or /128). */
function isEmpty(r: IpRange): boolean {
  return ipCompare(r.rangeStart, r.rangeEnd) > 0;
}

interface FixedCtx {
  readonly pod: Pod;
  readonly ipam: NodeIpam;
  readonly ips: Map<string, readonly Ip[]>;
  readonly holders: Map<string, string>;
  readonly problems: PodIpProblem[];
}

/** A fixed address: unique across the cluster, then requested from the node's range. */
function reserveFixed(c: FixedCtx): void {
  const ip = c.pod.podIPs[0];
  if (ip === undefined) return;
  const holder = c.holders.get(formatIp(ip));
  if (holder !== undefined) {
    c.problems.push({ kind: 'in-use', pod: c.pod, ip, holder });
    return;
  }
  // Not in use (the holders map has every address reserved so far): refused only when outside the range or the gateway.
  const got = allocate(c.ipam.store, [c.ipam.range], RANGE_ID, { id: objectKey(c.pod), ifName: IF_NAME }, ip);
  if (!got.ok) {
    c.problems.push({ kind: 'out-of-range', pod: c.pod, ip, range: c.ipam.range });
    return;
  }
  c.holders.set(formatIp(ip), objectKey(c.pod));
  c.ips.set(objectKey(c.pod), c.pod.podIPs);
}

/** calico: host-network pods get their node's addresses, pods with a fixed podIP keep it (once). */
function fixedOnly(nodes: readonly Node[], pods: readonly Pod[]): PodIpPlan {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ips = new Map<string, readonly Ip[]>();
  const holders = new Map<string, string>();
  const problems: PodIpProblem[] = [];
  for (const pod of pods) {
    const node = byName.get(pod.nodeName);
    const ip = pod.podIPs[0];
    const holder = ip === undefined ? undefined : holders.get(formatIp(ip));
    if (node === undefined) problems.push({ kind: 'no-node', pod });
    else if (pod.hostNetwork) ips.set(objectKey(pod), node.internalIPs);
    else if (ip === undefined) continue;
    else if (holder !== undefined) problems.push({ kind: 'in-use', pod, ip, holder });
    else {
      holders.set(formatIp(ip), objectKey(pod));
      ips.set(objectKey(pod), pod.podIPs);
    }
  }
  return { ips, problems };
}
