/**
 * The conntrack table of one namespace: confirmed entries by id, and a hash from both tuples of
 * each entry to its id and direction (`nf_conntrack_hash`). Unconfirmed entries are not here:
 * they travel with the skb until `nf_conntrack_confirm` (see ../hook.ts), as in Linux, so a
 * packet dropped before confirm leaves no trace.
 */
import type { ConntrackEntry } from './entry.js';
import { type Tuple, tupleKey } from './tuple.js';

/** Direction of a packet relative to its connection. */
export type CtDir = 'original' | 'reply';

/** Per-namespace conntrack state. */
export interface ConntrackTable {
  /** Next entry id (ids are never reused, so an skb's reference cannot alias a new entry). */
  nextId: number;
  readonly entries: Map<number, ConntrackEntry>;
  readonly index: Map<string, { readonly id: number; readonly dir: CtDir }>;
}

/** An empty table. */
export function createConntrack(): ConntrackTable {
  return { nextId: 1, entries: new Map(), index: new Map() };
}

/** Forked tables (a trace's fork of a namespace, ../fork.ts) whose maps are still their base's. */
const sharing = new WeakSet<ConntrackTable>();

/**
 * A table that reads as `t` and copies its maps the first time it is written (every write is in
 * this file, {@link own}): a trace forks each namespace it crosses, and copying every entry there
 * would cost what the namespace has, not what the trace does.
 */
export function forkConntrack(t: ConntrackTable): ConntrackTable {
  const fork: ConntrackTable = { nextId: t.nextId, entries: t.entries, index: t.index };
  sharing.add(fork);
  return fork;
}

/** `t`, with maps of its own. */
function own(t: ConntrackTable): ConntrackTable {
  if (sharing.delete(t)) {
    const w = t as { -readonly [K in keyof ConntrackTable]: ConntrackTable[K] };
    w.entries = new Map(t.entries);
    w.index = new Map(t.index);
  }
  return t;
}

/** Removes an entry and its two hash slots (`conntrack -D`). */
export function deleteEntry(t: ConntrackTable, id: number): void {
  const e = t.entries.get(id);
  if (e === undefined) return;
  own(t);
  t.entries.delete(id);
  t.index.delete(tupleKey(e.orig));
  t.index.delete(tupleKey(e.reply));
}

/** The confirmed entry a tuple belongs to, and the packet's direction; expired entries are reaped on the way. */
export function lookup(t: ConntrackTable, tuple: Tuple, now: number): { entry: ConntrackEntry; dir: CtDir } | undefined {
  const hit = t.index.get(tupleKey(tuple));
  if (hit === undefined) return undefined;
  const entry = t.entries.get(hit.id);
  if (entry === undefined) return undefined;
  if (entry.expires <= now) {
    deleteEntry(t, entry.id);
    return undefined;
  }
  return { entry, dir: hit.dir };
}

/** Stores a new version of a confirmed entry (same id and tuples). */
export function replaceEntry(t: ConntrackTable, entry: ConntrackEntry): void {
  if (t.entries.has(entry.id)) own(t).entries.set(entry.id, entry);
}

/**
 * Inserts an entry at confirm time. Returns false on a clash (another connection already owns
 * one of the tuples), in which case the kernel drops the packet (`nf_ct_resolve_clash` aside).
 */
export function insertConfirmed(t: ConntrackTable, entry: ConntrackEntry, now: number): boolean {
  if (lookup(t, entry.orig, now) !== undefined || lookup(t, entry.reply, now) !== undefined) return false;
  own(t);
  t.entries.set(entry.id, entry);
  t.index.set(tupleKey(entry.orig), { id: entry.id, dir: 'original' });
  t.index.set(tupleKey(entry.reply), { id: entry.id, dir: 'reply' });
  return true;
}

/**
 * `nf_nat_used_tuple`: true when a connection other than `selfId` already expects `reply` as
 * its reply tuple (so a NAT choice producing it would make two connections indistinguishable).
 */
export function replyTupleTaken(t: ConntrackTable, reply: Tuple, selfId: number, now: number): boolean {
  const hit = lookup(t, reply, now);
  return hit !== undefined && hit.entry.id !== selfId;
}

/** Which entries `conntrack -D` deletes: every given field must match (`-p`, `--orig-src`, `--orig-dst`, `--dst-nat`, `--orig-port-dst`). */
export interface ConntrackFilter {
  readonly proto?: number;
  readonly origSrc?: bigint;
  readonly origDst?: bigint;
  /** The DNAT destination (`--dst-nat`): the reply tuple's source. */
  readonly dstNat?: bigint;
  readonly origDport?: number;
}

/**
 * `conntrack -D [filters]`: deletes the matching entries and returns how many went. kube-proxy
 * does this for UDP services whose endpoints changed, so datagrams stop reaching the old backend.
 */
export function deleteMatching(t: ConntrackTable, f: ConntrackFilter): number {
  let n = 0;
  for (const e of [...t.entries.values()]) {
    if (f.proto !== undefined && e.orig.proto !== f.proto) continue;
    if (f.origSrc !== undefined && e.orig.src.value !== f.origSrc) continue;
    if (f.origDst !== undefined && e.orig.dst.value !== f.origDst) continue;
    if (f.dstNat !== undefined && e.reply.src.value !== f.dstNat) continue;
    if (f.origDport !== undefined && e.orig.dport !== f.origDport) continue;
    deleteEntry(t, e.id);
    n++;
  }
  return n;
}
