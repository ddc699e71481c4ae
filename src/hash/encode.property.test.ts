import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1Hex, sha512Hex, utf8Bytes } from './index.js';

describe('UTF-8 encoding of hashed text (property)', () => {
  it('equals TextEncoder, and the digests node:crypto, for ASCII and any UTF-16 text', () => {
    const text = fc.oneof(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 150 }), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(text, (s) => {
        expect(Buffer.from(utf8Bytes(s)).equals(Buffer.from(new TextEncoder().encode(s)))).toBe(true);
        expect(sha512Hex(s)).toBe(createHash('sha512').update(new TextEncoder().encode(s)).digest('hex'));
        expect(sha1Hex(s)).toBe(createHash('sha1').update(new TextEncoder().encode(s)).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
