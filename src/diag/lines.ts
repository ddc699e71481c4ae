/**
 * Where the lines of a text start: what turns an offset into `file:line:col` (the scenario
 * loader) and a line number back into its text (the diagnostics printer).
 */

/** Offsets at which each line starts, in order (the first is 0). */
export type LineStarts = Readonly<ArrayLike<number>>;

/**
 * The line starts of a text (`\n` ends a line; a `\r` before it counts as a character), in an
 * Int32Array: pushing 300,000 starts onto an array (a 5 MB scenario) took ten times as long,
 * and held twice the memory. lines.test.ts holds it equal to {@link lineStartsByPush}.
 */
export function lineStarts(text: string): Int32Array {
  let out = new Int32Array(Math.max(16, text.length >> 6));
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (n === out.length) {
      const grown = new Int32Array(n * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = i + 1;
  }
  return out.slice(0, n);
}

/** The reference {@link lineStarts} must equal: a start pushed for each `\n`. */
export function lineStartsByPush(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
