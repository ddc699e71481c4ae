/**
 * Packet size against device MTU, where the kernel checks it:
 *
 * - a local socket sending more than the route's MTU with DF (IPv4 `IP_PMTUDISC_DO`, IPv6
 *   `IPV6_DONTFRAG`) gets EMSGSIZE and nothing is sent (`ping -M do`: "local error: message too
 *   long, mtu=1500"); without DF the host fragments (ip_fragment, ip6_fragment);
 * - a router forwarding more than the out device's MTU with DF (always for IPv6, which routers
 *   never fragment) drops it and sends back ICMP "fragmentation needed" / ICMPv6 "packet too
 *   big" (ip_forward, ip6_forward); without DF (IPv4) it fragments in ip_finish_output;
 * - at L2, a veth or a bridge port hands a frame to a device whose MTU it exceeds: dropped
 *   silently (is_skb_forwardable: at most mtu + the Ethernet header + a VLAN tag, so an IP
 *   packet of mtu + 4 bytes still passes), counted in the device's rx_dropped.
 *
 * Fragments are not modelled as separate packets: the trace follows the first fragment, which
 * carries the L4 header, with the fragment's length.
 */
import { formatIp } from '../../addr/ip.js';
import type { Packet } from '../../packet/packet.js';
import type { Link } from '../link/types.js';
import { l3, withL3 } from './l3.js';
import { type Run, type StepResult, drop } from './types.js';

/** VLAN_HLEN: the slack is_skb_forwardable allows beyond the MTU and the Ethernet header. */
const VLAN_HLEN = 4;

/** The MTU of `dev` in the namespace being executed (1500 for an unknown device). */
export function devMtu(run: Run, dev: string): number {
  return run.ns.links[dev]?.mtu ?? 1500;
}

/** How IPv4/IPv6 cut a packet of `length` bytes for `mtu`: the count and the first fragment's length. */
export function fragmentsOf(length: number, mtu: number, family: 4 | 6): { count: number; first: number } {
  const header = family === 4 ? 20 : 40 + 8; // IPv6 adds a fragment header
  const per = Math.floor((mtu - header) / 8) * 8;
  const payload = length - (family === 4 ? 20 : 40);
  return { count: Math.ceil(payload / per), first: header + per };
}

/** A local socket's send: EMSGSIZE with DF, else the packet as it goes on (checked again at output). */
export function localSendFits(run: Run, packet: Packet, dev: string): StepResult | undefined {
  const h = l3(packet);
  const mtu = devMtu(run, dev);
  if (h.length <= mtu || !h.dontFragment) return undefined;
  return drop(run, 'MTU_EXCEEDED', `local error: message too long, mtu=${mtu} (${h.length} bytes with DF for ${dev}: the socket's send fails with EMSGSIZE, nothing is sent)`, packet);
}

/** ip_forward's size check: with DF (or IPv6) too big is dropped and the sender told so. */
export function forwardFits(run: Run, packet: Packet, dev: string): StepResult | undefined {
  const h = l3(packet);
  const mtu = devMtu(run, dev);
  if (h.length <= mtu || (!h.dontFragment && h.family === 4)) return undefined;
  const icmp = h.family === 4 ? `ICMP fragmentation needed (type 3 code 4, mtu ${mtu})` : `ICMPv6 packet too big (mtu ${mtu})`;
  return drop(run, 'MTU_EXCEEDED', `${h.length} bytes > mtu ${mtu} of ${dev}${h.family === 4 ? ' with DF set' : ''}; ${icmp} goes back to ${formatIp(h.src)}`, packet);
}

/**
 * ip_finish_output (ip_fragment): a packet still bigger than the device's MTU is fragmented when
 * DF is clear, and the trace follows the first fragment; with DF it is dropped (a socket's send
 * was refused earlier, so this is a packet re-routed onto a smaller device).
 */
export function fitForOutput(run: Run, packet: Packet, dev: string): { readonly packet: Packet } | { readonly result: StepResult } {
  const h = l3(packet);
  const mtu = devMtu(run, dev);
  if (h.length <= mtu) return { packet };
  if (h.dontFragment) return { result: drop(run, 'MTU_EXCEEDED', `${h.length} bytes > mtu ${mtu} of ${dev} with DF set`, packet) };
  const f = fragmentsOf(h.length, mtu, h.family);
  run.emit({ kind: 'fragment', ns: run.ns.name, dev, mtu, length: h.length, fragments: f.count, first: f.first });
  return { packet: withL3(packet, { ...h, length: f.first }) };
}

/** is_skb_forwardable: may a frame carrying `packet` be handed to `to`? A silent drop when not. */
export function frameFits(run: Run, packet: Packet, to: Link, where: string): StepResult | undefined {
  const len = l3(packet).length;
  if (len <= to.mtu + VLAN_HLEN) return undefined;
  return drop(run, 'FRAME_TOO_BIG', `${where}: a frame of ${len + 14} bytes (IP ${len}) exceeds mtu ${to.mtu} of ${to.name}; dropped silently (rx_dropped), no ICMP`, packet);
}
