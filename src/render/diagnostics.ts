/**
 * Prints user-input diagnostics the way compilers do:
 * `FILE:LINE[:COL]: error[CODE]: message`, then the source line and a caret when the source
 * text is known. Never a stack trace.
 */
import type { Diagnostic } from '../diag/diagnostic.js';

/** Formats one diagnostic; `source` maps a file name to its text (for the excerpt and caret). */
export function formatDiagnostic(d: Diagnostic, source?: (file: string) => string | undefined): string {
  const where = d.pos === undefined ? 'netsim' : d.pos.col === undefined ? `${d.pos.file}:${d.pos.line}` : `${d.pos.file}:${d.pos.line}:${d.pos.col}`;
  const head = `${where}: ${d.severity}[${d.code}]: ${d.message}`;
  if (d.pos === undefined || source === undefined) return head;
  const text = source(d.pos.file);
  const line = text?.split('\n')[d.pos.line - 1];
  if (line === undefined) return head;
  const gutter = String(d.pos.line);
  const pad = ' '.repeat(gutter.length);
  const lines = [head, `${pad} |`, `${gutter} | ${line}`];
  if (d.pos.col !== undefined) lines.push(`${pad} | ${' '.repeat(Math.max(0, d.pos.col - 1))}^`);
  return lines.join('\n');
}

/** Formats a list of diagnostics, one block each, with a trailing newline. */
export function formatDiagnostics(diags: readonly Diagnostic[], source?: (file: string) => string | undefined): string {
  return diags.map((d) => formatDiagnostic(d, source)).join('\n') + (diags.length > 0 ? '\n' : '');
}
