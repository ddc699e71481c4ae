/**
 * Property: the path-compressed prefix index (prefix-index.ts) answers as the straightforward
 * scan of its routes does — longest-prefix match with and without a usability test, the routes
 * of an exact prefix, the whole list — after any sequence of inserts and removals, in both
 * families, with prefixes drawn close together so that nodes nest, fork and split; and a layered
 * index (a shared index beneath, less its hidden routes) answers as the scan of both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cidr } from '../../addr/cidr.js';
import { cidrContains } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';
import { compareSamePrefix, emptyIndex, indexAll, indexExact, indexInsert, indexLookup, indexRemove } from './prefix-index.js';
import type { Route } from './types.js';

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** Addresses near a few bases (and their bit-flipped neighbours), so prefixes share long runs of bits. */
function arbAddr(family: Family): fc.Arbitrary<Ip> {
  const bases = family === 4 ? [0x0a000000n, 0x0a000100n, 0xc0a80000n, 0x7f000001n, 0n, 0xffffffffn] : [0xfe80n << 112n, (0xfe80n << 112n) | 0x0200_00ff_fe00_0001n, 1n, 0xfd10n << 112n, 0xff00n << 112n];
  return fc.tuple(fc.constantFrom(...bases), fc.integer({ min: 0, max: BITS[family] - 1 }), fc.boolean(), fc.integer({ min: 0, max: 7 })).map(([b, bit, flip, low]) => {
    const mask = (1n << BigInt(BITS[family])) - 1n;
    const v = ((flip ? b ^ (1n << BigInt(bit)) : b) + BigInt(low)) & mask;
    return { family, value: v } as Ip;
  });
}

function arbPrefix(family: Family): fc.Arbitrary<Cidr> {
  const bits = BITS[family];
  const len = fc.oneof(fc.integer({ min: 0, max: bits }), fc.constantFrom(0, 1, 8, 24, 31, bits - 1, bits, ...(family === 6 ? [64, 96, 127] : [16])));
  return fc.tuple(arbAddr(family), len).map(([addr, prefix]) => {
    const host = BigInt(BITS[family] - prefix);
    return { addr: { family, value: (addr.value >> host) << host } as Ip, prefix };
  });
}

type Op = { kind: 'add'; dst: Cidr; metric: number; dev: string } | { kind: 'del'; dev: string };

function arbOps(family: Family): fc.Arbitrary<Op[]> {
  const dev = fc.constantFrom('a', 'b', 'c');
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), dst: arbPrefix(family), metric: fc.integer({ min: 0, max: 2 }), dev }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('del' as const), dev }) },
    ),
    { maxLength: 40 },
  );
}

let seq = 0;
function route(dst: Cidr, metric: number, dev: string): Route {
  return { table: 254, type: 'unicast', dst, dev, scope: 'link', proto: 'boot', metric, onlink: false, seq: seq++ };
}

/** The scan: the longest prefix holding `d` with a usable route, its best usable route. */
function scan(all: readonly Route[], d: Ip, usable: (r: Route) => boolean): Route | undefined {
  const hits = all.filter((r) => r.dst.addr.family === d.family && cidrContains(r.dst, d) && usable(r));
  const longest = Math.max(-1, ...hits.map((r) => r.dst.prefix));
  return hits.filter((r) => r.dst.prefix === longest).sort(compareSamePrefix)[0];
}

const sameDst = (a: Cidr, b: Cidr): boolean => a.prefix === b.prefix && a.addr.value === b.addr.value;
const byKey = (rs: readonly Route[]): Route[] => [...rs].sort((x, y) => x.seq - y.seq);
const notB = (r: Route): boolean => r.dev !== 'b';

describe('the path-compressed prefix index (property)', () => {
  it('answers as a scan of its routes after inserts and removals', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4 as const, 6 as const).chain((f) => fc.tuple(fc.constant(f), arbOps(f), fc.array(arbAddr(f), { minLength: 1, maxLength: 12 }))),
        ([family, ops, probes]) => {
          const ix = emptyIndex(family);
          let all: Route[] = [];
          for (const op of ops) {
            if (op.kind === 'add') {
              const r = route(op.dst, op.metric, op.dev);
              indexInsert(ix, r);
              all.push(r);
            } else {
              const gone = indexRemove(ix, (r) => r.dev === op.dev);
              expect(gone).toBe(all.filter((r) => r.dev === op.dev).length);
              all = all.filter((r) => r.dev !== op.dev);
            }
            expect(ix.size).toBe(all.length);
          }
          const probesAll = [...probes, ...all.map((r) => r.dst.addr)];
          for (const d of probesAll) {
            expect(indexLookup(ix, d)).toBe(scan(all, d, () => true));
            expect(indexLookup(ix, d, notB)).toBe(scan(all, d, notB));
          }
          for (const r of all) expect(indexExact(ix, r.dst.addr, r.dst.prefix)).toEqual(all.filter((x) => sameDst(x.dst, r.dst)).sort(compareSamePrefix));
          for (const d of probes) for (const len of [0, 7, 24, BITS[family]]) {
            const host = BigInt(BITS[family] - len);
            const dst: Cidr = { addr: { family, value: (d.value >> host) << host } as Ip, prefix: len };
            expect(indexExact(ix, dst.addr, len)).toEqual(all.filter((x) => sameDst(x.dst, dst)).sort(compareSamePrefix));
          }
          expect(byKey(indexAll(ix))).toEqual(byKey(all));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('over a shared index beneath, less its hidden routes, answers as a scan of both', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4 as const, 6 as const).chain((f) =>
          fc.tuple(fc.constant(f), fc.array(fc.tuple(arbPrefix(f), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 25 }), arbOps(f), fc.array(arbAddr(f), { minLength: 1, maxLength: 12 })),
        ),
        ([family, lower, ops, probes]) => {
          // The shared routes are older than every own route (batch.ts), as the index assumes.
          const shared = emptyIndex(family);
          const hidden = new Set<Route>();
          const visible: Route[] = [];
          for (const [dst, metric, hide] of lower) {
            const r = route(dst, metric, 'c');
            indexInsert(shared, r);
            if (hide) hidden.add(r);
            else visible.push(r);
          }
          const ix = emptyIndex(family);
          ix.under = { index: shared, hidden };
          let own: Route[] = [];
          for (const op of ops) {
            if (op.kind === 'add') {
              const r = route(op.dst, op.metric, op.dev);
              indexInsert(ix, r);
              own.push(r);
            } else {
              indexRemove(ix, (r) => r.dev === op.dev);
              own = own.filter((r) => r.dev !== op.dev);
            }
          }
          const all = [...own, ...visible.filter((r) => !hidden.has(r))];
          for (const d of [...probes, ...all.map((r) => r.dst.addr)]) {
            expect(indexLookup(ix, d)).toBe(scan(all, d, () => true));
            expect(indexLookup(ix, d, notB)).toBe(scan(all, d, notB));
          }
          for (const r of all) expect(indexExact(ix, r.dst.addr, r.dst.prefix)).toEqual(all.filter((x) => sameDst(x.dst, r.dst)).sort(compareSamePrefix));
          expect(byKey(indexAll(ix))).toEqual(byKey(all));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a /128 to a node or two (a pod namespace held 128 per address before)', () => {
    const ix = emptyIndex(6);
    indexInsert(ix, route({ addr: { family: 6, value: 1n }, prefix: 128 }, 0, 'lo'));
    indexInsert(ix, route({ addr: { family: 6, value: (0xfe80n << 112n) | 0x42n }, prefix: 128 }, 0, 'eth0'));
    indexInsert(ix, route({ addr: { family: 6, value: 0xffn << 120n }, prefix: 8 }, 0, 'eth0'));
    expect(ix.routes.length).toBeLessThanOrEqual(6);
  });
});
