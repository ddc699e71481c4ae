/**
 * Flows: the 5-tuple conntrack keys on, and `reply()`, the tuple of the answer. For ICMP the
 * echo id plays the role of both ports and the type is mapped to its reply type, as conntrack's
 * `nf_ct_icmp_invert_tuple` does, so `reply(reply(f))` equals `f`.
 */
import type { Family, Ip } from '../addr/ip.js';
import { formatIp } from '../addr/ip.js';
import type { L4Proto, Packet } from './packet.js';
import { hasPorts } from './packet.js';

/** A 5-tuple (ports for TCP/UDP/SCTP; type, code and id for ICMP). */
export type Flow =
  | { readonly family: Family; readonly proto: 'tcp' | 'udp' | 'sctp'; readonly src: Ip; readonly dst: Ip; readonly sport: number; readonly dport: number }
  | { readonly family: Family; readonly proto: 'icmp' | 'icmpv6'; readonly src: Ip; readonly dst: Ip; readonly type: number; readonly code: number; readonly id: number };

/** A flow of ICMP or ICMPv6. */
export type IcmpFlow = Extract<Flow, { readonly type: number }>;
/** A flow with ports. */
export type PortFlow = Extract<Flow, { readonly sport: number }>;

/** True for ICMP flows (narrows the union). */
export function isIcmpFlow(f: Flow): f is IcmpFlow {
  return f.proto === 'icmp' || f.proto === 'icmpv6';
}

/** ICMP request → reply type pairs (both directions), v4 and v6. */
const ICMP_INVERSE: Readonly<Record<L4Proto & ('icmp' | 'icmpv6'), ReadonlyMap<number, number>>> = {
  icmp: new Map([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [17, 18], [18, 17]]),
  icmpv6: new Map([[128, 129], [129, 128]]),
};

/** The flow of a packet (its innermost headers). */
export function flowOf(p: Packet): Flow {
  const { family, src, dst } = p.ip;
  const l4 = p.l4;
  if (hasPorts(l4)) return { family, proto: l4.proto, src, dst, sport: l4.sport, dport: l4.dport };
  return { family, proto: l4.proto, src, dst, type: l4.type, code: l4.code, id: l4.id };
}

/** The tuple of the reply: addresses and ports swapped, ICMP request type inverted. */
export function reply(f: Flow): Flow {
  if (isIcmpFlow(f)) {
    const type = ICMP_INVERSE[f.proto].get(f.type) ?? f.type;
    return { ...f, src: f.dst, dst: f.src, type };
  }
  return { ...f, src: f.dst, dst: f.src, sport: f.dport, dport: f.sport };
}

/** Equality of flows. */
export function flowEquals(a: Flow, b: Flow): boolean {
  return flowKey(a) === flowKey(b);
}

/** A string key for maps (`tcp 10.0.0.1:1234 > 10.0.0.2:80`). */
export function flowKey(f: Flow): string {
  if (isIcmpFlow(f)) {
    return `${f.proto} ${formatIp(f.src)} > ${formatIp(f.dst)} type=${f.type} code=${f.code} id=${f.id}`;
  }
  const host = (a: Ip) => (a.family === 6 ? `[${formatIp(a)}]` : formatIp(a));
  return `${f.proto} ${host(f.src)}:${f.sport} > ${host(f.dst)}:${f.dport}`;
}
