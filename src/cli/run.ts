/**
 * The CLI composition root: builds the yargs parser, runs the chosen command with the given
 * streams and returns the exit code. `main.ts` binds it to the real process; tests call it
 * in-process.
 */
import yargs, { type Argv } from 'yargs';
import { InternalError } from '../diag/diagnostic.js';
import { checkSingleValues, helpWidth } from './arg-checks.js';
import type { Action } from './command.js';
import { YARGS_COMPLETION_COMMAND } from './commands/completion.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, EXIT } from './io.js';
import { completionWords, scenarioNameCompletions } from './complete-names.js';
import { flushOutFile, outFileOf, redirectableIo } from './out-file.js';
import { NETSIM_VERSION } from './version.js';

/**
 * yargs takes a lone `-` after an option as a positional (and strict mode then refuses it), so
 * `--rules -` (read standard input) is handed over as `--rules=-`.
 */
function stdinOperands(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    // yargs drops a lone `-` from an array positional: `validate a.yaml -` reads stdin through its -f.
    if (word === '-' && argv[0] === 'validate' && argv[i - 1]?.startsWith('-') !== true) out.push('--file=-');
    else if (word.startsWith('--') && word !== '--' && !word.includes('=') && argv[i + 1] === '-') {
      out.push(`${word}=-`);
      i++;
    } else {
      out.push(word);
    }
  }
  return out;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit code. */
export async function runCli(argv: readonly string[], realIo: CliIo): Promise<number> {
  const redirect = redirectableIo(realIo);
  const io = redirect.io;
  let action: Action | undefined;
  let usageError: string | undefined;
  let parser: Argv = yargs()
    .scriptName('netsim')
    .usage('netsim: see what a packet does inside a Kubernetes cluster.\n\nUsage: $0 <command> [options]')
    .strict()
    .demandCommand(1, 'Name a command; see netsim --help.')
    .recommendCommands()
    .exitProcess(false)
    .wrap(helpWidth(io.env['COLUMNS']))
    .check(checkSingleValues, true)
    .fail((msg: string | undefined, err: Error | undefined) => {
      // A check's message arrives as a string `err`; only real exceptions are bugs.
      if (err instanceof Error && err.name !== 'YError') throw err;
      usageError = msg ?? err?.message ?? 'invalid usage';
    })
    // Answers `--get-yargs-completions`; `netsim completion` itself is a command (commands/completion.ts).
    .completion(YARGS_COMPLETION_COMMAND, false)
    .help()
    .alias('help', 'h')
    .version('version', "Print netsim's version", NETSIM_VERSION)
    .epilog('Docs: README.md and docs/ in the netsim repository.');
  for (const cmd of COMMANDS) parser = cmd.register(parser, io, (a) => (action = a));
  skipHelpCache(parser);

  let output = '';
  let outFile: string | undefined;
  try {
    const parsed = await parser.parseAsync(stdinOperands(argv), {}, (_err: Error | undefined, _args: unknown, out: string) => {
      output = out;
    });
    outFile = outFileOf(parsed);
  } catch (e) {
    if (usageError === undefined) return internal(io, e);
  }
  if (usageError !== undefined) {
    io.stderr(`netsim: ${usageError}\nRun 'netsim --help' for usage.\n`);
    return EXIT.USAGE;
  }
  const words = completionWords(argv);
  // yargs completes commands and options; the scenario's pod, Service and node names are ours.
  if (words !== undefined) output = [output.replace(/\n$/, ''), ...scenarioNameCompletions(io, words)].filter((l) => l !== '').join('\n');
  if (output !== '') io.stdout(output.endsWith('\n') ? output : `${output}\n`);
  if (action === undefined) return EXIT.OK;
  if (outFile !== undefined) redirect.capture();
  let code: number;
  try {
    code = await action();
  } catch (e) {
    return internal(io, e);
  }
  return outFile === undefined ? code : flushOutFile(io, outFile, redirect.captured(), code);
}

/** The part of yargs' internals that {@link skipHelpCache} reaches. */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * yargs renders the chosen command's whole help text after its handler runs
 * (command.js → usage.cacheHelpMessage), to print it should an asynchronous handler fail later.
 * netsim's handlers only pick the action (a failure is reported by runCli, never with help), so
 * that text is never printed, yet laying it out (cliui, wrap-ansi, string-width's
 * Intl.Segmenter) was a tenth of the CPU of `netsim validate` on a small file. `--help` renders
 * its text on its own path and is unaffected: every command's `--help` and usage errors were
 * compared byte for byte with the CLI before this change.
 */
function skipHelpCache(parser: Argv): void {
  const usage = (parser as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage !== undefined) usage.cacheHelpMessage = () => undefined;
}

/** Reports a bug: one line, no stack unless NETSIM_DEBUG is set. */
function internal(io: CliIo, e: unknown): number {
  const msg = e instanceof Error ? e.message : String(e);
  const kind = e instanceof InternalError ? 'internal error' : 'unexpected error';
  io.stderr(`netsim: ${kind}: ${msg}\nThis is a bug in netsim; please report it with the command you ran.\n`);
  if (io.env['NETSIM_DEBUG'] !== undefined && e instanceof Error && e.stack !== undefined) io.stderr(`${e.stack}\n`);
  return EXIT.INTERNAL;
}
