/**
 * User-input problems, collected rather than thrown (conventions: "errors: three kinds, kept apart").
 *
 * A parser returns `{ value, diagnostics }`; the CLI prints each diagnostic as
 * `FILE:LINE[:COL]: error[CODE]: message` with the source line and a caret. Every code is
 * documented in docs/errors.md.
 */

/** How bad a diagnostic is: errors stop the command, warnings are printed and the command goes on. */
export type Severity = 'error' | 'warning';

/** 1-based position in a source text. `col` is optional for line-oriented formats. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col?: number;
}

/** One user-input problem. `code` is SCREAMING_SNAKE and listed in docs/errors.md. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly pos?: SourcePos;
}

/** A parse result: the value (possibly partial) and what was wrong with the input. */
export interface Parsed<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** Builds an error diagnostic. */
export function error(code: string, message: string, pos?: SourcePos): Diagnostic {
  return pos === undefined ? { code, severity: 'error', message } : { code, severity: 'error', message, pos };
}

/** Builds a warning diagnostic. */
export function warning(code: string, message: string, pos?: SourcePos): Diagnostic {
  return pos === undefined ? { code, severity: 'warning', message } : { code, severity: 'warning', message, pos };
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/**
 * A bug in netsim, never a problem with the user's input. Thrown, and printed by the CLI as an
 * internal error with a request to report it.
 */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** Exhaustiveness check for `switch` over a union: every switch over a union ends here. */
export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}
