/**
 * A session's steps from what the user typed: `--then STEP` (repeatable) and `--session FILE`,
 * a YAML list of steps. Pure: the CLI reads the file and hands its text in. Problems are
 * diagnostics with a position: `FILE:LINE:COL` for the file (the column of the word at fault),
 * and `--then[N]:1:COL` for the N-th `--then`, so the CLI prints them with a caret.
 *
 * ```yaml
 * # session.yaml: what a second connection does, and the same one after the backend is gone
 * - again
 * - wait 130s
 * - delete pod default/b-2
 * - again
 * ```
 */
import { isScalar, isSeq, parseDocument } from 'yaml';
import { type Diagnostic, error } from '../diag/diagnostic.js';
import { lineStarts, offsetPos } from '../scenario/source.js';
import { type SessionStep, parseStep } from '../trace/session/steps.js';

/** A parsed step and where it was written (for problems found when it runs). */
export interface LocatedStep {
  readonly step: SessionStep;
  readonly pos: { readonly file: string; readonly line: number; readonly col: number };
}

/** Steps, or the diagnostics that stop them. */
export type StepsInput = { readonly steps: readonly LocatedStep[] } | { readonly diagnostics: readonly Diagnostic[] };

/** The name `--then` steps are located by: `--then[2]` is the second `--then`. */
export function thenName(i: number): string {
  return `--then[${i + 1}]`;
}

/** Parses the `--then` steps, in order. */
export function parseThenSteps(texts: readonly string[]): StepsInput {
  const steps: LocatedStep[] = [];
  const diagnostics: Diagnostic[] = [];
  texts.forEach((text, i) => {
    const r = parseStep(text);
    const file = thenName(i);
    if ('problem' in r) diagnostics.push(error('SESSION_BAD_STEP', r.problem, { file, line: 1, col: r.col }));
    else steps.push({ step: r, pos: { file, line: 1, col: 1 } });
  });
  return diagnostics.length > 0 ? { diagnostics } : { steps };
}

/** Parses a session file: a YAML list whose items are step strings. */
export function parseSessionFile(file: string, text: string): StepsInput {
  const lines = lineStarts(text);
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error' });
  const at = (offset: number) => offsetPos(file, lines, offset);
  const first = doc.errors[0];
  if (first !== undefined) {
    // yaml reports a missing closing quote where the text ends; point at the quote that opened it.
    const unclosed = first.code === 'MISSING_CHAR' && /quote/i.test(first.message) ? Math.max(text.lastIndexOf('"', first.pos[0] - 1), text.lastIndexOf("'", first.pos[0] - 1)) : -1;
    return { diagnostics: [error('SESSION_YAML_SYNTAX', first.message.split('\n')[0] ?? first.message, at(unclosed >= 0 ? unclosed : first.pos[0]))] };
  }
  const root = doc.contents;
  if (!isSeq(root)) {
    const offset = root?.range?.[0] ?? 0;
    return { diagnostics: [error('SESSION_NOT_A_LIST', 'a session file is a YAML list of steps, one a line ("- again", "- wait 130s")', at(offset))] };
  }
  const steps: LocatedStep[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const item of root.items) {
    const offset = (item as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
    if (!isScalar(item) || typeof item.value !== 'string') {
      diagnostics.push(error('SESSION_NOT_A_LIST', 'each item of a session file is one step as a string, e.g. "- wait 130s"', at(offset)));
      continue;
    }
    // A quoted step starts one character after its quote.
    const start = offset + (item.type === 'PLAIN' || item.type === undefined ? 0 : 1);
    const r = parseStep(item.value);
    if ('problem' in r) diagnostics.push(error('SESSION_BAD_STEP', r.problem, at(start + r.col - 1)));
    else steps.push({ step: r, pos: at(start) as LocatedStep['pos'] });
  }
  if (steps.length === 0 && diagnostics.length === 0) diagnostics.push(error('SESSION_NOT_A_LIST', 'the session file lists no steps', at(root.range?.[0] ?? 0)));
  return diagnostics.length > 0 ? { diagnostics } : { steps };
}
