import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAFE_ALPHANUMS } from '../../hash/index.js';
import { type Rng, seededRng } from '../../sim/context.js';
import { NameDraws } from './name-draws.js';
import { generatedNames } from './workload-names.js';

/** A generator that draws only the first 3 characters: 243 suffixes, so draws clash often. */
const narrow = (seed: number): Rng => {
  const rng = seededRng(seed);
  return { next: () => Math.floor(rng.next() * 3) / SAFE_ALPHANUMS.length };
};

const prefix = fc.constantFrom('', 'a', 'a-b', 'web', 'web-bcd', 'x\u{1F600}', 'long-'.repeat(220));
/** Mostly suffixes the narrow generator draws; some that no draw can give. */
const suffix = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom('b', 'c', 'd'), { minLength: 5, maxLength: 5 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('b', 'c', 'z', '0', '-'), { minLength: 4, maxLength: 6 }).map((cs) => cs.join('')) },
);
const taken = fc.array(fc.tuple(prefix, suffix).map(([p, s]) => `${p}-${s}`), { maxLength: 40 });

describe('NameDraws gives the names generatedNames gives over a set of every name', () => {
  it('for random prefixes, counts, taken names and clashing draws', () => {
    fc.assert(fc.property(taken, fc.array(fc.tuple(prefix, fc.nat(20), fc.nat()), { maxLength: 8 }), (names, calls) => {
      const draws = new NameDraws(names);
      const set = new Set(names);
      for (const [p, count, seed] of calls) {
        expect(draws.names(p, count, narrow(seed))).toEqual(generatedNames(p, count, narrow(seed), set));
      }
    }), { numRuns: 1000 });
  });
});
