import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prefixMask } from './cidr.js';
import { familyMax } from './ip.js';

/** The mask formula the table is read from. */
function reference(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(family === 4 ? 32 : 128);
  if (prefix <= 0) return 0n;
  return ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
}

describe('prefix masks from the table (property)', () => {
  it('equal the formula for every length, in range or not', () => {
    fc.assert(
      fc.property(fc.constantFrom(4 as const, 6 as const), fc.integer({ min: -3, max: 140 }), (family, prefix) => {
        expect(prefixMask(family, prefix)).toBe(reference(family, prefix));
      }),
      { numRuns: 500 },
    );
    for (const p of [0, 1, 31, 32]) expect(prefixMask(4, p)).toBe(reference(4, p));
    for (const p of [0, 64, 127, 128]) expect(prefixMask(6, p)).toBe(reference(6, p));
    expect(familyMax(4)).toBe(2n ** 32n - 1n);
    expect(familyMax(6)).toBe(2n ** 128n - 1n);
  });
});
