import { createHash } from 'node:crypto';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha512Hex, sha512Hex8, sha512HexPrefix } from './index.js';
import { isAscii, sha512AsciiFirstWord, sha512AsciiHex } from './sha512.js';

const ascii = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength });
const reference = (s: string): string => createHash('sha512').update(Buffer.from(s, 'latin1')).digest('hex');

describe('SHA-512 of ASCII text without allocating (property)', () => {
  it('equals node:crypto and @noble/hashes for every length around the block and padding edges', () => {
    // 111/112 bytes: the length still fits the last block, or needs one more; 128, 239/240, 256: whole blocks.
    for (let n = 0; n <= 300; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 37 + n) % 128)).join('');
      expect(sha512AsciiHex(s), `length ${n}`).toBe(reference(s));
    }
  });
  it('equals @noble/hashes on random ASCII, prefixes included; index.ts sends the rest to noble', () => {
    fc.assert(
      fc.property(ascii(400), fc.integer({ min: 0, max: 128 }), (s, digits) => {
        const want = bytesToHex(sha512(new TextEncoder().encode(s)));
        expect(sha512AsciiHex(s)).toBe(want);
        expect(sha512AsciiHex(s, digits)).toBe(want.slice(0, digits));
        expect(sha512Hex(s)).toBe(want);
        expect(sha512HexPrefix(s, digits)).toBe(want.slice(0, digits));
      }),
      { numRuns: 2000 },
    );
  });
  it('the veth names of container IDs (64 hex digits + "/eth0") and non-ASCII text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ unit: 'binary', maxLength: 40 }), (id, other) => {
        expect(sha512HexPrefix(`${id}/eth0`, 8)).toBe(reference(`${id}/eth0`).slice(0, 8));
        expect(isAscii(other)).toBe(!/[^\x00-\x7f]/.test(other));
        expect(sha512Hex(other)).toBe(createHash('sha512').update(new TextEncoder().encode(other)).digest('hex'));
      }),
      { numRuns: 500 },
    );
  });
  it('the first word and 8 digits of three parts, fed as they are, are those of the joined text, block edges and non-ASCII included', () => {
    const utf8 = (t: string): string => createHash('sha512').update(new TextEncoder().encode(t)).digest('hex');
    // Past ASCII: anything, or the edges (0x80, two and three UTF-8 bytes, a pair, a lone surrogate).
    const other = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\x80', '\xff', '\u0100', '\u07ff', '\u0800', '\ud83d\ude00', '\ud800'));
    fc.assert(
      fc.property(ascii(140), ascii(140), ascii(140), other, fc.nat({ max: 3 }), (a, b, c, more, where) => {
        // Non-ASCII text in one part, or none (where = 3).
        const parts = [a, b, c].map((p, i) => (i === where ? p + more : p)) as [string, string, string];
        const joined = parts.join('');
        const want = utf8(joined);
        expect(sha512Hex8(...parts)).toBe(want.slice(0, 8));
        expect(sha512AsciiFirstWord(...parts)).toBe(isAscii(joined) ? parseInt(want.slice(0, 8), 16) : undefined);
      }),
      { numRuns: 1500 },
    );
    // Every length from 0 to 300 split three ways, around the padding (111/112) and block (128) edges.
    for (let n = 0; n <= 300; n++) {
      const t = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 53 + n) % 128)).join('');
      const [i, j] = [Math.floor(n / 3), Math.floor((2 * n) / 3)];
      expect(sha512Hex8(t.slice(0, i), t.slice(i, j), t.slice(j)), `length ${n}`).toBe(reference(t).slice(0, 8));
    }
  });
});
