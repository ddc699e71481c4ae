import { describe, expect, it } from 'vitest';
import { formatTruthTable } from './truth-table.js';

describe('formatTruthTable', () => {
  it('prints upstream TruthTable.PrettyPrint: a "-" header, tabs, "." and "X"', () => {
    const text = formatTruthTable({ pods: ['x/a', 'y/b'], cells: [[true, false], [true, true]] });
    expect(text).toBe('-\tx/a\ty/b\nx/a\t.\tX\ny/b\t.\t.\n');
  });
});
