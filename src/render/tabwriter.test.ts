import { describe, expect, it } from 'vitest';
import { tabwrite } from './tabwriter.js';

describe('tabwrite (Go text/tabwriter, kubectl settings)', () => {
  it('pads every column but the last to its widest cell plus 3, at least 6', () => {
    expect(tabwrite([
      ['NAME', 'STATUS', 'AGE'],
      ['a', 'Ready', '<unknown>'],
    ])).toBe('NAME   STATUS   AGE\na      Ready    <unknown>\n');
  });
  it('keeps a short column at the minimum width of 6', () => {
    expect(tabwrite([['X', 'Y'], ['', 'z']])).toBe('X     Y\n      z\n');
  });
});
