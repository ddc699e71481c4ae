/**
 * The chain order of a table (tables.ts orderChains): its radix sort of user chains must give
 * exactly what a stable sort in code-unit order gives, on names with long shared prefixes (as
 * kube-proxy's), repeated names, and names beyond ASCII.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chain } from '../rule.js';
import { BUILTIN_CHAINS, orderChains } from './tables.js';

const name = fc.oneof(
  fc.tuple(fc.constantFrom('KUBE-SVC-', 'KUBE-SEP-', 'KUBE-SEP', 'KUBE-', ''), fc.string({ unit: fc.constantFrom('0', '1', 'A', 'Z', '-', '_'), maxLength: 6 })).map(([p, s]) => p + s),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
  fc.constantFrom('A', 'A\u0000', 'A\u0000\u0000', 'AB'),
);

describe('orderChains', () => {
  it('user chains in the order of a stable code-unit sort, built-ins first', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 80 }), (names) => {
        const chains: Chain[] = names.filter((n) => !BUILTIN_CHAINS.nat.includes(n)).map((n, i) => ({ name: n, counters: { packets: BigInt(i), bytes: 0n }, rules: [] }));
        const want = [...chains].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const got = orderChains('nat', chains);
        expect(got.slice(0, BUILTIN_CHAINS.nat.length).map((c) => c.name)).toEqual(BUILTIN_CHAINS.nat);
        // Identity, not only names: equal names keep the order given.
        expect(got.slice(BUILTIN_CHAINS.nat.length)).toEqual(want);
        for (let i = 0; i < want.length; i++) expect(got[BUILTIN_CHAINS.nat.length + i]).toBe(want[i]);
      }),
      { numRuns: 500, seed: 21, examples: [[Array.from({ length: 30 }, (_v, i) => ['A', 'A\u0000', 'A\u0000\u0000', 'KUBE-SVC-1'][i % 4] as string)]] },
    );
  });
});
