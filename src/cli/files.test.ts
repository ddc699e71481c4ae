import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrict, decodeUtf8, firstInvalidUtf8 } from './files.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
const decodes = (b: Uint8Array): boolean => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8', () => {
  it("agrees with the platform's strict decoder: all valid exactly when it decodes, and the prefix before the offset decodes", () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new TextEncoder().encode(s)));
    const mixed = fc.tuple(bytes, fc.uint8Array({ maxLength: 3 }), bytes).map(([a, b, c]) => Uint8Array.from([...a, ...b, ...c]));
    fc.assert(
      fc.property(mixed, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === b.length).toBe(decodes(b));
        expect(decodes(b.subarray(0, at))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['overlong /', [0xc0, 0xaf], 0],
    ['surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated', [0x61, 0x62, 0xe2, 0x82], 2],
  ])('%s', (_what, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});

describe('decodeUtf8', () => {
  it('locates the first bad byte by line and character column', () => {
    const b = Uint8Array.from([...new TextEncoder().encode('a: 1\nnamé: x'), 0xff, 0x0a]);
    expect(decodeUtf8('f.yaml', b)).toEqual({ diagnostic: expect.objectContaining({ code: 'FILE_NOT_UTF8', pos: { file: 'f.yaml', line: 2, col: 8 } }) });
  });
});

describe('decodeStrict (ASCII as Latin-1) = the strict UTF-8 decoder', () => {
  it('gives the same text, or throws alike, for any bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const outcome = (f: () => string): string => {
      try {
        return `ok:${f()}`;
      } catch (e) {
        return `throws:${(e as Error).name}`;
      }
    };
    // Mostly ASCII (the fast path), sometimes a byte past 0x7f (well-formed or not), a BOM, or a view into a larger buffer.
    const byte = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 0x7f }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) });
    const bytes = fc.tuple(fc.array(byte, { maxLength: 200 }), fc.boolean(), fc.nat(8)).map(([b, bom, skip]) => {
      const whole = Uint8Array.from([...Array<number>(skip).fill(0x41), ...(bom ? [0xef, 0xbb, 0xbf] : []), ...b, 0x42]);
      return whole.subarray(skip, whole.length - 1);
    });
    fc.assert(
      fc.property(bytes, (b) => {
        expect(outcome(() => decodeStrict(b))).toBe(outcome(() => strict.decode(b)));
      }),
      { numRuns: 3000 },
    );
  });
});
