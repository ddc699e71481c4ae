/**
 * Set and map lookups in O(1) of the set's size, the reason kube-proxy moved to nftables: a hash
 * map from the key's text for plain and concatenated keys (the kernel's `nft_set_hash`), and a
 * sorted array of intervals searched by bisection for interval sets (`nft_set_rbtree`, O(log n)).
 * Concatenations with ranges (`nft_set_pipapo`) are scanned, as netsim meets them rarely.
 * Indexes are built once per elements array (sets are immutable values) and cached.
 */
import { lastAddress, networkOf } from '../../../addr/cidr.js';
import { familyBits } from '../../../addr/ip.js';
import type { NftElement, NftValue } from './model.js';
import { PROTO_NUMBERS } from './values.js';

/** A value read from a packet: an address (bigint), a number, or a name (`eth0`, `local`). */
export type RVal = bigint | number | string;

/** The hash text of one element value (a point), or undefined for a range or prefix. */
export function pointKey(v: NftValue): string | undefined {
  switch (v.kind) {
    case 'addr':
      return v.cidr.prefix === familyBits(v.cidr.addr.family) ? v.cidr.addr.value.toString() : undefined;
    case 'num':
      return String(v.n);
    case 'sym':
      return String(PROTO_NUMBERS[v.text] ?? v.text);
    case 'str':
      return v.text;
    default:
      return undefined;
  }
}

/** The bounds of a prefix or range value as numbers. */
export function bounds(v: NftValue): [bigint, bigint] | undefined {
  if (v.kind === 'addr') return [networkOf(v.cidr).value, lastAddress(v.cidr).value];
  if (v.kind === 'range') {
    const a = bounds(v.from);
    const b = bounds(v.to);
    return a !== undefined && b !== undefined ? [a[0], b[1]] : undefined;
  }
  if (v.kind === 'num') return [BigInt(v.n), BigInt(v.n)];
  return undefined;
}

/** The hash text of a key read from a packet. */
export function runtimeKey(parts: readonly RVal[]): string {
  return parts.map(String).join('|');
}

interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly el: NftElement;
}

interface SetIndex {
  readonly exact: Map<string, NftElement>;
  readonly intervals: readonly Interval[];
  readonly slow: readonly NftElement[];
}

const cache = new WeakMap<readonly NftElement[], SetIndex>();

function build(elements: readonly NftElement[]): SetIndex {
  const exact = new Map<string, NftElement>();
  const intervals: Interval[] = [];
  const slow: NftElement[] = [];
  for (const el of elements) {
    const keys = el.key.map(pointKey);
    if (keys.every((k) => k !== undefined)) exact.set(keys.join('|'), el);
    else if (el.key.length === 1) {
      const b = bounds(el.key[0] as NftValue);
      if (b !== undefined) intervals.push({ lo: b[0], hi: b[1], el });
    } else slow.push(el);
  }
  intervals.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  return { exact, intervals, slow };
}

function indexOf(elements: readonly NftElement[]): SetIndex {
  let ix = cache.get(elements);
  if (ix === undefined) {
    ix = build(elements);
    cache.set(elements, ix);
  }
  return ix;
}

function big(x: RVal): bigint | undefined {
  return typeof x === 'string' ? undefined : BigInt(x);
}

function inValue(x: RVal, v: NftValue): boolean {
  const k = pointKey(v);
  if (k !== undefined) return String(x) === k;
  const b = bounds(v);
  const n = big(x);
  return b !== undefined && n !== undefined && n >= b[0] && n <= b[1];
}

/** The element whose key matches the packet's key, if any. */
export function lookupElement(elements: readonly NftElement[], key: readonly RVal[]): NftElement | undefined {
  const ix = indexOf(elements);
  const hit = ix.exact.get(runtimeKey(key));
  if (hit !== undefined) return hit;
  if (key.length === 1 && ix.intervals.length > 0) {
    const n = big(key[0] as RVal);
    if (n !== undefined) {
      let lo = 0;
      let hi = ix.intervals.length - 1;
      let found: Interval | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const iv = ix.intervals[mid] as Interval;
        if (iv.lo <= n) {
          found = iv;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found !== undefined && n <= found.hi) return found.el;
    }
  }
  return ix.slow.find((el) => el.key.every((v, i) => inValue(key[i] as RVal, v)));
}
