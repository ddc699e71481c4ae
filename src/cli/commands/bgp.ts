/** `netsim bgp timeline`: what the BGP simulation did, event by event, in simulated time. */
import type { Argv } from 'yargs';
import { bgpTimeline } from '../../app/bgp.js';
import { loadCluster } from '../cluster-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

const OUTPUTS = ['text', 'json'] as const;

/** `netsim bgp` */
export const bgpCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command('bgp <command>', "The BGP speakers' simulation (Calico's BIRD, underlay routers)", (y) =>
      y
        .command(
          'timeline',
          'The session and route events with simulated timestamps, until convergence',
          (t) =>
            t
              .option('file', { alias: 'f', type: 'string', describe: 'scenario file or folder (default: the built-in scenario)' })
              .option('output', { alias: 'o', type: 'string', choices: OUTPUTS, default: 'text', describe: 'text: one aligned line per event; json: the events as data' })
              .example('$0 bgp timeline -f scenarios/calico-bgp-mesh.yaml', 'sessions opening and routes flowing in the full mesh')
              .example('$0 bgp timeline -f scenarios/calico-bgp-rr.yaml -o json', 'the same as JSON'),
          (argv) =>
            setAction(() => {
              const built = loadCluster(io, argv.file);
              if (built === undefined) return EXIT.INPUT_ERROR;
              const shown = bgpTimeline(built, argv.output as (typeof OUTPUTS)[number]);
              if ('problem' in shown) {
                io.stderr(`netsim bgp timeline: ${shown.problem}\nRun 'netsim bgp timeline --help' for usage.\n`);
                return EXIT.USAGE;
              }
              io.stdout(shown.text);
              return EXIT.OK;
            }),
        )
        .demandCommand(1, 'Name a bgp command: timeline.'),
    );
  },
};
