import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { error } from '../diag/diagnostic.js';
import { EXCERPT_WIDTH, excerpt, formatDiagnostic, formatDiagnostics } from './diagnostics.js';

describe('formatDiagnostic', () => {
  it('prints the line and a caret under the column', () => {
    const d = error('X_CODE', 'bad', { file: 'f', line: 2, col: 3 });
    expect(formatDiagnostic(d, () => 'one\ntwo\n')).toBe('f:2:3: error[X_CODE]: bad\n  |\n2 | two\n  |   ^');
  });

  it('drops the \\r of a CRLF line', () => {
    const d = error('X_CODE', 'bad', { file: 'f', line: 1, col: 1 });
    expect(formatDiagnostic(d, () => 'one\r\ntwo\r\n')).toContain('1 | one\n');
  });

  it('cuts a 40 KB line to a window around the column, caret under the same character', () => {
    const line = `${'['.repeat(20000)}X${']'.repeat(20000)}`;
    const out = formatDiagnostic(error('X_CODE', 'deep', { file: 'f', line: 1, col: 20001 }), () => line);
    const [, , src, caret] = out.split('\n');
    expect(src?.length).toBeLessThan(EXCERPT_WIDTH + 10);
    expect(src).toMatch(/^1 \| …\[+X\]+…$/);
    expect(src?.[caret?.indexOf('^') ?? -1]).toBe('X');
  });
});

describe('excerpt', () => {
  it('keeps the character under the caret, for any line and column', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(), (raw, n) => {
        const line = raw.replace(/\n/g, ' ');
        fc.pre(line.length > 0);
        const col = (n % line.length) + 1;
        const { text, caret } = excerpt(line, col);
        expect(text[caret ?? -1]).toBe(line[col - 1]);
        expect(text.length).toBeLessThanOrEqual(EXCERPT_WIDTH + 2);
      }),
    );
  });
});

describe('formatDiagnostics on many diagnostics in one big file', () => {
  it('looks the file up once, not once per diagnostic', () => {
    const text = 'a: 1\n'.repeat(1000);
    const diags = Array.from({ length: 1000 }, (_, i) => error('X_CODE', 'm', { file: 'f', line: i + 1, col: 1 }));
    let lookups = 0;
    const out = formatDiagnostics(diags, () => {
      lookups++;
      return text;
    });
    expect(lookups).toBe(1);
    expect(out.split('\n').filter((l) => l.startsWith('f:')).length).toBe(1000);
  });
});
