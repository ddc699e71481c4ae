import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { macFromSeed } from './mac.js';

/** macFromSeed as first written: bigint FNV-1a, bytes joined with `:`. */
function reference(seed: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < seed.length; i++) {
    h ^= BigInt(seed.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const bytes: number[] = [];
  for (let i = 0; i < 6; i++) bytes.push(Number((h >> BigInt(i * 8)) & 0xffn));
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

describe('macFromSeed (property)', () => {
  it('is the bigint FNV-1a derivation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (seed) => {
        expect(macFromSeed(seed)).toBe(reference(seed));
      }),
      { numRuns: 300 },
    );
    expect(macFromSeed('node-1/eth0')).toBe(reference('node-1/eth0'));
  });
});
