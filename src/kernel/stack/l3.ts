/**
 * The IP header the stack acts on: the outermost one. An encapsulated packet on the underlay is
 * routed, filtered and TTL-decremented by its tunnel header, as the kernel only ever sees the
 * outer header until the tunnel device strips it (and netfilter reads the same header).
 */
import type { Ip } from '../../addr/ip.js';
import { type IpHeader, type Packet, outerIp } from '../../packet/packet.js';

/** The outermost IP header. */
export const l3 = outerIp;

/** The packet with its outermost IP header replaced. */
export function withL3(p: Packet, h: IpHeader): Packet {
  const top = p.encap[p.encap.length - 1];
  if (top === undefined) return { ...p, ip: h };
  return { ...p, encap: [...p.encap.slice(0, -1), { ...top, ip: h }] };
}

/** The packet with a new outermost source address. */
export function withL3Src(p: Packet, src: Ip): Packet {
  return withL3(p, { ...l3(p), src });
}

/** The packet with its outermost TTL (hop limit) decremented. */
export function decrementL3Ttl(p: Packet): Packet {
  const h = l3(p);
  return withL3(p, { ...h, ttl: h.ttl - 1 });
}
