import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fnv64State, fnv64Byte, fnv64Hex, fnv64Offset, fnv64Step, fnv64Text } from './fnv64.js';

/** The straightforward 64-bit FNV-1a over UTF-16 code units, in bigint. */
function reference(text: string, h = 0xcbf29ce484222325n): bigint {
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

const asBigint = (h: Fnv64State): bigint => BigInt(`0x${fnv64Hex(h)}`);

describe('fnv64 (limbs against bigint)', () => {
  it('starts at the offset basis', () => {
    expect(fnv64Hex(fnv64Offset())).toBe('cbf29ce484222325');
  });

  it('matches the bigint loop on any UTF-16 text, state, hex and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, b) => {
        const h = fnv64Offset();
        fnv64Text(h, a);
        expect(asBigint(h)).toBe(reference(a));
        fnv64Text(h, b);
        const want = reference(b, reference(a));
        expect(fnv64Hex(h)).toBe(want.toString(16).padStart(16, '0'));
        for (let i = 0; i < 8; i++) expect(fnv64Byte(h, i)).toBe(Number((want >> BigInt(8 * i)) & 0xffn));
      }),
      { numRuns: 500 },
    );
  });

  it('matches on the extremes of a code unit', () => {
    const h = fnv64Offset();
    for (const code of [0, 0xff, 0x100, 0xffff, 0xd800]) fnv64Step(h, code);
    expect(asBigint(h)).toBe(reference(String.fromCharCode(0, 0xff, 0x100, 0xffff, 0xd800)));
  });
});
