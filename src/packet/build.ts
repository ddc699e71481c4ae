/** Packet builders: a packet for a flow with kernel-like defaults (TTL 64, SYN for TCP). */
import { type Flow, isIcmpFlow } from './flow.js';
import type { L4Header, Packet } from './packet.js';

/** Default TTL / hop limit of a locally generated packet (`net.ipv4.ip_default_ttl`). */
export const DEFAULT_TTL = 64;

/** Options of {@link packetFor}. */
export interface PacketOptions {
  readonly ttl?: number;
  /** The IP packet's total length in bytes (default: a SYN with options: 60, or 80 for IPv6). */
  readonly length?: number;
  /** The DF bit (IPv4) or IPV6_DONTFRAG (IPv6): Linux sets it on TCP and path-MTU-probing sockets (default true). */
  readonly dontFragment?: boolean;
  readonly tcpFlags?: readonly ('SYN' | 'ACK' | 'FIN' | 'RST' | 'URG' | 'PSH')[];
}

/** The first packet of a flow: a TCP SYN, a UDP datagram or an ICMP message. */
export function packetFor(flow: Flow, opts: PacketOptions = {}): Packet {
  let l4: L4Header;
  if (isIcmpFlow(flow)) l4 = { proto: flow.proto, type: flow.type, code: flow.code, id: flow.id };
  else if (flow.proto === 'tcp') l4 = { proto: 'tcp', sport: flow.sport, dport: flow.dport, flags: opts.tcpFlags ?? ['SYN'] };
  else l4 = { proto: flow.proto, sport: flow.sport, dport: flow.dport };
  const headerLen = flow.family === 4 ? 20 : 40;
  return {
    ip: { family: flow.family, src: flow.src, dst: flow.dst, ttl: opts.ttl ?? DEFAULT_TTL, length: opts.length ?? headerLen + 40, dontFragment: opts.dontFragment ?? true },
    l4,
    encap: [],
  };
}

/** The smallest IP packet that carries `proto`'s header: the IP header plus the L4 header. */
export function minimumLength(family: 4 | 6, proto: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6'): number {
  const l4 = proto === 'tcp' ? 20 : proto === 'sctp' ? 12 : 8;
  return (family === 4 ? 20 : 40) + l4;
}
