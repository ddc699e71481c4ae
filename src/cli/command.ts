/** The shape of a CLI command module, shared by the runner and every command. */
import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/** What a command hands back to the runner: the work to do once parsing succeeded. */
export type Action = () => Promise<number> | number;

/** A command module: registers itself on the parser and reports its action through `setAction`. */
export interface CliCommand {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv;
}
