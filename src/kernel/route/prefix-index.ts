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

/** Removes the routes for which `pred` holds; returns how many. Empty nodes stay (harmless). */
export function indexRemove(ix: PrefixIndex, pred: (r: Route) => boolean): number {
  let removed = 0;
  ix.routes.forEach((bucket, node) => {
    if (bucket === undefined) return;
    const kept = bucket.filter((r) => !pred(r));
    removed += bucket.length - kept.length;
    if (kept.length !== bucket.length) ix.routes[node] = kept.length === 0 ? undefined : kept;
  });
  ix.size -= removed;
  return removed;
}

/** The routes of exactly this prefix, best first. */
export function indexExact(ix: PrefixIndex, addr: Ip, len: number): readonly Route[] {
  const node = nodeOf(ix, addr, len, false);
  return node < 0 ? [] : (ix.routes[node] ?? []);
}

const ANY = (): boolean => true;

/**
 * Longest-prefix match: the best route of the longest prefix containing `dst` that has a route
 * `usable` accepts. Like fib_table_lookup, a prefix whose every route is unusable (its device is
 * down) makes the search back off to shorter prefixes.
 */
export function indexLookup(ix: PrefixIndex, dst: Ip, usable: (r: Route) => boolean = ANY): Route | undefined {
  const w = words(dst);
  const bits = ix.family === 4 ? 32 : 128;
  const child = ix.child;
  const routes = ix.routes;
  const pick = (b: Route[]) => (usable === ANY ? b[0] : b.find(usable));
  let best = routes[0] === undefined ? undefined : pick(routes[0]);
  let node = 0;
  let word = w[0] ?? 0;
  for (let i = 0; i < bits; i++) {
    if ((i & 31) === 0) word = w[i >>> 5] ?? 0;
    node = child[2 * node + ((word >>> (31 - (i & 31))) & 1)] ?? 0;
    if (node === 0) break;
    const bucket = routes[node];
    if (bucket !== undefined) best = pick(bucket) ?? best;
  }
  return best;
}

/** Every route of the index (unordered). */
export function indexAll(ix: PrefixIndex): Route[] {
  const out: Route[] = [];
  for (const bucket of ix.routes) if (bucket !== undefined) out.push(...bucket);
  return out;
}
