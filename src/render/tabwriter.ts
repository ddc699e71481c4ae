/**
 * Go's `text/tabwriter` as kubectl configures it for `kubectl get` (`printers.GetNewTabWriter`:
 * minwidth 6, padding 3, pad with spaces): each column is as wide as its widest cell plus 3,
 * at least 6; the last cell of a row is not padded.
 */

const MIN_WIDTH = 6;
const PADDING = 3;

/** Aligns `rows` (the header first) into columns, one line per row, each ending in a newline. */
export function tabwrite(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    // The last cell is not tab-terminated, so it does not widen its column (Go's tabwriter).
    row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? MIN_WIDTH, cell.length + PADDING)));
  }
  return rows.map((row) => `${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? MIN_WIDTH) : cell)).join('')}\n`).join('');
}
