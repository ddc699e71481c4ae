/**
 * The JSON shape of a packet, as the trace documents carry it (docs/trace-schema.md). It lives
 * with the packet value so the tracer can record packets without importing a renderer.
 */
import { formatIp } from '../addr/ip.js';
import { type Packet, hasPorts } from './packet.js';

/** The packet fields the trace JSON carries (`src`, `dst`, `proto`, ports or ICMP fields, `ttl`). */
export interface PacketJson {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly icmpId?: number;
  readonly ttl: number;
}

/** The JSON form of a packet (documented in docs/trace-schema.md). */
export function packetJson(p: Packet): PacketJson {
  const base = { src: formatIp(p.ip.src), dst: formatIp(p.ip.dst), proto: p.l4.proto };
  if (hasPorts(p.l4)) return { ...base, sport: p.l4.sport, dport: p.l4.dport, ttl: p.ip.ttl };
  return { ...base, icmpType: p.l4.type, icmpCode: p.l4.code, icmpId: p.l4.id, ttl: p.ip.ttl };
}
