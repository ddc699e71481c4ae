/** `netsim import DIR`: read a real node's dump and say what netsim made of it. */
import type { Argv } from 'yargs';
import { importSummary } from '../../app/node-dump.js';
import { loadNodeDump } from '../node-dump-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

/** `netsim import` */
export const importCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'import <dir>',
      "Read a real node's dump (scripts/collect-node-dump.sh) as a netsim node: what was read, and a warning for everything netsim does not model",
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'the dump folder' })
          .option('name', { type: 'string', describe: "the node's name (default: the dump's HOSTNAME)" })
          .example('$0 import node-dump-worker-1', 'check a dump, then use it with show/trace --node-dump')
          .example('$0 show worker-1 route --node-dump node-dump-worker-1', "the node's routes as ip route show table all prints them")
          .example('$0 trace 10.244.1.5 10.96.0.10 --port 53 --protocol udp --in cni0 --node-dump node-dump-worker-1', 'a pod\'s DNS query entering the node on cni0'),
      (argv) =>
        setAction(() => {
          const r = loadNodeDump(io, argv.dir as string, argv.name as string | undefined);
          if (r === undefined) return EXIT.INPUT_ERROR;
          io.stdout(importSummary(r));
          return EXIT.OK;
        }),
    );
  },
};
