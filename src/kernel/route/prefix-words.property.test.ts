/**
 * The words of remembered IPv6 addresses (prefix-index.ts rememberWords) against the words
 * worked out from the value, and the index walks they give: on random addresses, a remembered
 * address and an equal fresh one give the same words and find the same routes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ip } from '../../addr/ip.js';
import { emptyIndex, indexExact, indexInsert, rememberWords, wordsOf } from './prefix-index.js';
import type { Route } from './types.js';

const V6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

describe('remembered IPv6 words (property)', () => {
  it('are the words of the value, and index the same', () => {
    fc.assert(
      fc.property(V6, fc.integer({ min: 0, max: 128 }), fc.array(fc.tuple(V6, fc.integer({ min: 0, max: 128 })), { maxLength: 5 }), (value, prefix, others) => {
        const known: Ip = rememberWords({ family: 6, value });
        const fresh: Ip = { family: 6, value };
        expect(wordsOf(known)).toEqual(wordsOf(fresh));
        // Routes of other prefixes first, then the remembered address's: found by the fresh one.
        const ix = emptyIndex(6);
        let seq = 0;
        const route = (addr: Ip, p: number): Route => ({ table: 254, type: 'unicast', dst: { addr, prefix: p }, scope: 'link', proto: 'kernel', metric: 0, onlink: false, seq: seq++, dev: 'd' });
        for (const [v, p] of others) indexInsert(ix, route({ family: 6, value: v }, p));
        indexInsert(ix, route(known, prefix));
        expect(indexExact(ix, fresh, prefix).length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
