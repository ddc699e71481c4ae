/**
 * Longest-prefix match over one family's routes of one table: a binary trie walked bit by bit
 * from the root, remembering the deepest node holding a usable route — the same answer as the
 * kernel's fib_trie / fib6 tree, at ≤ 32 (IPv4) or ≤ 128 (IPv6) array reads per lookup whatever
 * the number of routes. Address bits are read from 32-bit words, so no bigint arithmetic happens
 * inside the walk.
 *
 * Within one prefix the routes are kept sorted by metric, then age: the kernel picks the lowest
 * metric (fib_table_lookup walks the aliases in that order) and, among equals, the oldest.
 */
import type { Family, Ip } from '../../addr/ip.js';
import type { PrefixIndex, Route } from './types.js';
import { noteRoutesWrite } from '../netns-changes.js';

/** An empty index (just the root). */
export function emptyIndex(family: Family): PrefixIndex {
  return { family, child: [0, 0], routes: [undefined], size: 0 };
}

/** The address as 32-bit words, most significant first. */
function words(a: Ip): number[] {
  if (a.family === 4) return [Number(a.value)];
  const v = a.value;
  return [Number((v >> 96n) & 0xffffffffn), Number((v >> 64n) & 0xffffffffn), Number((v >> 32n) & 0xffffffffn), Number(v & 0xffffffffn)];
}

function bitAt(w: readonly number[], i: number): number {
  return ((w[i >>> 5] ?? 0) >>> (31 - (i & 31))) & 1;
}

/** Orders routes of one prefix: metric, then insertion. */
export function compareSamePrefix(a: Route, b: Route): number {
  return a.metric - b.metric || a.seq - b.seq;
}

/** The node of a prefix, created on the way when `create` is set; -1 when absent. */
function nodeOf(ix: PrefixIndex, addr: Ip, prefix: number, create: boolean): number {
  const w = words(addr);
  let node = 0;
  for (let i = 0; i < prefix; i++) {
    const slot = 2 * node + bitAt(w, i);
    let next = ix.child[slot] ?? 0;
    if (next === 0) {
      if (!create) return -1;
      next = ix.routes.length;
      ix.routes.push(undefined);
      ix.child.push(0, 0);
      ix.child[slot] = next;
    }
    node = next;
  }
  return node;
}

/** Inserts a route (the caller has checked for duplicates). */
export function indexInsert(ix: PrefixIndex, r: Route): void {
  noteRoutesWrite(ix);
  const node = nodeOf(ix, r.dst.addr, r.dst.prefix, true);
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
  const node = nodeOf(ix, addr, len, false);
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
  // No word array and no closure for an IPv4 address: every packet's route and address-type
  // questions come here (an ARP broadcast asks each node of a segment).
  const w = dst.family === 4 && ix.family === 4 ? undefined : words(dst);
  const bits = ix.family === 4 ? 32 : 128;
  const child = ix.child;
  const routes = ix.routes;
  const root = routes[0];
  let best = root === undefined ? undefined : usable === ANY ? root[0] : root.find(usable);
  let node = 0;
  let word = w === undefined ? Number(dst.value) : (w[0] ?? 0);
  for (let i = 0; i < bits; i++) {
    if (w !== undefined && (i & 31) === 0) word = w[i >>> 5] ?? 0;
    node = child[2 * node + ((word >>> (31 - (i & 31))) & 1)] ?? 0;
    if (node === 0) break;
    const bucket = routes[node];
    if (bucket !== undefined) best = (usable === ANY ? bucket[0] : bucket.find(usable)) ?? best;
  }
  return best;
}

/**
 * {@link indexLookup} over a table's own routes and its shared ones: both tries walked side by
 * side; at each prefix length the better of the two buckets' first usable routes (a shared route
 * is older than any own route it ties with, see batch.ts, so {@link compareSamePrefix} orders them).
 */
function layeredLookup(ix: PrefixIndex, under: NonNullable<PrefixIndex['under']>, dst: Ip, usable: (r: Route) => boolean): Route | undefined {
  const w = words(dst);
  const bits = ix.family === 4 ? 32 : 128;
  const lower = under.index;
  const hidden = under.hidden;
  let a = 0;
  let b = 0;
  let best = better(firstOwn(ix.routes[0], usable), firstShared(lower.routes[0], hidden, usable));
  let word = w[0] ?? 0;
  for (let i = 0; i < bits; i++) {
    if ((i & 31) === 0) word = w[i >>> 5] ?? 0;
    const bit = (word >>> (31 - (i & 31))) & 1;
    a = a < 0 ? -1 : (ix.child[2 * a + bit] ?? 0) || -1;
    b = b < 0 ? -1 : (lower.child[2 * b + bit] ?? 0) || -1;
    if (a < 0 && b < 0) break;
    const here = better(a < 0 ? undefined : firstOwn(ix.routes[a], usable), b < 0 ? undefined : firstShared(lower.routes[b], hidden, usable));
    if (here !== undefined) best = here;
  }
  return best;
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
