/**
 * Building {@link CniOutcome}s, and turning a kernel verb's refusal into the error a real plugin
 * prints. The reference plugins return plain Go errors for almost everything, which libcni's
 * `skel` reports with code 999 (`INTERNAL`); only config decoding and version problems carry a
 * spec code.
 */
import { CommandError } from '../kernel/errors.js';
import { CNI_ERROR, type CniError, type CniOutcome } from './types.js';

/** A successful outcome. */
export function ok<T>(value: T): CniOutcome<T> {
  return { ok: true, value };
}

/** A failed outcome with a CNI error code. */
export function fail<T>(code: number, msg: string, details?: string): CniOutcome<T> {
  const error: CniError = details === undefined ? { code, msg } : { code, msg, details };
  return { ok: false, error };
}

/** A plugin's own error (code 999), as a reference plugin's `fmt.Errorf` reaches the runtime. */
export function pluginError<T>(msg: string): CniOutcome<T> {
  return fail(CNI_ERROR.INTERNAL, msg);
}

/** The same failure, retyped (errors carry no value). */
export function forward<T>(outcome: { readonly ok: false; readonly error: CniError }): CniOutcome<T> {
  return outcome;
}

/**
 * Runs kernel verbs; a CommandError (the kernel refused, as `ip` would) becomes a plugin error
 * whose message starts with `context` (a function when the message costs something to format:
 * it is made only on failure). Anything else is a netsim bug and propagates.
 */
export function kernel<T>(context: string | (() => string), run: () => T): CniOutcome<T> {
  try {
    return ok(run());
  } catch (e) {
    if (e instanceof CommandError) return pluginError(`${typeof context === 'string' ? context : context()}: ${e.answer}`);
    throw e;
  }
}
