/** The CLI's commands, in the order `netsim --help` lists them. */
import type { CliCommand } from '../command.js';
import { bgpCommand } from './bgp.js';
import { completionCommand } from './completion.js';
import { diagramCommand } from './diagram.js';
import { exportCommand } from './export.js';
import { getCommand } from './get.js';
import { importCommand } from './import.js';
import { iptablesCommand } from './iptables.js';
import { nftCommand } from './nft.js';
import { policyCommand } from './policy.js';
import { showCommand } from './show.js';
import { traceCommand } from './trace.js';
import { serveCommand } from './serve.js';
import { schemaCommand, validateCommand } from './validate.js';

export const COMMANDS: readonly CliCommand[] = [traceCommand, showCommand, getCommand, validateCommand, schemaCommand, importCommand, iptablesCommand, nftCommand, policyCommand, bgpCommand, diagramCommand, exportCommand, serveCommand, completionCommand];
