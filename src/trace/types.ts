/**
 * The trace vocabulary, kept apart from the engine (Batfish's Flow → Trace → Hop → Step, adapted
 * to Linux): a Trace is the hops a packet made, a Hop is one network namespace, a Step is one
 * thing the kernel did there, and every trace ends in exactly one Disposition from a closed set.
 */
import type { DropReason, Hook, TableName } from '../kernel/events.js';
import type { PacketJson } from '../packet/json.js';

/**
 * How a trace ended. A closed set; docs/trace-schema.md explains each.
 * - DELIVERED: a socket in the destination namespace received the packet.
 * - DROPPED: discarded by a DROP verdict, rp_filter, disabled forwarding, a down link (see `reason`).
 * - REJECTED: a REJECT verdict (an ICMP error or TCP reset went back).
 * - NO_ROUTE: no route matched the destination.
 * - NULL_ROUTED: a blackhole, unreachable or prohibit route matched.
 * - NEIGHBOR_UNREACHABLE: ARP/ND for the next hop got no answer.
 * - TTL_EXCEEDED: the TTL reached zero while forwarding.
 * - LOOP: the packet came back to a place it had already been, unchanged.
 * - EXITS_NETWORK: the packet left through a device with nothing modelled behind it.
 * - MTU_EXCEEDED: too big for the next link: with DF set at L3 (reason MTU_EXCEEDED), or a frame
 *   bigger than the receiving device's MTU at L2 (reason FRAME_TOO_BIG, dropped silently).
 * - NOT_MODELLED: the packet reached a part of the datapath netsim does not model yet; the trace
 *   stops there rather than guess.
 */
export type Disposition =
  | 'DELIVERED'
  | 'DROPPED'
  | 'REJECTED'
  | 'NO_ROUTE'
  | 'NULL_ROUTED'
  | 'NEIGHBOR_UNREACHABLE'
  | 'TTL_EXCEEDED'
  | 'LOOP'
  | 'EXITS_NETWORK'
  | 'MTU_EXCEEDED'
  | 'NOT_MODELLED';

/** Every disposition, in the order the docs list them. */
export const DISPOSITIONS: readonly Disposition[] = [
  'DELIVERED',
  'DROPPED',
  'REJECTED',
  'NO_ROUTE',
  'NULL_ROUTED',
  'NEIGHBOR_UNREACHABLE',
  'TTL_EXCEEDED',
  'LOOP',
  'EXITS_NETWORK',
  'MTU_EXCEEDED',
  'NOT_MODELLED',
];

/** Dispositions that mean the packet arrived. */
export const SUCCESS_DISPOSITIONS: ReadonlySet<Disposition> = new Set(['DELIVERED', 'EXITS_NETWORK']);

/** Kernel drop reason → disposition (a data table, not a branch). OTHERHOST copies are pruned, never final. */
export const DISPOSITION_OF_DROP: Readonly<Record<DropReason, Disposition>> = {
  NETFILTER_DROP: 'DROPPED',
  NETFILTER_REJECT: 'REJECTED',
  NO_ROUTE: 'NO_ROUTE',
  BLACKHOLE: 'NULL_ROUTED',
  UNREACHABLE: 'NULL_ROUTED',
  PROHIBIT: 'NULL_ROUTED',
  NEIGH_FAILED: 'NEIGHBOR_UNREACHABLE',
  TTL_EXCEEDED: 'TTL_EXCEEDED',
  FORWARDING_DISABLED: 'DROPPED',
  RP_FILTER: 'DROPPED',
  MARTIAN: 'DROPPED',
  OTHERHOST: 'DROPPED',
  LINK_DOWN: 'DROPPED',
  MTU_EXCEEDED: 'MTU_EXCEEDED',
  FRAME_TOO_BIG: 'MTU_EXCEEDED',
  NO_SOCKET: 'REJECTED',
  NOT_UNICAST: 'DROPPED',
  BRIDGE_HAIRPIN: 'DROPPED',
  NOT_MODELLED: 'NOT_MODELLED',
};

/** One thing the kernel did inside a hop. `type` names the step kind. */
export type Step =
  | { readonly type: 'receive'; readonly dev: string; readonly packet: PacketJson }
  | { readonly type: 'transmit'; readonly dev: string; readonly packet: PacketJson; readonly eth?: { readonly src: string; readonly dst: string } }
  | { readonly type: 'veth'; readonly dev: string; readonly peerNs: string; readonly peerDev: string }
  | { readonly type: 'bridge'; readonly bridge: string; readonly inPort: string; readonly dstMac: string; readonly result: string; readonly outPorts: readonly string[] }
  | { readonly type: 'route'; readonly table: string; readonly dst: string; readonly route: string; readonly result: string }
  | {
      readonly type: 'neighbor';
      readonly dev: string;
      readonly ip: string;
      readonly mac: string | null;
      readonly state: string;
      /** The device that answered by proxy ARP (a Calico host veth answering for 169.254.1.1), when one did. */
      readonly proxyArp?: { readonly ns: string; readonly dev: string };
    }
  | { readonly type: 'netfilter'; readonly hook: Hook; readonly table: TableName; readonly chain: string; readonly position: number; readonly rule: string; readonly verdict: string }
  | { readonly type: 'policy'; readonly hook: Hook; readonly table: TableName; readonly chain: string; readonly policy: 'ACCEPT' | 'DROP' }
  /** An nft rule that matched (or gave a verdict), as `nft monitor trace` reports it. */
  | { readonly type: 'nft-rule'; readonly hook: Hook; readonly family: 'ip' | 'ip6' | 'inet'; readonly table: string; readonly chain: string; readonly position: number; readonly rule: string; readonly verdict: string }
  /** An nft base chain's policy decided. */
  | { readonly type: 'nft-policy'; readonly hook: Hook; readonly family: 'ip' | 'ip6' | 'inet'; readonly table: string; readonly chain: string; readonly policy: 'accept' | 'drop' }
  | { readonly type: 'conntrack'; readonly action: string; readonly entry: string }
  | { readonly type: 'nat'; readonly hook: Hook; readonly field: string; readonly from: string; readonly to: string; readonly by: string }
  | { readonly type: 'ttl'; readonly from: number; readonly to: number }
  | { readonly type: 'fragment'; readonly dev: string; readonly mtu: number; readonly length: number; readonly fragments: number; readonly first: number }
  | { readonly type: 'encap'; readonly dev: string; readonly outer: string }
  | { readonly type: 'decap'; readonly dev: string; readonly outer: string }
  | { readonly type: 'deliver'; readonly dev: string; readonly packet: PacketJson }
  | { readonly type: 'drop'; readonly reason: DropReason; readonly detail: string }
  /** netsim's explanation of what it saw, not a kernel event (a route refused at build time). */
  | { readonly type: 'note'; readonly text: string };

/** One network namespace the packet crossed, with what happened there. */
export interface Hop {
  /** The namespace, as netsim names it (`node-1`, `pod/default/pod-a`, `host`). */
  readonly ns: string;
  /** What the namespace is, for people: `node node-1`, `pod default/pod-a`. */
  readonly label: string;
  readonly steps: readonly Step[];
}

/** Where and why a trace ended. */
export interface Ending {
  readonly disposition: Disposition;
  readonly ns: string;
  readonly reason?: DropReason;
  readonly detail: string;
  /** The packet as the destination received it (DELIVERED, EXITS_NETWORK) or as it was dropped. */
  readonly packet: PacketJson;
}

/** One path of a packet: its hops and how it ended. */
export interface Trace {
  readonly hops: readonly Hop[];
  readonly ending: Ending;
}
