/** Short text and JSON forms of packets, shared by the trace renderers. */
import { formatIp } from '../addr/ip.js';
import type { Packet } from '../packet/packet.js';
import { hasPorts } from '../packet/packet.js';

/** `tcp 10.0.0.1:40000 → 10.96.0.10:80` (IPv6 hosts in brackets). */
export function packetText(p: Packet): string {
  const host = (a: Packet['ip']['src']) => (a.family === 6 ? `[${formatIp(a)}]` : formatIp(a));
  if (hasPorts(p.l4)) return `${p.l4.proto} ${host(p.ip.src)}:${p.l4.sport} → ${host(p.ip.dst)}:${p.l4.dport}`;
  return `${p.l4.proto} ${formatIp(p.ip.src)} → ${formatIp(p.ip.dst)} type ${p.l4.type} code ${p.l4.code} id ${p.l4.id}`;
}

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
