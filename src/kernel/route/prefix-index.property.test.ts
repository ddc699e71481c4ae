/**
 * Property: a prefix's routes stay in the order a stable sort by (metric, then insertion
 * counter) gives, whatever order they are inserted in — the insertion into the sorted bucket
 * (prefix-index.ts indexInsert) equals sorting the bucket again after every insert.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../addr/index.js';
import { compareSamePrefix, emptyIndex, indexExact, indexInsert } from './prefix-index.js';
import type { Route } from './types.js';

const dst = parseCidr('fe80::/64')!;

describe('a prefix\'s routes in the index (property)', () => {
  it('are ordered as a stable sort after every insert', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ metric: fc.integer({ min: 0, max: 3 }), seq: fc.integer({ min: 0, max: 20 }) }), { maxLength: 40 }), (specs) => {
        const ix = emptyIndex(6);
        const straight: Route[] = [];
        specs.forEach((s, i) => {
          const r: Route = { table: 254, type: 'unicast', dst, dev: `veth${i}`, scope: 'link', proto: 'kernel', metric: s.metric, onlink: false, seq: s.seq };
          indexInsert(ix, r);
          straight.push(r);
          straight.sort(compareSamePrefix);
          expect(indexExact(ix, dst.addr, 64)).toEqual(straight);
        });
      }),
      { numRuns: 300 },
    );
  });
});
