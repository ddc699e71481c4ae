/**
 * Longest-prefix match over one family's routes of one table: a path-compressed binary trie
 * (a PATRICIA tree, like the kernel's fib_trie, whose nodes also skip the bits every prefix below
 * them shares). A node stands for one prefix; it exists only where a route ends or where two
 * prefixes below it part, so a /128 costs a node or two, not 128 (a pod's `::1`, its link-local
 * address and every veth's made a pod namespace's indexes a few thousand array slots). A lookup
 * walks the nodes on the path of the address, checking at each that the address is inside the
 * node's prefix and remembering the deepest node holding a usable route — the same answer as
 * fib_table_lookup / fib6_lookup. Address bits are read from 32-bit words, so no bigint
 * arithmetic happens inside the walk.
 *
 * Within one prefix the routes are kept sorted by metric, then age: the kernel picks the lowest
 * metric (fib_table_lookup walks the aliases in that order) and, among equals, the oldest.
 */
import type { Family, Ip } from '../../addr/ip.js';
import type { PrefixIndex, Route } from './types.js';
import { noteRoutesWrite } from '../netns-changes.js';

/** An empty index (just the root: the prefix of length 0). */
export function emptyIndex(family: Family): PrefixIndex {
  return { family, child: [0, 0], routes: [undefined], len: [0], key: family === 4 ? [0] : [0, 0, 0, 0], size: 0 };
}

/** The address as 32-bit words (unsigned), most significant first. */
function words(a: Ip): number[] {
  if (a.family === 4) return [Number(a.value)];
  const v = a.value;
  return [Number((v >> 96n) & 0xffffffffn), Number((v >> 64n) & 0xffffffffn), Number((v >> 32n) & 0xffffffffn), Number(v & 0xffffffffn)];
}

/** The words of {@link nodeOf}'s address, one array per family reused (a pod's ADD inserts some twenty routes). */
const SCRATCH4 = [0];
const SCRATCH6 = [0, 0, 0, 0];

/**
 * The words of IPv6 addresses held as shared values (fe80::/64, fe80::, ff00::/8: every veth's
 * link-local routes insert them), worked out once instead of by bigint shifts on each insert.
 */
const KNOWN6 = new WeakMap<Ip, readonly number[]>();

/** Remembers the words of `a`, an IPv6 address that is a shared, never-changed value (see KNOWN6). */
export function rememberWords<T extends Ip>(a: T): T {
  // Not frozen: a frozen array's elements are boxed, and the walks' reads of `w` (a scratch array
  // or one of these) went through the generic keyed load; nothing outside this module sees them.
  if (a.family === 6) KNOWN6.set(a, words(a));
  return a;
}

/** The words {@link nodeOf} walks for `a` (for prefix-words.property.test.ts). */
export function wordsOf(a: Ip): readonly number[] {
  return [...scratchWords(a)];
}

/** {@link words} into the family's scratch array (or a remembered address's own): valid until the next call, read only. */
function scratchWords(a: Ip): number[] {
  if (a.family === 4) {
    SCRATCH4[0] = Number(a.value);
    return SCRATCH4;
  }
  const known = KNOWN6.get(a);
  if (known !== undefined) return known as number[];
  const v = a.value;
  const hi = v >> 64n;
  SCRATCH6[0] = Number(hi >> 32n);
  SCRATCH6[1] = Number(hi & 0xffffffffn);
  SCRATCH6[2] = Number((v >> 32n) & 0xffffffffn);
  SCRATCH6[3] = Number(v & 0xffffffffn);
  return SCRATCH6;
}

function bitAt(w: readonly number[], i: number): number {
  return ((w[i >>> 5] ?? 0) >>> (31 - (i & 31))) & 1;
}

/** Orders routes of one prefix: metric, then insertion. */
export function compareSamePrefix(a: Route, b: Route): number {
  return a.metric - b.metric || a.seq - b.seq;
}

/** Words of the index's family per node key. */
function stride(ix: PrefixIndex): number {
  return ix.family === 4 ? 1 : 4;
}

/**
 * How many leading bits the address `w` shares with node `n`'s prefix, up to the node's length
 * (equal to it when the address lies inside the prefix).
 */
function shared(ix: PrefixIndex, n: number, w: readonly number[]): number {
  const len = ix.len[n] ?? 0;
  const k = stride(ix);
  for (let i = 0, at = 0; at < len; i++, at += 32) {
    const x = ((w[i] ?? 0) ^ (ix.key[n * k + i] ?? 0)) >>> 0;
    if (x !== 0) return Math.min(len, at + Math.clz32(x));
  }
  return len;
}

/** Word `i` of `w` with every bit from `len` on cleared (a node's key). */
function maskedWord(w: readonly number[], i: number, len: number): number {
  const x = w[i] ?? 0;
  const keep = len - 32 * i;
  if (keep >= 32) return x;
  if (keep <= 0) return 0;
  return (x & (0xffffffff << (32 - keep))) >>> 0;
}

/** A new node for the prefix `w`/`len` with no routes and no children (its key pushed word by word: no array per node). */
function newNode(ix: PrefixIndex, w: readonly number[], len: number): number {
  const n = ix.routes.length;
  ix.routes.push(undefined);
  ix.child.push(0, 0);
  ix.len.push(len);
  for (let i = 0; i < w.length; i++) ix.key.push(maskedWord(w, i, len));
  return n;
}

/**
 * The node of the prefix of the address whose words are `w`, created (with the node where it
 * parts from its neighbour, if needed) when `create` is set; -1 when absent.
 */
function nodeOf(ix: PrefixIndex, w: readonly number[], prefix: number, create: boolean): number {
  let node = 0;
  for (;;) {
    const here = ix.len[node] ?? 0;
    if (here === prefix) return node;
    const slot = 2 * node + bitAt(w, here);
    const next = ix.child[slot] ?? 0;
    if (next === 0) {
      if (!create) return -1;
      const leaf = newNode(ix, w, prefix);
      ix.child[slot] = leaf;
      return leaf;
    }
    const nextLen = ix.len[next] ?? 0;
    const common = Math.min(shared(ix, next, w), prefix);
    if (common === nextLen) {
      node = next;
      continue;
    }
    if (!create) return -1;
    // The prefix parts from `next` (or lies above it): a node at the bits they share takes `next`'s place.
    const fork = newNode(ix, w, common);
    ix.child[slot] = fork;
    ix.child[2 * fork + keyBit(ix, next, common)] = next;
    if (common === prefix) return fork;
    const leaf = newNode(ix, w, prefix);
    ix.child[2 * fork + bitAt(w, common)] = leaf;
    return leaf;
  }
}

/** Bit `i` of node `n`'s key. */
function keyBit(ix: PrefixIndex, n: number, i: number): number {
  return ((ix.key[n * stride(ix) + (i >>> 5)] ?? 0) >>> (31 - (i & 31))) & 1;
}

/** Inserts a route (the caller has checked for duplicates). */
export function indexInsert(ix: PrefixIndex, r: Route): void {
  indexInsertWords(ix, r, scratchWords(r.dst.addr));
}

/** {@link indexInsert} of `r`, its destination's words ({@link wordsOf}) `w` (carrier.ts reads a link-local address's from its MAC). */
export function indexInsertWords(ix: PrefixIndex, r: Route, w: readonly number[]): void {
  noteRoutesWrite(ix);
  insertAt(ix, nodeOf(ix, w, r.dst.prefix, true), r);
}

/**
 * {@link indexInsert} of `r` unless its prefix holds a route through the same device with the
 * same metric (own or shared, as {@link indexExact} lists them; fib6_add_rt2node refuses such a
 * duplicate nexthop): true when inserted. One walk where the check and the insert took two.
 */
export function indexInsertNewNexthop(ix: PrefixIndex, r: Route): boolean {
  if (ix.under !== undefined) {
    // Shared routes count too: the straightforward check, then the insert.
    for (const x of indexExact(ix, r.dst.addr, r.dst.prefix)) if (sameNexthop(x, r)) return false;
    indexInsert(ix, r);
    return true;
  }
  const w = scratchWords(r.dst.addr);
  const node = nodeOf(ix, w, r.dst.prefix, false);
  for (const x of node < 0 ? [] : (ix.routes[node] ?? [])) if (sameNexthop(x, r)) return false;
  noteRoutesWrite(ix);
  // Nothing has read a word since: `w` still holds the destination's.
  insertAt(ix, node < 0 ? nodeOf(ix, w, r.dst.prefix, true) : node, r);
  return true;
}

function sameNexthop(a: Route, b: Route): boolean {
  return a.dev === b.dev && a.metric === b.metric;
}

/** Puts `r` in node `node`'s bucket, in order. */
function insertAt(ix: PrefixIndex, node: number, r: Route): void {
  const bucket = ix.routes[node];
  if (bucket === undefined) ix.routes[node] = [r];
  else {
    // The bucket is sorted: the route goes in after every route that does not sort after it, as
    // a stable sort would put it (a segment with 5,000 ports has 5,000 fe80::/64 routes).
    let i = bucket.length;
    bucket.push(r);
    while (i > 0 && compareSamePrefix(bucket[i - 1] as Route, r) > 0) {
      bucket[i] = bucket[i - 1] as Route;
      i--;
    }
    bucket[i] = r;
  }
  ix.size++;
}

/**
 * Removes the routes for which `pred` holds; returns how many. Empty nodes stay (harmless). A
 * shared route ({@link PrefixIndex.under}) is removed by hiding it from this table.
 */
export function indexRemove(ix: PrefixIndex, pred: (r: Route) => boolean): number {
  noteRoutesWrite(ix);
  let removed = 0;
  ix.routes.forEach((bucket, node) => {
    if (bucket === undefined) return;
    const kept = bucket.filter((r) => !pred(r));
    removed += bucket.length - kept.length;
    if (kept.length !== bucket.length) ix.routes[node] = kept.length === 0 ? undefined : kept;
  });
  ix.size -= removed;
  const under = ix.under;
  if (under !== undefined) {
    for (const bucket of under.index.routes) {
      if (bucket === undefined) continue;
      for (const r of bucket) {
        if (!under.hidden.has(r) && pred(r)) {
          under.hidden.add(r);
          removed++;
        }
      }
    }
  }
  return removed;
}

/** The routes of exactly this prefix, best first. */
export function indexExact(ix: PrefixIndex, addr: Ip, len: number): readonly Route[] {
  const node = nodeOf(ix, scratchWords(addr), len, false);
  const own = node < 0 ? [] : (ix.routes[node] ?? []);
  const under = ix.under;
  if (under === undefined) return own;
  const shared = indexExact(under.index, addr, len).filter((r) => !under.hidden.has(r));
  return shared.length === 0 ? own : [...own, ...shared].sort(compareSamePrefix);
}

const ANY = (): boolean => true;

/**
 * Longest-prefix match: the best route of the longest prefix containing `dst` that has a route
 * `usable` accepts. Like fib_table_lookup, a prefix whose every route is unusable (its device is
 * down) makes the search back off to shorter prefixes.
 */
export function indexLookup(ix: PrefixIndex, dst: Ip, usable: (r: Route) => boolean = ANY): Route | undefined {
  if (ix.under !== undefined) return layeredLookup(ix, ix.under, dst, usable);
  // No word array for an IPv4 address: every packet's route and address-type questions come
  // here (an ARP broadcast asks each node of a segment).
  return dst.family === 4 && ix.family === 4 ? deepest(ix, Number(dst.value), undefined, usable, undefined) : deepest(ix, 0, words(dst), usable, undefined);
}

/** The prefix length of the route {@link deepest} last returned (no object per lookup). */
let deepestLen = 0;

/**
 * The deepest usable route on the path of the address (IPv4: the word `w0`; otherwise the words
 * `w`), skipping `hidden` ones; its prefix length is left in {@link deepestLen}.
 */
function deepest(ix: PrefixIndex, w0: number, w: readonly number[] | undefined, usable: (r: Route) => boolean, hidden: ReadonlySet<Route> | undefined): Route | undefined {
  const bits = ix.family === 4 ? 32 : 128;
  const { child, routes, len: lens, key } = ix;
  const k = stride(ix);
  let best: Route | undefined;
  let bestLen = 0;
  let node = 0;
  for (;;) {
    const len = lens[node] ?? 0;
    const bucket = routes[node];
    if (bucket !== undefined) {
      const r = hidden === undefined ? firstOwn(bucket, usable) : firstShared(bucket, hidden, usable);
      if (r !== undefined) {
        best = r;
        bestLen = len;
      }
    }
    if (len >= bits) break;
    const word = w === undefined ? w0 : (w[len >>> 5] ?? 0);
    node = child[2 * node + ((word >>> (31 - (len & 31))) & 1)] ?? 0;
    if (node === 0) break;
    // A node that skips bits: the address must share them (checked over the node's whole prefix;
    // a child one bit longer matches already, by the bit that led to it).
    const nodeLen = lens[node] ?? 0;
    if (nodeLen === len + 1) continue;
    let inside = true;
    for (let i = 0, at = 0; at < nodeLen; i++, at += 32) {
      const keep = nodeLen - at;
      const x = ((w === undefined ? w0 : (w[i] ?? 0)) ^ (key[node * k + i] ?? 0)) >>> 0;
      if ((keep >= 32 ? x : x >>> (32 - keep)) !== 0) {
        inside = false;
        break;
      }
    }
    if (!inside) break;
  }
  deepestLen = bestLen;
  return best;
}

/**
 * {@link indexLookup} over a table's own routes and its shared ones: the deepest usable route of
 * each; the longer prefix wins, and of one length the better route (a shared route is older than
 * any own route it ties with, see batch.ts, so {@link compareSamePrefix} orders them).
 */
function layeredLookup(ix: PrefixIndex, under: NonNullable<PrefixIndex['under']>, dst: Ip, usable: (r: Route) => boolean): Route | undefined {
  const w = words(dst);
  const own = deepest(ix, 0, w, usable, undefined);
  const ownLen = deepestLen;
  const low = deepest(under.index, 0, w, usable, under.hidden);
  if (own === undefined || low === undefined) return own ?? low;
  if (ownLen !== deepestLen) return ownLen > deepestLen ? own : low;
  return better(own, low);
}

// Module-level, not closures: a layered lookup runs for every packet routed on a host-gw node.
function firstOwn(bucket: Route[] | undefined, usable: (r: Route) => boolean): Route | undefined {
  return bucket === undefined ? undefined : usable === ANY ? bucket[0] : bucket.find(usable);
}

function firstShared(bucket: Route[] | undefined, hidden: ReadonlySet<Route>, usable: (r: Route) => boolean): Route | undefined {
  if (bucket === undefined) return undefined;
  for (const r of bucket) if (!hidden.has(r) && usable(r)) return r;
  return undefined;
}

/** The route a lookup prefers of two of one prefix length: lower metric, then older. */
function better(a: Route | undefined, b: Route | undefined): Route | undefined {
  return a === undefined ? b : b === undefined || compareSamePrefix(a, b) <= 0 ? a : b;
}

/** Every route of the index (unordered), its shared ones included. */
export function indexAll(ix: PrefixIndex): Route[] {
  const out: Route[] = [];
  for (const bucket of ix.routes) if (bucket !== undefined) out.push(...bucket);
  const under = ix.under;
  if (under !== undefined) for (const bucket of under.index.routes) if (bucket !== undefined) for (const r of bucket) if (!under.hidden.has(r)) out.push(r);
  return out;
}
