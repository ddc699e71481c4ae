/** The short text form of a packet, shared by the trace renderers (the JSON form is packet/json.ts). */
import { formatIp } from '../addr/ip.js';
import type { Packet } from '../packet/packet.js';
import { hasPorts } from '../packet/packet.js';

/** `tcp 10.0.0.1:40000 → 10.96.0.10:80` (IPv6 hosts in brackets). */
export function packetText(p: Packet): string {
  const host = (a: Packet['ip']['src']) => (a.family === 6 ? `[${formatIp(a)}]` : formatIp(a));
  if (hasPorts(p.l4)) return `${p.l4.proto} ${host(p.ip.src)}:${p.l4.sport} → ${host(p.ip.dst)}:${p.l4.dport}`;
  return `${p.l4.proto} ${formatIp(p.ip.src)} → ${formatIp(p.ip.dst)} type ${p.l4.type} code ${p.l4.code} id ${p.l4.id}`;
}
