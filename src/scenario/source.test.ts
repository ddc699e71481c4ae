import { describe, expect, it } from 'vitest';
import { lineStarts, offsetPos, parseSources, positionOf } from './source.js';

const TEXT = 'a: 1\nb:\n  c: [1, {d: 2}]\n  e:\n---\nx: &anchor {y: 1}\nz: *anchor\n';

describe('positionOf: YAML path → file:line:col', () => {
  const { docs, diagnostics } = parseSources([{ path: 'f.yaml', text: TEXT }]);
  const [first, second] = docs;

  it('parses both documents', () => {
    expect(diagnostics).toEqual([]);
    expect(docs).toHaveLength(2);
  });

  it.each([
    [['b', 'c', 1, 'd'], 'value', 3, 14],
    [['b', 'c', 1, 'd'], 'key', 3, 11],
    [['b', 'c', 0], 'value', 3, 7],
    [['b', 'e'], 'value', 4, 5], // an empty value: just after the colon
    [['b', 'missing', 'deeper'], 'value', 3, 3],
    [[], 'value', 1, 1],
  ] as const)('%j (%s) is at %i:%i', (path, part, line, col) => {
    expect(positionOf(first!, path, part)).toEqual({ file: 'f.yaml', line, col });
  });

  it('follows aliases to the anchored node', () => {
    expect(positionOf(second!, ['z', 'y'])).toEqual({ file: 'f.yaml', line: 6, col: 16 });
  });
});

describe('offsets to lines', () => {
  it('counts lines from the text itself, including after the last newline', () => {
    const lines = lineStarts('ab\n\ncd');
    expect([...lines]).toEqual([0, 3, 4]);
    expect(offsetPos('f', lines, 0)).toEqual({ file: 'f', line: 1, col: 1 });
    expect(offsetPos('f', lines, 3)).toEqual({ file: 'f', line: 2, col: 1 });
    expect(offsetPos('f', lines, 6)).toEqual({ file: 'f', line: 3, col: 3 });
  });

  it('reports only the first syntax error of a document', () => {
    const { diagnostics } = parseSources([{ path: 'f.yaml', text: 'a: [1, 2\nb: {c\n' }]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('SCN_YAML_SYNTAX');
  });
});
