import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineStarts, lineStartsByPush } from './lines.js';

describe('lineStarts (an Int32Array grown by doubling) = a start pushed for each newline', () => {
  it('for any text, short or of many lines', () => {
    const text = fc.array(fc.constantFrom('\n', '\r\n', 'a', 'bc', ' ', 'é', '😀', '\n\n'), { maxLength: 3000, size: 'max' }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect([...lineStarts(t)]).toEqual(lineStartsByPush(t));
      }),
      { numRuns: 1000 },
    );
  });
});
