import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerIdOf } from './pods.js';

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
  it('is the bigint FNV-1a derivation, astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 30 }), (namespace, name) => {
        expect(containerIdOf({ namespace, name })).toBe(reference({ namespace, name }));
      }),
      { numRuns: 500 },
    );
  });
});
