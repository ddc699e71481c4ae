/**
 * Rewriting a packet's addresses and ports for NAT. Netfilter works on the outermost header, so
 * a tunnelled packet has its outer header rewritten (vxlan: outer UDP ports too).
 */
import type { Ip } from '../../../addr/ip.js';
import { formatIp } from '../../../addr/ip.js';
import { hasPorts, type OuterHeader, type Packet } from '../../../packet/packet.js';
import type { ManipType, NatChange } from './nat.js';

interface Fields {
  readonly addr: Ip;
  readonly port: number | undefined;
}

function readFields(p: Packet, m: ManipType): Fields {
  const top = p.encap[p.encap.length - 1];
  if (top !== undefined) {
    const addr = m === 'src' ? top.ip.src : top.ip.dst;
    return { addr, port: top.kind === 'vxlan' ? (m === 'src' ? top.sport : top.dport) : undefined };
  }
  const addr = m === 'src' ? p.ip.src : p.ip.dst;
  const l4 = p.l4;
  if (hasPorts(l4)) return { addr, port: m === 'src' ? l4.sport : l4.dport };
  return { addr, port: l4.id };
}

function writeOuter(o: OuterHeader, m: ManipType, f: Fields): OuterHeader {
  const ip = m === 'src' ? { ...o.ip, src: f.addr } : { ...o.ip, dst: f.addr };
  if (o.kind !== 'vxlan' || f.port === undefined) return { ...o, ip };
  return m === 'src' ? { ...o, ip, sport: f.port } : { ...o, ip, dport: f.port };
}

function writeFields(p: Packet, m: ManipType, f: Fields): Packet {
  const top = p.encap[p.encap.length - 1];
  if (top !== undefined) return { ...p, encap: [...p.encap.slice(0, -1), writeOuter(top, m, f)] };
  const ip = m === 'src' ? { ...p.ip, src: f.addr } : { ...p.ip, dst: f.addr };
  const l4 = p.l4;
  if (f.port === undefined) return { ...p, ip };
  if (!hasPorts(l4)) return { ...p, ip, l4: { ...l4, id: f.port } };
  return { ...p, ip, l4: m === 'src' ? { ...l4, sport: f.port } : { ...l4, dport: f.port } };
}

/** Sets the `m` address and port of a packet; returns the new packet and what changed. */
export function rewrite(p: Packet, m: ManipType, addr: Ip, port: number): { packet: Packet; changes: NatChange[] } {
  const old = readFields(p, m);
  const changes: NatChange[] = [];
  if (old.addr.value !== addr.value) changes.push({ field: m, from: formatIp(old.addr), to: formatIp(addr) });
  const newPort = old.port === undefined ? undefined : port;
  if (old.port !== undefined && newPort !== undefined && old.port !== newPort) {
    changes.push({ field: m === 'src' ? 'sport' : 'dport', from: String(old.port), to: String(newPort) });
  }
  if (changes.length === 0) return { packet: p, changes };
  return { packet: writeFields(p, m, { addr, port: newPort }), changes };
}
