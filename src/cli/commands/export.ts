/** `netsim export bird NODE`: a speaker's BGP setup as a BIRD 2 configuration file. */
import type { Argv } from 'yargs';
import { exportBird } from '../../app/export.js';
import { loadCluster } from '../cluster-input.js';
import { FILE_OPTION } from '../file-option.js';
import { OUT_OPTION } from '../out-file.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

interface ExportBirdArgs {
  name: string;
  file?: string | string[];
  hold?: number;
}

/** `netsim export` */
export const exportCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command('export', 'Export what a node runs as the real tool\'s configuration (bird: a BIRD 2 bird.conf)', (y) =>
      y
        .command(
          'bird <name>',
          "A BGP speaker's configuration (a Calico node's BIRD, a router's BGP daemon) as a BIRD 2 bird.conf",
          (b) =>
            b
              .positional('name', { type: 'string', demandOption: true, describe: 'node or router name' })
              .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
              .option('hold', { type: 'number', describe: 'hold time in seconds for every session (keepalive a third of it), for a lab' })
              .check((argv) => (argv['hold'] === undefined || (Number.isInteger(argv['hold']) && (argv['hold'] as number) >= 3) ? true : '--hold must be a whole number of seconds, at least 3 (BIRD refuses less)'))
              .example('$0 export bird node-1 -f scenarios/calico-bgp-mesh.yaml > bird.conf', "node-1's BIRD configuration")
              .example('bird -p -c bird.conf', 'check it parses with BIRD 2'),
          (argv) => setAction(() => exportBirdAction(io, argv as unknown as ExportBirdArgs)),
        )
        .demandCommand(1, 'say what to export: netsim export bird NODE'),
    );
  },
};

function exportBirdAction(io: CliIo, a: ExportBirdArgs): number {
  const built = loadCluster(io, a.file);
  if (built === undefined) return EXIT.INPUT_ERROR;
  const hold = a.hold;
  const timers = hold === undefined ? undefined : { hold, keepalive: Math.max(1, Math.floor(hold / 3)), connectDelay: 1, connectRetry: Math.max(1, Math.floor(hold / 3)) };
  const out = exportBird(built, a.name, timers === undefined ? {} : { timers });
  if ('problem' in out) {
    io.stderr(`netsim export bird: ${out.problem}\n`);
    return EXIT.USAGE;
  }
  io.stdout(out.text);
  return EXIT.OK;
}
