/** The CLI's commands, in the order `netsim --help` lists them. */
import type { CliCommand } from '../run.js';
import { iptablesCommand } from './iptables.js';

export const COMMANDS: readonly CliCommand[] = [iptablesCommand];
