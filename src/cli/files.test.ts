import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from './files.js';

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
