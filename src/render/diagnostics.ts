/**
 * Prints user-input diagnostics the way compilers do:
 * `FILE:LINE[:COL]: error[CODE]: message`, then the source line and a caret when the source
 * text is known. Never a stack trace.
 *
 * Two things keep this linear in the size of the input, whatever the input: a file's line
 * starts are computed once per file (not once per diagnostic: 10,000 diagnostics in a 5 MB file
 * used to split the text 10,000 times), and a long source line is cut to a window around the
 * column, so a 40 KB one-line document prints as one screen line.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { type LineStarts, lineStarts } from '../diag/lines.js';

/** How many characters of a source line an excerpt shows at most (plus the … marks). */
export const EXCERPT_WIDTH = 100;

/** Maps a file name to its text (for the excerpt and caret). */
export type SourceLookup = (file: string) => string | undefined;

/** A file's text and where its lines start, computed on first use. */
interface IndexedText {
  readonly text: string;
  readonly starts: LineStarts;
}

/** Formats one diagnostic; `source` maps a file name to its text (for the excerpt and caret). */
export function formatDiagnostic(d: Diagnostic, source?: SourceLookup): string {
  return formatWith(d, source === undefined ? undefined : indexedLookup(source));
}

/**
 * Formats a list of diagnostics, one block each, with a trailing newline. Each file's text is
 * looked up and indexed once for the whole list.
 */
export function formatDiagnostics(diags: readonly Diagnostic[], source?: SourceLookup): string {
  const lookup = source === undefined ? undefined : indexedLookup(source);
  return diags.map((d) => formatWith(d, lookup)).join('\n') + (diags.length > 0 ? '\n' : '');
}

function formatWith(d: Diagnostic, lookup: ((file: string) => IndexedText | undefined) | undefined): string {
  const where = d.pos === undefined ? 'netsim' : d.pos.col === undefined ? `${d.pos.file}:${d.pos.line}` : `${d.pos.file}:${d.pos.line}:${d.pos.col}`;
  const head = `${where}: ${d.severity}[${d.code}]: ${d.message}`;
  if (d.pos === undefined || lookup === undefined) return head;
  const indexed = lookup(d.pos.file);
  const line = indexed === undefined ? undefined : lineAt(indexed, d.pos.line);
  if (line === undefined) return head;
  const gutter = String(d.pos.line);
  const pad = ' '.repeat(gutter.length);
  const shown = excerpt(line, d.pos.col);
  const lines = [head, `${pad} |`, `${gutter} | ${shown.text}`];
  if (shown.caret !== undefined) lines.push(`${pad} | ${' '.repeat(shown.caret)}^`);
  return lines.join('\n');
}

/**
 * The part of `line` to print and the caret's 0-based offset in it: the whole line when it is
 * short, else a window of {@link EXCERPT_WIDTH} characters around the column with `…` on the
 * cut sides (the caret moves with the window, so it stays under the same character).
 */
export function excerpt(line: string, col: number | undefined): { text: string; caret?: number } {
  const at = col === undefined ? 0 : Math.min(Math.max(0, col - 1), line.length);
  if (line.length <= EXCERPT_WIDTH) return col === undefined ? { text: line } : { text: line, caret: at };
  const start = Math.max(0, Math.min(at - Math.floor(EXCERPT_WIDTH / 2), line.length - EXCERPT_WIDTH));
  const end = Math.min(line.length, start + EXCERPT_WIDTH);
  const left = start > 0 ? '…' : '';
  const text = `${left}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
  return col === undefined ? { text } : { text, caret: at - start + left.length };
}

/** Memoizes the lookup per file name, with the text's line starts. */
function indexedLookup(source: SourceLookup): (file: string) => IndexedText | undefined {
  const cache = new Map<string, IndexedText | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    const text = source(file);
    const indexed = text === undefined ? undefined : { text, starts: lineStarts(text) };
    cache.set(file, indexed);
    return indexed;
  };
}


/** The 1-based line `n` without its newline (a `\r` before it is dropped too). */
function lineAt(indexed: IndexedText, n: number): string | undefined {
  const start = indexed.starts[n - 1];
  if (start === undefined) return undefined;
  const next = indexed.starts[n];
  const line = indexed.text.slice(start, next === undefined ? undefined : next - 1);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
