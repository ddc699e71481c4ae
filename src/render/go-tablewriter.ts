/**
 * Tables as Go's github.com/olekukonko/tablewriter draws them with its defaults, which is how
 * `calicoctl node status` prints its peers: `+---+` borders, the header upper-cased and
 * centred, cells left-aligned (right-aligned when they look like a number), and cells longer
 * than 30 characters wrapped over several lines by tablewriter's minimum-raggedness word wrap
 * (a column that needed wrapping is then 30 wide).
 */

/** tablewriter's `MAX_ROW_WIDTH`: the width past which a cell wraps. */
const MAX_ROW_WIDTH = 30;

/** tablewriter's `defaultPenalty` for a line longer than the limit. */
const PENALTY = 1e5;

/** tablewriter's `decimal` and `percent` patterns: such cells are right-aligned. */
const DECIMAL = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;
const PERCENT = /^-?\d+\.?\d*$%$/;

/** `Title`: underscores (and dots not between digits or spaces) become spaces, then upper case. */
function title(name: string): string {
  const chars = [...name];
  const numOrSpace = (c: string | undefined) => c !== undefined && /[0-9 ]/.test(c);
  chars.forEach((c, i) => {
    if (c === '_') chars[i] = ' ';
    else if (c === '.' && ((i !== 0 && !numOrSpace(chars[i - 1])) || (i !== chars.length - 1 && !numOrSpace(chars[i + 1])))) chars[i] = ' ';
  });
  const t = chars.join('').trim();
  return (t === '' && name.length > 0 ? ' ' : t).toUpperCase();
}

/** `WrapWords`: splits words into lines of at most `lim` columns, minimising the sum of squared slack (the last line is free). */
function wrapWords(words: readonly string[], lim: number): string[][] {
  const n = words.length;
  const len = (i: number, j: number) => words.slice(i, j + 1).reduce((s, w) => s + w.length, 0) + (j - i);
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const brk = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (len(i, n - 1) <= lim) {
      cost[i] = 0;
      brk[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = lim - len(i, j - 1);
      let c = d * d + (cost[j] ?? 0);
      if (len(i, j - 1) > lim) c += PENALTY;
      if (c < (cost[i] ?? Number.MAX_SAFE_INTEGER)) {
        cost[i] = c;
        brk[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = brk[i] ?? n) lines.push(words.slice(i, brk[i] ?? n));
  return lines;
}

/** `parseDimension`: a cell's lines and the width it asks of its column. */
function cellLines(text: string): { lines: string[]; width: number } {
  const raw = text.split('\n');
  const widest = Math.max(0, ...raw.map((l) => l.length));
  const limit = Math.min(widest, MAX_ROW_WIDTH);
  let width = limit;
  const lines: string[] = [];
  raw.forEach((para, i) => {
    const words = para.split(' ');
    const lim = Math.max(limit, ...words.map((w) => w.length));
    const wrapped = wrapWords(words, lim).map((ws) => ws.join(' '));
    for (const l of wrapped) width = Math.max(width, l.length);
    if (i > 0) lines.push(' ');
    lines.push(...wrapped);
  });
  return { lines, width };
}

/** `Pad`: centred, the odd space on the right. */
function centre(s: string, width: number): string {
  const gap = width - s.length;
  if (gap <= 0) return s;
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + s + ' '.repeat(gap - left);
}

/** `table.SetHeader(header); table.Append(row)…; table.Render()` with tablewriter's defaults. */
export function goTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => cellLines(h));
  const body = rows.map((r) => r.map((c) => cellLines(c)));
  // A loop, not Math.max(...body): a route reflector lists thousands of peers.
  const widths = head.map((h) => h.width);
  for (const r of body) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.width)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`;
  const out: string[] = [line];
  const headHeight = Math.max(...head.map((h) => h.lines.length));
  for (let x = 0; x < headHeight; x++) out.push(`|${head.map((h, y) => ` ${centre(title(h.lines[x] ?? ''), widths[y] ?? 0)} |`).join('')}\n`);
  out.push(line);
  for (const r of body) {
    const height = Math.max(...r.map((c) => c.lines.length));
    for (let x = 0; x < height; x++) {
      const cells = r.map((c, y) => {
        const s = c.lines[x] ?? '';
        const w = widths[y] ?? 0;
        return DECIMAL.test(s.trim()) || PERCENT.test(s.trim()) ? s.padStart(w) : s.padEnd(w);
      });
      out.push(`|${cells.map((c) => ` ${c} |`).join('')}\n`);
    }
  }
  out.push(line);
  return out.join('');
}
