/**
 * `netsim completion`: the bash/zsh completion script. yargs' own completion command prints
 * the script before it looks at `--help`, so the command is ours (with its help like every
 * other command) and the script comes from a parser that knows only the completion command.
 * The script calls `netsim --get-yargs-completions …`, which the main parser answers.
 */
import yargs, { type Argv } from 'yargs';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

/** The name yargs' completion handler is registered under in the main parser (hidden from help). */
export const YARGS_COMPLETION_COMMAND = '__completion';

/** The script yargs generates for `netsim`. */
async function completionScript(): Promise<string> {
  let out = '';
  await yargs()
    .scriptName('netsim')
    .completion('completion', false)
    .exitProcess(false)
    .parseAsync(['completion'], {}, (_e: Error | undefined, _a: unknown, o: string) => {
      out = o;
    });
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** `netsim completion` */
export const completionCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'completion',
      'Print a bash/zsh completion script (source it from your shell rc)',
      (y) => y.example('$0 completion >> ~/.bashrc', 'complete netsim commands and options in bash').example('source <($0 completion)', 'for this shell only'),
      () =>
        setAction(async () => {
          io.stdout(await completionScript());
          return EXIT.OK;
        }),
    );
  },
};
