import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerIdOf } from './container-id.js';

/** containerIdOf as first written: bigint FNV-1a chained over `ns/name#round`. */
function reference(pod: { namespace: string; name: string }): string {
  let h = 0xcbf29ce484222325n;
  let out = '';
  const seed = `${pod.namespace}/${pod.name}`;
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}#${round}`) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
    out += h.toString(16).padStart(16, '0');
  }
  return out.slice(0, 64);
}

describe('containerIdOf (property)', () => {
  it('is the bigint FNV-1a derivation, astral characters and lone surrogates included', () => {
    // Keys of ASCII (two 32-bit halves stepped by index), astral characters and lone surrogates (by code point).
    const aroundSurrogates = fc.oneof(fc.constantFrom('a', '-', '0'), fc.integer({ min: 0xd7f0, max: 0xe00f }).map((c) => String.fromCharCode(c)));
    const text = (maxLength: number) =>
      fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength }) }, fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: aroundSurrogates, maxLength }));
    fc.assert(
      fc.property(text(20), text(40), (namespace, name) => {
        expect(containerIdOf({ namespace, name })).toBe(reference({ namespace, name }));
      }),
      { numRuns: 1500 },
    );
  });
});
