/**
 * NAT bindings and packet rewriting, after net/netfilter/nf_nat_core.c.
 *
 * A binding is decided once per connection and manip type (`nf_nat_setup_info`): the tuple the
 * connection will have after translation is chosen (`get_unique_tuple`) and the entry's reply
 * tuple becomes its inverse. Every packet, first or later, either direction, is then rewritten
 * the same way (`nf_nat_manip_pkt`): the field of the hook's manip type is set from the inverse
 * of the *other* direction's tuple, when the matching status bit is on. For a reply the bit is
 * flipped (SRC↔DST), which is how a reply gets its source un-DNATed in POSTROUTING and its
 * destination un-SNATed in PREROUTING.
 *
 * The address inside a range is chosen as the kernel does (a jhash of the source, see
 * jhash.ts). Port choice is deterministic where the kernel draws at random: when a port must
 * change, the lowest free port of the range is taken (the kernel starts at a random or hashed
 * offset), and `--random-fully` always remaps, to the lowest free port.
 */
import type { Ip } from '../../../addr/ip.js';
import { type ConntrackEntry, type NatBy, natActive } from './entry.js';
import { bestAddress } from './jhash.js';
import { type ConntrackTable, type CtDir, replyTupleTaken } from './table.js';
import { hasPortNumbers, invert, isIcmpProto, type Tuple } from './tuple.js';

/** Source or destination translation (`enum nf_nat_manip_type`). */
export type ManipType = 'src' | 'dst';

/** `struct nf_nat_range2` as the DNAT/SNAT/MASQUERADE targets fill it. */
export interface NatRange {
  readonly minAddr: Ip;
  readonly maxAddr: Ip;
  /** Present when ports were given (`NF_NAT_RANGE_PROTO_SPECIFIED`). */
  readonly ports?: { readonly min: number; readonly max: number };
  /** `--random-fully` (`NF_NAT_RANGE_PROTO_RANDOM_FULLY`). `--random` only changes the kernel's offset, which netsim does not draw. */
  readonly randomFully: boolean;
  /** `--persistent`: the address choice ignores the destination. */
  readonly persistent?: boolean;
}

/** The tuple's port (or ICMP id) that a manip of this type may change. */
function portOf(t: Tuple, m: ManipType): number {
  return m === 'src' || isIcmpProto(t.proto) ? t.sport : t.dport;
}

function withAddr(t: Tuple, m: ManipType, a: Ip): Tuple {
  return m === 'src' ? { ...t, src: a } : { ...t, dst: a };
}

function withPort(t: Tuple, m: ManipType, port: number): Tuple {
  return m === 'src' || isIcmpProto(t.proto) ? { ...t, sport: port } : { ...t, dport: port };
}

function addrInRange(a: Ip, r: NatRange): boolean {
  return a.family === r.minAddr.family && a.value >= r.minAddr.value && a.value <= r.maxAddr.value;
}

/** The kernel's default source-port range for an unspecified range (`nf_nat_l4proto_unique_tuple`). */
function defaultPortRange(t: Tuple, m: ManipType): { min: number; max: number } | undefined {
  if (isIcmpProto(t.proto)) return { min: 0, max: 65535 };
  if (m === 'dst') return undefined; // "If it's dst rewrite, can't change port"
  const p = portOf(t, m);
  if (p < 512) return { min: 1, max: 511 };
  if (p < 1024) return { min: 600, max: 1023 };
  return { min: 1024, max: 65535 };
}

interface Choice {
  readonly ct: ConntrackTable;
  readonly selfId: number;
  readonly now: number;
}

function used(c: Choice, t: Tuple): boolean {
  return replyTupleTaken(c.ct, invert(t), c.selfId, c.now);
}

/** `get_unique_tuple`: the tuple the connection will have after this manip. */
function uniqueTuple(c: Choice, t: Tuple, r: NatRange, m: ManipType): Tuple {
  const portful = hasPortNumbers(t.proto) || isIcmpProto(t.proto);
  const inPorts = (x: Tuple) => r.ports === undefined || (portOf(x, m) >= r.ports.min && portOf(x, m) <= r.ports.max);
  if (m === 'src' && !r.randomFully && addrInRange(t.src, r) && inPorts(t) && !used(c, t)) return t;
  const cand = withAddr(t, m, bestAddress(t.src, t.dst, r.minAddr, r.maxAddr, { persistent: r.persistent === true, manip: m }));
  if (!portful) return cand;
  if (!r.randomFully) {
    if (r.ports !== undefined && inPorts(cand) && (r.ports.min === r.ports.max || !used(c, cand))) return cand;
    if (r.ports === undefined && !used(c, cand)) return cand;
  }
  const range = r.ports ?? defaultPortRange(cand, m);
  if (range === undefined) return cand;
  for (let port = range.min; port <= range.max; port++) {
    const next = withPort(cand, m, port);
    if (!used(c, next)) return next;
  }
  return cand; // every port taken: the kernel gives up the same way and the clash drops at confirm
}

/** The tuple of the original direction as it leaves the NAT done so far (the inverse of the reply tuple). */
function currentTuple(e: ConntrackEntry): Tuple {
  return invert(e.reply);
}

/** `nf_nat_setup_info`: decides the binding of one manip type for a new connection. */
export function setupNat(ct: ConntrackTable, e: ConntrackEntry, m: ManipType, r: NatRange, by: Exclude<NatBy, 'null'>, now: number): ConntrackEntry {
  const cur = currentTuple(e);
  const next = uniqueTuple({ ct, selfId: e.id, now }, cur, r, m);
  const changed = next.src.value !== cur.src.value || next.dst.value !== cur.dst.value || next.sport !== cur.sport || next.dport !== cur.dport;
  const binding: NatBy = changed ? by : 'null';
  const reply = invert(next);
  return m === 'src' ? { ...e, reply, natSrc: binding } : { ...e, reply, natDst: binding };
}

/**
 * `nf_nat_alloc_null_binding`: no nat rule decided, so the connection keeps its address, but a
 * source port may still move when the tuple clashes with an existing connection.
 */
export function nullBinding(ct: ConntrackTable, e: ConntrackEntry, m: ManipType, now: number): ConntrackEntry {
  const cur = currentTuple(e);
  const addr = m === 'src' ? cur.src : cur.dst;
  const next = setupNat(ct, e, m, { minAddr: addr, maxAddr: addr, randomFully: false }, 'SNAT', now);
  const moved = (m === 'src' ? next.natSrc : next.natDst) !== 'null';
  if (moved) return next;
  return m === 'src' ? { ...e, natSrc: 'null' } : { ...e, natDst: 'null' };
}

/** One rewritten field, for the `nat` event. */
export interface NatChange {
  readonly field: 'src' | 'dst' | 'sport' | 'dport';
  readonly from: string;
  readonly to: string;
}

/** Which binding applies to a packet of direction `dir` at a hook of manip type `m`, if any. */
export function appliedBinding(e: ConntrackEntry, dir: CtDir, m: ManipType): NatBy | undefined {
  const statusBit: ManipType = dir === 'reply' ? (m === 'src' ? 'dst' : 'src') : m;
  const by = statusBit === 'src' ? e.natSrc : e.natDst;
  return natActive(by) ? by : undefined;
}

/** The address and port a packet of direction `dir` must carry in its `m` field (`nf_nat_manip_pkt`). */
export function manipTarget(e: ConntrackEntry, dir: CtDir, m: ManipType): { addr: Ip; port: number } {
  const target = invert(dir === 'original' ? e.reply : e.orig);
  return m === 'src' ? { addr: target.src, port: target.sport } : { addr: target.dst, port: isIcmpProto(target.proto) ? target.sport : target.dport };
}
