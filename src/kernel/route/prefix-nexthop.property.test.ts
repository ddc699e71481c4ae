/**
 * indexInsertNewNexthop (prefix-index.ts), the duplicate-nexthop check and the insert in one walk,
 * against the straightforward path: `indexExact` of the prefix, no route through the same device
 * with the same metric, then `indexInsert`. On random indexes (prefixes that nest and part, the
 * tested prefix present or not, routes of other devices and metrics on it), with or without a
 * shared index beneath (batch.ts `under`, some of its routes hidden), both say the same and leave
 * the same index: arrays, buckets, size, and the change noted or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ip } from '../../addr/ip.js';
import { changeMark, changesSince, watchRoutes, worldGeneration } from '../netns-changes.js';
import { emptyIndex, indexExact, indexInsert, indexInsertNewNexthop } from './prefix-index.js';
import type { PrefixIndex, Route } from './types.js';

const ADDR = fc.constantFrom(0xfe80n << 112n, (0xfe80n << 112n) | 0x1234n, (0xfe80n << 112n) | (1n << 63n), 0xffn << 120n, 1n, 0n);
const LEN = fc.constantFrom(0, 8, 64, 65, 127, 128);
const ROUTE = fc.record({ addr: ADDR, prefix: LEN, dev: fc.constantFrom('a', 'b', 'c'), metric: fc.constantFrom(0, 256) });
const CASE = fc.record({
  own: fc.array(ROUTE, { maxLength: 8 }),
  under: fc.option(fc.record({ routes: fc.array(ROUTE, { maxLength: 6 }), hide: fc.array(fc.nat(), { maxLength: 3 }) }), { nil: undefined }),
  add: fc.array(ROUTE, { minLength: 1, maxLength: 4 }),
});

type Spec = { addr: bigint; prefix: number; dev: string; metric: number };

function route(s: Spec, seq: number): Route {
  const addr: Ip = { family: 6, value: s.addr };
  return { table: 255, type: 'anycast', dst: { addr, prefix: s.prefix }, scope: 'link', proto: 'kernel', metric: s.metric, onlink: false, seq, dev: s.dev };
}

function build(c: { readonly own: readonly Spec[]; readonly under: { readonly routes: readonly Spec[]; readonly hide: readonly number[] } | undefined }): PrefixIndex {
  const ix = emptyIndex(6);
  let seq = 0;
  if (c.under !== undefined) {
    const below = emptyIndex(6);
    const shared = c.under.routes.map((s) => route(s, seq++));
    for (const r of shared) indexInsert(below, r);
    const hidden = new Set<Route>();
    for (const i of c.under.hide) if (shared.length > 0) hidden.add(shared[i % shared.length] as Route);
    ix.under = { index: below, hidden };
  }
  for (const s of c.own) indexInsert(ix, route(s, seq++));
  return ix;
}

/** The straightforward path (anycast.ts before: indexExact, then indexInsert). */
function straight(ix: PrefixIndex, r: Route): boolean {
  if (indexExact(ix, r.dst.addr, r.dst.prefix).some((x) => x.dev === r.dev && x.metric === r.metric)) return false;
  indexInsert(ix, r);
  return true;
}

/** What a run did: answers, the index, whether a write was noted (the watched name logged, the generation moved). */
function run(ix: PrefixIndex, adds: readonly Spec[], insert: (ix: PrefixIndex, r: Route) => boolean): string {
  watchRoutes(ix, 'n');
  const mark = changeMark();
  const answers: [boolean, boolean, number][] = [];
  for (const [i, s] of adds.entries()) {
    const gen = worldGeneration();
    const ok = insert(ix, route(s, 100 + i));
    const since = changesSince(mark);
    answers.push([ok, worldGeneration() !== gen, since === undefined ? -1 : since.names.length - since.from]);
  }
  return JSON.stringify({ answers, ix: { ...ix, under: ix.under === undefined ? undefined : [...ix.under.hidden].map((r) => r.seq) } }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('indexInsertNewNexthop (property)', () => {
  it('answers and leaves the index as indexExact, the check, then indexInsert', () => {
    let refused = 0;
    let inserted = 0;
    fc.assert(
      fc.property(CASE, (c) => {
        const want = run(build(c), c.add, straight);
        const got = run(build(c), c.add, indexInsertNewNexthop);
        expect(got).toBe(want);
        refused += (want.match(/\[false/g) ?? []).length;
        inserted += (want.match(/\[true/g) ?? []).length;
      }),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(100);
    expect(inserted).toBeGreaterThan(300);
  });
});
