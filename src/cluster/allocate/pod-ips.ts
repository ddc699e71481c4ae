/**
 * Pod addresses for a whole cluster, planned the way the bridge CNI plugin's host-local IPAM
 * will hand them out at build time: per node, over the node's podCIDR, gateway `.1` excluded.
 * Addresses the scenario fixes (`status.podIP`) are reserved first; then every other pod, in
 * document order, gets the next address round-robin (`.2`, `.3`, … stepping around fixed
 * ones). Host-network pods use their node's addresses and take nothing from the range.
 *
 * The scenario loader runs this to report conflicts and exhaustion with positions. The build
 * gets the same addresses from the host-local plugin (src/cni/host-local) by requesting each
 * pod's planned address (CNI_ARGS `IP=`): real host-local moves `last_reserved_ip` on a
 * requested address too, so adding fixed-IP pods to it first would shift everyone after them.
 */
import { type Ip, formatIp } from '../../addr/index.js';
import { type Node, type Pod, objectKey } from '../objects.js';
import { type HostLocalRange, type HostLocalState, hostLocalRange, inHostLocalRange, nextFreeHostLocal } from './host-local.js';

/** Why a pod got no address. */
export type PodIpProblem =
  | { readonly kind: 'no-node'; readonly pod: Pod }
  | { readonly kind: 'out-of-range'; readonly pod: Pod; readonly ip: Ip; readonly range: HostLocalRange }
  | { readonly kind: 'in-use'; readonly pod: Pod; readonly ip: Ip; readonly holder: string }
  | { readonly kind: 'exhausted'; readonly pod: Pod; readonly range: HostLocalRange };

/** Every pod's addresses (by `namespace/name`), the allocators' final states, the problems. */
export interface PodIpPlan {
  readonly ips: ReadonlyMap<string, readonly Ip[]>;
  readonly states: ReadonlyMap<string, HostLocalState>;
  readonly problems: readonly PodIpProblem[];
}

/** Plans the addresses of `pods` on `nodes` (see the file header for the rules). */
export function assignPodIps(nodes: readonly Node[], pods: readonly Pod[]): PodIpPlan {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ranges = new Map<string, HostLocalRange>();
  for (const n of nodes) {
    const subnet = n.podCIDRs[0];
    if (subnet !== undefined) ranges.set(n.name, hostLocalRange(subnet));
  }
  // One mutable set per node while planning (copying a set per pod was quadratic), frozen into states at the end.
  const states = new Map<string, MutableState>([...ranges.keys()].map((k) => [k, { inUse: new Set<bigint>(), lastReserved: undefined }]));
  const ips = new Map<string, readonly Ip[]>();
  const holders = new Map<string, string>();
  const problems: PodIpProblem[] = [];
  const waiting: Pod[] = [];
  for (const pod of pods) {
    const node = byName.get(pod.nodeName);
    const range = ranges.get(pod.nodeName);
    if (node === undefined || range === undefined) problems.push({ kind: 'no-node', pod });
    else if (pod.hostNetwork) ips.set(objectKey(pod), node.internalIPs);
    else if (pod.podIPs.length === 0) waiting.push(pod);
    else reserveFixed({ pod, range, states, ips, holders, problems });
  }
  for (const pod of waiting) {
    const range = ranges.get(pod.nodeName);
    const state = states.get(pod.nodeName);
    if (range === undefined || state === undefined) continue;
    const ip = nextFreeHostLocal(range, state.inUse, state.lastReserved);
    if (ip === undefined) {
      problems.push({ kind: 'exhausted', pod, range });
      continue;
    }
    state.inUse.add(ip.value);
    state.lastReserved = ip;
    ips.set(objectKey(pod), [ip]);
  }
  return { ips, states: freeze(states), problems };
}

/** A node's allocator state while planning. */
interface MutableState {
  readonly inUse: Set<bigint>;
  lastReserved: Ip | undefined;
}

function freeze(states: ReadonlyMap<string, MutableState>): Map<string, HostLocalState> {
  return new Map([...states].map(([k, s]) => [k, s.lastReserved === undefined ? { inUse: s.inUse } : { inUse: s.inUse, lastReserved: s.lastReserved }]));
}

interface FixedCtx {
  readonly pod: Pod;
  readonly range: HostLocalRange;
  readonly states: Map<string, MutableState>;
  readonly ips: Map<string, readonly Ip[]>;
  readonly holders: Map<string, string>;
  readonly problems: PodIpProblem[];
}

function reserveFixed(c: FixedCtx): void {
  const ip = c.pod.podIPs[0];
  const state = c.states.get(c.pod.nodeName);
  if (ip === undefined || state === undefined) return;
  const holder = c.holders.get(formatIp(ip));
  if (holder !== undefined) {
    c.problems.push({ kind: 'in-use', pod: c.pod, ip, holder });
    return;
  }
  // Not in use: the holders map above has every address reserved so far.
  if (!inHostLocalRange(c.range, ip)) {
    c.problems.push({ kind: 'out-of-range', pod: c.pod, ip, range: c.range });
    return;
  }
  state.inUse.add(ip.value);
  c.holders.set(formatIp(ip), objectKey(c.pod));
  c.ips.set(objectKey(c.pod), c.pod.podIPs);
}
