/**
 * What a match or target sees while a table is traversed: the packet's header fields (read once
 * per hook into a flat view, so 20,000 rules compare numbers rather than walk objects), the
 * conntrack view, and the few things a target may change (nfmark, connmark, NAT request,
 * NOTRACK). The context is a short-lived mutable object owned by one hook invocation; it never
 * enters the model state.
 */
import type { Family, Ip } from '../../../addr/ip.js';
import type { Packet, TcpFlag } from '../../../packet/packet.js';
import type { Hook, TableName } from '../../events.js';
import type { HookEnv } from '../api.js';
import type { ConntrackEntry } from '../conntrack/entry.js';
import type { ManipType, NatRange } from '../conntrack/nat.js';
import type { CtDir } from '../conntrack/table.js';
import type { CtInfo } from '../conntrack/track.js';
import { tupleOf } from '../conntrack/tuple.js';
import type { NetfilterState } from '../state.js';

/** TCP flag bits as in the TCP header (what `--tcp-flags` masks). */
export const TCP_FLAG_BITS: Readonly<Record<TcpFlag, number>> = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 };

/** The header fields rules look at (outermost IP header, as netfilter sees it). */
export interface PacketView {
  readonly family: Family;
  readonly src: Ip;
  readonly dst: Ip;
  /** IPv4 addresses as unsigned 32-bit numbers (0 for IPv6), for fast prefix tests. */
  readonly src32: number;
  readonly dst32: number;
  readonly proto: number;
  /** Ports for TCP/UDP/SCTP; the ICMP id is not a port. */
  readonly sport: number | undefined;
  readonly dport: number | undefined;
  readonly tcpFlags: number;
  readonly icmpType: number | undefined;
  readonly icmpCode: number | undefined;
  readonly length: number;
  /** The outer IP header's TOS byte (IPv6 traffic class). */
  readonly tos: number;
}

/** Builds the view of a packet. */
export function viewOf(p: Packet): PacketView {
  const t = tupleOf(p);
  const ports = p.encap.length > 0 ? p.encap[p.encap.length - 1]?.kind === 'vxlan' : p.l4.proto !== 'icmp' && p.l4.proto !== 'icmpv6';
  const flags = p.encap.length === 0 && p.l4.proto === 'tcp' ? p.l4.flags.reduce((acc, f) => acc | TCP_FLAG_BITS[f], 0) : 0;
  const icmp = p.encap.length === 0 && (p.l4.proto === 'icmp' || p.l4.proto === 'icmpv6');
  const v4 = t.family === 4;
  return {
    family: t.family,
    src: t.src,
    dst: t.dst,
    src32: v4 ? Number(t.src.value) : 0,
    dst32: v4 ? Number(t.dst.value) : 0,
    proto: t.proto,
    sport: ports ? t.sport : undefined,
    dport: ports ? t.dport : undefined,
    tcpFlags: flags,
    icmpType: icmp ? t.type : undefined,
    icmpCode: icmp ? t.code : undefined,
    length: (p.encap[p.encap.length - 1]?.ip ?? p.ip).length,
    tos: (p.encap[p.encap.length - 1]?.ip ?? p.ip).tos ?? 0,
  };
}

/** The conntrack state of the packet: tracked (with ctinfo), untracked (NOTRACK) or invalid (none). */
export type CtView =
  | { readonly kind: 'tracked'; readonly entry: ConntrackEntry; readonly dir: CtDir; readonly info: CtInfo }
  | { readonly kind: 'untracked' }
  | { readonly kind: 'invalid' };

/** A NAT decision made by a DNAT/SNAT/MASQUERADE rule, applied by the hook after the nat table. */
export interface NatRequest {
  readonly manip: ManipType;
  readonly range: NatRange;
  readonly by: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT';
}

/** The evaluation context of one table traversal. */
export interface EvalCtx {
  readonly hook: Hook;
  readonly table: TableName;
  readonly family: Family;
  readonly env: HookEnv;
  readonly state: NetfilterState;
  readonly pkt: PacketView;
  /** skb->mark. */
  mark: number;
  /** The TOS byte as `-j TOS`/`-j DSCP` leave it (written back to the packet after the table). */
  tos: number;
  ct: CtView;
  /** Set by `-j CT --notrack` / `-j NOTRACK`. */
  notrack: boolean;
  nat: NatRequest | undefined;
  /** The rule being evaluated (for labels of random choices and `--mode nth` counters). */
  chain: string;
  position: number;
}
