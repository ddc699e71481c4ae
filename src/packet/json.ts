/**
 * The JSON shape of a packet, as the trace documents carry it (docs/trace-schema.md). It lives
 * with the packet value so the tracer can record packets without importing a renderer.
 */
import { formatIp } from '../addr/ip.js';
import { type OuterHeader, type Packet, hasPorts } from './packet.js';

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
  /** The TOS byte (IPv6 traffic class) as a number, present only when not 0 (`-j TOS`, `-j DSCP`). */
  readonly tos?: number;
  /**
   * The tunnel headers around the packet, outermost first (as on the wire); present only for an
   * encapsulated packet. `src`/`dst`/`ttl` are the outer IP header's.
   */
  readonly encap?: readonly OuterJson[];
}

/** One outer header: VXLAN (outer IP, UDP ports, VNI, the inner Ethernet addresses) or IPIP. */
export type OuterJson =
  | { readonly kind: 'vxlan'; readonly src: string; readonly dst: string; readonly ttl: number; readonly sport: number; readonly dport: number; readonly vni: number; readonly innerSrcMac: string; readonly innerDstMac: string }
  | { readonly kind: 'ipip'; readonly src: string; readonly dst: string; readonly ttl: number };

/** The JSON of one outer header. */
export function outerJson(o: OuterHeader): OuterJson {
  const ip = { src: formatIp(o.ip.src), dst: formatIp(o.ip.dst), ttl: o.ip.ttl };
  if (o.kind === 'ipip') return { kind: 'ipip', ...ip };
  return { kind: 'vxlan', ...ip, sport: o.sport, dport: o.dport, vni: o.vni, innerSrcMac: o.innerSrcMac, innerDstMac: o.innerDstMac };
}

/** Each packet's JSON, made once: packets are immutable values, and a trace records one at many steps. */
const made = new WeakMap<Packet, PacketJson>();

/** The JSON form of a packet (documented in docs/trace-schema.md). */
export function packetJson(p: Packet): PacketJson {
  let json = made.get(p);
  if (json === undefined) {
    // Frozen: every trace step that records this packet shares the one value.
    json = Object.freeze(makePacketJson(p));
    if (json.encap !== undefined) Object.freeze(json.encap);
    made.set(p, json);
  }
  return json;
}

function makePacketJson(p: Packet): PacketJson {
  // Built without spreads (this runs for every packet a trace records): the common shapes are
  // two literals, and the optional fields are appended in the documented key order.
  const l4 = p.l4;
  const json: { -readonly [K in keyof PacketJson]: PacketJson[K] } = hasPorts(l4)
    ? { src: formatIp(p.ip.src), dst: formatIp(p.ip.dst), proto: l4.proto, sport: l4.sport, dport: l4.dport, ttl: p.ip.ttl }
    : { src: formatIp(p.ip.src), dst: formatIp(p.ip.dst), proto: l4.proto, icmpType: l4.type, icmpCode: l4.code, icmpId: l4.id, ttl: p.ip.ttl };
  if (p.ip.tos !== undefined && p.ip.tos !== 0) json.tos = p.ip.tos;
  if (p.encap.length > 0) json.encap = [...p.encap].reverse().map(outerJson);
  return json;
}
