/**
 * Longest-prefix match over one family's routes of one table: a hash map per prefix length,
 * probed from the longest length present to the shortest. With L distinct lengths a lookup costs
 * at most L map probes (≤ 33 for IPv4), independent of the number of routes, which keeps 100k
 * routes well above 100k lookups/s. IPv4 keys are plain numbers (cheap masking), IPv6 keys bigints.
 *
 * Within one prefix the routes are kept sorted by metric, then age: the kernel picks the lowest
 * metric (fib_table_lookup walks the aliases in that order) and, for IPv6, the first inserted.
 */
import type { Family, Ip } from '../../addr/ip.js';
import { prefixMask } from '../../addr/cidr.js';
import type { PrefixIndex, Route } from './types.js';

/** IPv4 masks as unsigned 32-bit numbers, by prefix length. */
const MASK4: readonly number[] = Array.from({ length: 33 }, (_, p) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0));
const MASK6: readonly bigint[] = Array.from({ length: 129 }, (_, p) => prefixMask(6, p));

/** An empty index. */
export function emptyIndex(family: Family): PrefixIndex {
  return { family, byLen: new Map(), lens: [], size: 0 };
}

function keyOf(family: Family, value: bigint, len: number): number | bigint {
  return family === 4 ? (Number(value) & (MASK4[len] ?? 0)) >>> 0 : value & (MASK6[len] ?? 0n);
}

/** Orders routes of one prefix: metric, then insertion. */
export function compareSamePrefix(a: Route, b: Route): number {
  return a.metric - b.metric || a.seq - b.seq;
}

/** Inserts a route (the caller has checked for duplicates). */
export function indexInsert(ix: PrefixIndex, r: Route): void {
  const len = r.dst.prefix;
  let level = ix.byLen.get(len);
  if (level === undefined) {
    level = new Map();
    ix.byLen.set(len, level);
    ix.lens = [...ix.byLen.keys()].sort((a, b) => b - a);
  }
  const key = keyOf(ix.family, r.dst.addr.value, len);
  const bucket = level.get(key);
  if (bucket === undefined) level.set(key, [r]);
  else {
    bucket.push(r);
    bucket.sort(compareSamePrefix);
  }
  ix.size++;
}

/** Removes the routes for which `pred` holds; returns how many. */
export function indexRemove(ix: PrefixIndex, pred: (r: Route) => boolean): number {
  let removed = 0;
  for (const [len, level] of ix.byLen) {
    for (const [key, bucket] of level) {
      const kept = bucket.filter((r) => !pred(r));
      removed += bucket.length - kept.length;
      if (kept.length === 0) level.delete(key);
      else if (kept.length !== bucket.length) level.set(key, kept);
    }
    if (level.size === 0) ix.byLen.delete(len);
  }
  if (removed > 0) {
    ix.lens = [...ix.byLen.keys()].sort((a, b) => b - a);
    ix.size -= removed;
  }
  return removed;
}

/** The routes of exactly this prefix (network value and length), best first. */
export function indexExact(ix: PrefixIndex, value: bigint, len: number): readonly Route[] {
  return ix.byLen.get(len)?.get(keyOf(ix.family, value, len)) ?? [];
}

/**
 * Longest-prefix match: the routes of the longest prefix containing `dst` for which `usable`
 * accepts at least one route, and that route. Like fib_table_lookup, a prefix whose every route
 * is unusable (e.g. its device is down) makes the search back off to shorter prefixes.
 */
export function indexLookup(ix: PrefixIndex, dst: Ip, usable: (r: Route) => boolean = () => true): Route | undefined {
  if (ix.family === 4) {
    const v = Number(dst.value);
    for (const len of ix.lens) {
      const bucket = ix.byLen.get(len)?.get((v & (MASK4[len] ?? 0)) >>> 0);
      const hit = bucket?.find(usable);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  for (const len of ix.lens) {
    const bucket = ix.byLen.get(len)?.get(dst.value & (MASK6[len] ?? 0n));
    const hit = bucket?.find(usable);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Every route of the index (unordered). */
export function indexAll(ix: PrefixIndex): Route[] {
  const out: Route[] = [];
  for (const level of ix.byLen.values()) for (const bucket of level.values()) out.push(...bucket);
  return out;
}
