/**
 * Packets as immutable values. The L4 header is a discriminated union on `proto`, so a TCP
 * packet always has ports and flags and an ICMP packet never has ports. Encapsulation pushes an
 * outer header onto `encap` (outermost last); decapsulation pops it.
 */
import type { Family, Ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';

/** TCP flags as `iptables -m tcp --tcp-flags` names them. */
export type TcpFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'URG' | 'PSH';

/** L4 protocol names as iptables prints them (`-p tcp`). */
export type L4Proto = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6';

/** IANA protocol numbers of the L4 protocols netsim models. */
export const PROTO_NUMBER: Readonly<Record<L4Proto, number>> = { icmp: 1, tcp: 6, udp: 17, sctp: 132, icmpv6: 58 };

export interface TcpHeader {
  readonly proto: 'tcp';
  readonly sport: number;
  readonly dport: number;
  readonly flags: readonly TcpFlag[];
}
export interface UdpHeader {
  readonly proto: 'udp' | 'sctp';
  readonly sport: number;
  readonly dport: number;
}
/** ICMP (v4) or ICMPv6. `id` is the echo identifier, which conntrack uses like a port. */
export interface IcmpHeader {
  readonly proto: 'icmp' | 'icmpv6';
  readonly type: number;
  readonly code: number;
  readonly id: number;
}
export type L4Header = TcpHeader | UdpHeader | IcmpHeader;

/** The IP header fields netsim models. `length` is the total IP length in bytes. */
export interface IpHeader {
  readonly family: Family;
  readonly src: Ip;
  readonly dst: Ip;
  readonly ttl: number;
  readonly length: number;
  readonly dontFragment: boolean;
  /** The IPv4 TOS byte or IPv6 traffic class (DSCP << 2 | ECN); absent means 0. */
  readonly tos?: number;
}

/** An outer header pushed by a tunnel device. */
export type OuterHeader =
  | { readonly kind: 'vxlan'; readonly ip: IpHeader; readonly sport: number; readonly dport: number; readonly vni: number; readonly innerSrcMac: Mac; readonly innerDstMac: Mac }
  | { readonly kind: 'ipip'; readonly ip: IpHeader };

/** An IP packet: header, L4 header and the encapsulation stack around it. */
export interface Packet {
  readonly ip: IpHeader;
  readonly l4: L4Header;
  readonly encap: readonly OuterHeader[];
}

/** An Ethernet frame carrying an IP packet (what a bridge or veth moves). */
export interface Frame {
  readonly srcMac: Mac;
  readonly dstMac: Mac;
  readonly packet: Packet;
}

/** The outer-most IP header: the one routing and netfilter see. */
export function outerIp(p: Packet): IpHeader {
  const top = p.encap[p.encap.length - 1];
  return top === undefined ? p.ip : top.ip;
}

/** The packet with the outermost IP header's TOS byte (traffic class) set, as `-j TOS`/`-j DSCP` leave it. */
export function withOuterTos(p: Packet, tos: number): Packet {
  const top = p.encap[p.encap.length - 1];
  if (top === undefined) return { ...p, ip: { ...p.ip, tos } };
  return { ...p, encap: [...p.encap.slice(0, -1), { ...top, ip: { ...top.ip, tos } }] };
}

/** True for L4 headers that carry ports. */
export function hasPorts(l4: L4Header): l4 is TcpHeader | UdpHeader {
  return l4.proto === 'tcp' || l4.proto === 'udp' || l4.proto === 'sctp';
}

/** Returns the packet with a new source address (SNAT). */
export function withSrc(p: Packet, src: Ip): Packet {
  return { ...p, ip: { ...p.ip, src } };
}

/** Returns the packet with a new destination address (DNAT). */
export function withDst(p: Packet, dst: Ip): Packet {
  return { ...p, ip: { ...p.ip, dst } };
}

/** Returns the packet with new ports (no-op for ICMP). */
export function withPorts(p: Packet, ports: { sport?: number; dport?: number }): Packet {
  if (!hasPorts(p.l4)) return p;
  return { ...p, l4: { ...p.l4, sport: ports.sport ?? p.l4.sport, dport: ports.dport ?? p.l4.dport } };
}

/** Returns the packet with its TTL (hop limit) decremented by one. */
export function decrementTtl(p: Packet): Packet {
  return { ...p, ip: { ...p.ip, ttl: p.ip.ttl - 1 } };
}

/** Pushes an outer header (encapsulation). */
export function encapsulate(p: Packet, outer: OuterHeader): Packet {
  return { ...p, encap: [...p.encap, outer] };
}

/** Pops the outer header (decapsulation); undefined when there is none. */
export function decapsulate(p: Packet): { packet: Packet; outer: OuterHeader } | undefined {
  const outer = p.encap[p.encap.length - 1];
  if (outer === undefined) return undefined;
  return { packet: { ...p, encap: p.encap.slice(0, -1) }, outer };
}
