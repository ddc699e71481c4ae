/**
 * `--then STEP` (repeatable) and `--session FILE`: the steps read and parsed, problems printed
 * with their position and a caret (the step text for `--then[N]`, the file's line for
 * `--session`). Shared by `netsim trace` and `netsim show --after-trace`.
 */
import { type LocatedStep, parseSessionFile, parseThenSteps, thenName } from '../app/session-input.js';
import type { SessionFailure } from '../app/trace-session.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import { readUserInput } from './files.js';
import type { CliIo } from './io.js';
import { EXIT } from './io.js';

/**
 * The yargs options, as both commands declare them. `--then` is a string that may be repeated
 * (REPEATABLE_OPTIONS), not a yargs array, which would swallow the positionals after it
 * (`trace --then again pod-a service-b`); {@link thenSteps} makes a list of it.
 */
export const THEN_OPTION = {
  type: 'string',
  describe: 'a later step of the session (repeatable): again | send | reply | retransmit | wait DURATION | from SRC to DST[:PORT] | to DST[:PORT] | delete pod [NS/]NAME',
} as const;
export const SESSION_OPTION = { type: 'string', describe: 'a YAML file listing the session\'s steps ("- again", "- wait 130s"); they run after the --then steps' } as const;

/** What the user gave: `then` is absent, one string, or one per `--then`. */
export interface SessionArgs {
  readonly then?: string | readonly string[];
  readonly session?: string;
}

/** The `--then` steps as a list. */
export function thenSteps(a: SessionArgs): readonly string[] {
  return a.then === undefined ? [] : typeof a.then === 'string' ? [a.then] : a.then;
}

/** True when the command line asks for a session. */
export function wantsSession(a: SessionArgs): boolean {
  return thenSteps(a).length > 0 || a.session !== undefined;
}

/** The texts diagnostics point into: each `--then[N]` and the session file. */
type Sources = Map<string, string>;

/**
 * The steps: the `--then` ones, then the file's; or, once the problems are printed, the exit
 * code: USAGE for a `--then` (the command line is wrong), INPUT_ERROR for the file.
 */
export function readSteps(io: CliIo, a: SessionArgs): { steps: LocatedStep[]; sources: Sources } | { exit: number } {
  const texts = thenSteps(a);
  const sources: Sources = new Map(texts.map((t, i) => [thenName(i), t]));
  const then = parseThenSteps(texts);
  if ('diagnostics' in then) {
    io.stderr(formatDiagnostics(then.diagnostics, (f) => sources.get(f)));
    return { exit: EXIT.USAGE };
  }
  if (a.session === undefined) return { steps: [...then.steps], sources };
  const input = readUserInput(io, a.session);
  if ('diagnostic' in input) {
    io.stderr(formatDiagnostics([input.diagnostic]));
    return { exit: EXIT.INPUT_ERROR };
  }
  sources.set(input.name, input.text);
  const file = parseSessionFile(input.name, input.text);
  if ('diagnostics' in file) {
    io.stderr(formatDiagnostics(file.diagnostics, (f) => sources.get(f)));
    return { exit: EXIT.INPUT_ERROR };
  }
  return { steps: [...then.steps, ...file.steps], sources };
}

/** Prints a session's failure: a step's diagnostic with its position and caret (exit 2 for a `--then`, 1 for the file), or a usage problem (exit 2). */
export function reportSessionFailure(io: CliIo, command: string, f: SessionFailure, sources: Sources): number {
  if ('diagnostic' in f) {
    io.stderr(formatDiagnostics([f.diagnostic], (file) => sources.get(file)));
    return f.diagnostic.pos?.file.startsWith('--then') === true ? EXIT.USAGE : EXIT.INPUT_ERROR;
  }
  io.stderr(`netsim ${command}: ${f.problem}\nRun 'netsim ${command} --help' for usage.\n`);
  return EXIT.USAGE;
}
