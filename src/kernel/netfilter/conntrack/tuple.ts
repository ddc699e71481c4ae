/**
 * Conntrack tuples (`struct nf_conntrack_tuple`): what conntrack keys a packet on. For TCP, UDP
 * and SCTP the ports; for ICMP the echo id in `sport` (the kernel's `src.u.icmp.id`) and the
 * type and code; for any other protocol (ipip, gre …) only the addresses, as the generic
 * tracker does (net/netfilter/nf_conntrack_proto_generic.c).
 *
 * Netfilter sees the outermost IP header, so an encapsulated packet is tracked by its tunnel
 * header (vxlan: UDP to 4789, ipip: protocol 4).
 */
import type { Family, Ip } from '../../../addr/ip.js';
import { formatIp } from '../../../addr/ip.js';
import type { Packet } from '../../../packet/packet.js';
import { hasPorts, PROTO_NUMBER } from '../../../packet/packet.js';

/** A conntrack tuple. `sport`/`dport` are 0 where the protocol has none; `type`/`code` only for ICMP. */
export interface Tuple {
  readonly family: Family;
  readonly proto: number;
  readonly src: Ip;
  readonly dst: Ip;
  readonly sport: number;
  readonly dport: number;
  readonly type?: number;
  readonly code?: number;
}

/** Protocol numbers used here. */
export const IPPROTO = { icmp: 1, ipip: 4, tcp: 6, udp: 17, icmpv6: 58, sctp: 132 } as const;

/** True for protocols whose tuple has ports. */
export function hasPortNumbers(proto: number): boolean {
  return proto === IPPROTO.tcp || proto === IPPROTO.udp || proto === IPPROTO.sctp;
}

/** True for ICMP and ICMPv6. */
export function isIcmpProto(proto: number): boolean {
  return proto === IPPROTO.icmp || proto === IPPROTO.icmpv6;
}

/** The tuple of a packet, from its outermost headers. */
export function tupleOf(p: Packet): Tuple {
  const top = p.encap[p.encap.length - 1];
  if (top !== undefined) {
    const { family, src, dst } = top.ip;
    if (top.kind === 'vxlan') return { family, proto: IPPROTO.udp, src, dst, sport: top.sport, dport: top.dport };
    return { family, proto: IPPROTO.ipip, src, dst, sport: 0, dport: 0 };
  }
  const { family, src, dst } = p.ip;
  const l4 = p.l4;
  const proto = PROTO_NUMBER[l4.proto];
  if (hasPorts(l4)) return { family, proto, src, dst, sport: l4.sport, dport: l4.dport };
  return { family, proto, src, dst, sport: l4.id, dport: 0, type: l4.type, code: l4.code };
}

/** Request → reply ICMP types (`nf_ct_icmp_invert_tuple`); types without a pair keep their type. */
const ICMP_INVERSE: ReadonlyMap<number, number> = new Map([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [17, 18], [18, 17]]);
const ICMPV6_INVERSE: ReadonlyMap<number, number> = new Map([[128, 129], [129, 128]]);

/** The tuple of the answer (`nf_ct_invert_tuple`): addresses and ports swapped, ICMP type inverted. */
export function invert(t: Tuple): Tuple {
  if (isIcmpProto(t.proto)) {
    const table = t.proto === IPPROTO.icmp ? ICMP_INVERSE : ICMPV6_INVERSE;
    const type = t.type === undefined ? undefined : (table.get(t.type) ?? t.type);
    return { ...t, src: t.dst, dst: t.src, ...(type === undefined ? {} : { type }) };
  }
  // Conntrack inverts a tuple for every NAT decision and lookup: one literal, in tupleOf's key
  // order, for the port tuples tupleOf makes (anything else keeps its extra fields).
  if (t.type === undefined && t.code === undefined) return { family: t.family, proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
  return { ...t, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

/** A hash key for the conntrack table. */
export function tupleKey(t: Tuple): string {
  const extra = isIcmpProto(t.proto) ? ` ${t.type ?? 0}/${t.code ?? 0}` : '';
  return `${t.family} ${t.proto} ${t.src.value} ${t.dst.value} ${t.sport} ${t.dport}${extra}`;
}

/** The `src=… dst=… sport=… dport=…` part of a `conntrack -L` line. */
export function formatTuple(t: Tuple): string {
  const addrs = `src=${formatIp(t.src)} dst=${formatIp(t.dst)}`;
  if (isIcmpProto(t.proto)) return `${addrs} type=${t.type ?? 0} code=${t.code ?? 0} id=${t.sport}`;
  if (hasPortNumbers(t.proto)) return `${addrs} sport=${t.sport} dport=${t.dport}`;
  return addrs;
}
