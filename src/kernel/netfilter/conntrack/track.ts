/**
 * `nf_conntrack_in` and the per-protocol refresh: find the entry a packet belongs to or start a
 * new one, update its status and timeout, and say how `--ctstate` sees the packet.
 *
 * ctinfo follows `resolve_normal_ct()` (net/netfilter/nf_conntrack_core.c): a reply-direction
 * packet is ESTABLISHED; an original-direction packet is ESTABLISHED once a reply was seen and
 * NEW before that, even when the entry is already confirmed (a retransmitted SYN, a second UDP
 * datagram). This was checked in a namespace: two datagrams without answer both match
 * `--ctstate NEW`, but only the first one traverses the nat table.
 */
import type { Packet } from '../../../packet/packet.js';
import { assertNever } from '../../../diag/diagnostic.js';
import { type ConntrackEntry, GENERIC_TIMEOUT, ICMP_TIMEOUT, TCP_TIMEOUT, UDP_STREAM_TIMEOUT, UDP_TIMEOUT } from './entry.js';
import { deleteEntry, lookup, type ConntrackTable, type CtDir } from './table.js';
import { flagClass, tcpNewState, tcpTransition } from './tcp.js';
import { IPPROTO, invert, type Tuple } from './tuple.js';

/** How `-m conntrack --ctstate` / `-m state` sees a tracked packet. */
export type CtInfo = 'NEW' | 'ESTABLISHED' | 'RELATED';

/** What conntrack made of a packet. */
export type TrackResult =
  | {
      readonly kind: 'found';
      readonly entry: ConntrackEntry;
      readonly dir: CtDir;
      /** A RST before any reply: the kernel deletes the entry ("only reply is a RST"), the packet passes. */
      readonly kill?: true;
    }
  | { readonly kind: 'new'; readonly entry: ConntrackEntry }
  | { readonly kind: 'invalid'; readonly why: string };

/** The ctinfo of a packet of `entry` going in direction `dir`. */
export function ctInfo(entry: ConntrackEntry, dir: CtDir): CtInfo {
  if (dir === 'reply') return 'ESTABLISHED';
  return entry.seenReply ? 'ESTABLISHED' : 'NEW';
}

function tcpFlagsOf(p: Packet) {
  return p.encap.length === 0 && p.l4.proto === 'tcp' ? p.l4.flags : [];
}

/** The timeout after a packet, per protocol (the `nf_conntrack_*_packet` refresh). */
function refreshTimeout(e: ConntrackEntry, now: number): number {
  if (e.tcpState !== undefined) return TCP_TIMEOUT[e.tcpState];
  switch (e.orig.proto) {
    case IPPROTO.udp:
      // A UDP flow becomes a "stream" (longer timeout, ASSURED) only when a reply was seen and
      // the entry has lived for more than 2 s (nf_conntrack_udp_packet, Linux >= 5.19).
      return e.seenReply && now > e.created + 2 ? UDP_STREAM_TIMEOUT : UDP_TIMEOUT;
    case IPPROTO.icmp:
    case IPPROTO.icmpv6:
      return ICMP_TIMEOUT;
    default:
      return GENERIC_TIMEOUT;
  }
}

/**
 * ASSURED: TCP once a valid ACK moves SYN_RECV (or a picked-up ESTABLISHED) to ESTABLISHED after
 * a reply was seen; UDP once it is a stream (see refreshTimeout).
 */
function isAssured(e: ConntrackEntry, before: ConntrackEntry, now: number): boolean {
  if (before.assured) return true;
  if (e.tcpState !== undefined) {
    return before.seenReply && e.tcpState === 'ESTABLISHED' && (before.tcpState === 'SYN_RECV' || before.tcpState === 'ESTABLISHED');
  }
  return e.orig.proto === IPPROTO.udp && e.seenReply && now > e.created + 2;
}

/** The entry after one more packet in direction `dir`. */
export function updateEntry(e: ConntrackEntry, dir: CtDir, p: Packet, now: number): ConntrackEntry {
  const seenReply = e.seenReply || dir === 'reply';
  const move = e.tcpState === undefined ? undefined : tcpTransition(e.tcpState, tcpFlagsOf(p), dir === 'reply');
  const tcpState = move === undefined || move === 'IGNORE' || move === 'INVALID' ? e.tcpState : move;
  const next: ConntrackEntry = { ...e, seenReply, ...(tcpState === undefined ? {} : { tcpState }) };
  const assured = isAssured(next, e, now);
  return { ...next, assured, expires: now + refreshTimeout({ ...next, assured }, now) };
}

/** ICMP types that may open an entry (`valid_new[]` in nf_conntrack_proto_icmp.c / icmpv6.c): the requests. */
const ICMP_OPENERS: Readonly<Record<number, ReadonlySet<number>>> = {
  [IPPROTO.icmp]: new Set([8, 13, 15, 17]),
  [IPPROTO.icmpv6]: new Set([128, 139]),
};

/** A new, unconfirmed entry for the first packet of a connection, or why the packet is INVALID. */
function newEntry(t: ConntrackTable, tuple: Tuple, p: Packet, now: number): TrackResult {
  const openers = ICMP_OPENERS[tuple.proto];
  if (openers !== undefined && !openers.has(tuple.type ?? -1)) {
    // Replies without a request, and ICMP errors (RELATED in Linux when their embedded header
    // names a connection; netsim's packets carry no embedded header) start nothing.
    return { kind: 'invalid', why: `ICMP type ${tuple.type ?? '?'} starts no connection` };
  }
  let tcpState;
  if (tuple.proto === IPPROTO.tcp) {
    tcpState = tcpNewState(tcpFlagsOf(p));
    if (tcpState === undefined) return { kind: 'invalid', why: 'TCP packet without SYN or ACK starts no connection' };
  }
  const base: ConntrackEntry = {
    id: t.nextId++,
    orig: tuple,
    reply: invert(tuple),
    confirmed: false,
    seenReply: false,
    assured: false,
    mark: 0,
    created: now,
    expires: now,
    ...(tcpState === undefined ? {} : { tcpState }),
  };
  return { kind: 'new', entry: { ...base, expires: now + refreshTimeout(base, now) } };
}

/** The TCP cases of an existing entry that are not a plain update (`nf_conntrack_tcp_packet`). */
function trackTcp(t: ConntrackTable, hit: { entry: ConntrackEntry; dir: CtDir }, tuple: Tuple, p: Packet, now: number): TrackResult | undefined {
  const e = hit.entry;
  if (e.tcpState === undefined) return undefined;
  const flags = tcpFlagsOf(p);
  const next = tcpTransition(e.tcpState, flags, hit.dir === 'reply');
  if (next === 'INVALID') return { kind: 'invalid', why: `TCP ${flagClass(flags)} from the ${hit.dir} side in ${e.tcpState}` };
  if (next === 'SYN_SENT' && hit.dir === 'original' && (e.tcpState === 'TIME_WAIT' || e.tcpState === 'CLOSE')) {
    deleteEntry(t, e.id); // a new SYN reopens: the old connection dies and this one starts afresh (NAT decided again)
    return newEntry(t, tuple, p, now);
  }
  if (flagClass(flags) === 'rst' && !e.seenReply) return { kind: 'found', entry: updateEntry(e, hit.dir, p, now), dir: hit.dir, kill: true };
  return undefined;
}

/** `nf_conntrack_in` for a packet without a conntrack reference. */
export function track(t: ConntrackTable, tuple: Tuple, p: Packet, now: number): TrackResult {
  const hit = lookup(t, tuple, now);
  if (hit === undefined) return newEntry(t, tuple, p, now);
  return trackTcp(t, hit, tuple, p, now) ?? { kind: 'found', entry: updateEntry(hit.entry, hit.dir, p, now), dir: hit.dir };
}

/** The conntrack event action for a tracked packet. */
export function trackAction(r: TrackResult): 'new' | 'established' | 'invalid' {
  switch (r.kind) {
    case 'new':
      return 'new';
    case 'found':
      return ctInfo(r.entry, r.dir) === 'NEW' ? 'new' : 'established';
    case 'invalid':
      return 'invalid';
    default:
      return assertNever(r, 'track result');
  }
}
