/** macFromSeed (mac.ts), its digits from a table, against the digits formatted byte by byte as first written. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv64Byte, fnv64Offset, fnv64Text } from '../hash/fnv64.js';
import { macFromParts, macFromSeed } from './mac.js';

function reference(seed: string): string {
  const h = fnv64Offset();
  fnv64Text(h, seed);
  const hex2 = (b: number): string => (b < 16 ? `0${b.toString(16)}` : b.toString(16));
  let out = hex2((fnv64Byte(h, 0) & 0xfe) | 0x02);
  for (let i = 1; i < 6; i++) out += `:${hex2(fnv64Byte(h, i))}`;
  return out;
}

describe('macFromSeed (property)', () => {
  it('gives the MAC formatted byte by byte', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.tuple(fc.constantFrom('node-1/', 'pod-ns/'), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 })).map(([a, b]) => `${a}veth${b}`)), (seed) => {
        expect(macFromSeed(seed)).toBe(reference(seed));
      }),
      { numRuns: 3000 },
    );
  });

  it('of two parts is the MAC of the parts joined by a slash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 16 }), (a, b) => {
        expect(macFromParts(a, b)).toBe(macFromSeed(`${a}/${b}`));
        expect(macFromParts(a, b)).toBe(reference(`${a}/${b}`));
      }),
      { numRuns: 2000 },
    );
  });
});
