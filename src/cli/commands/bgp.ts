/** `netsim bgp timeline`: what the BGP simulation did, event by event, in simulated time. */
import type { Argv } from 'yargs';
import { bgpTimeline } from '../../app/bgp.js';
import { buildMoments, failureRequests } from '../../app/failures.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { ScenarioFile } from '../../scenario/index.js';
import { loadClusterWithWarnings } from '../cluster-input.js';
import { FILE_OPTION } from '../file-option.js';
import { OUT_OPTION } from '../out-file.js';
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
              .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
              .option('output', { alias: 'o', type: 'string', choices: OUTPUTS, default: 'text', describe: 'text: one aligned line per event; json: the events as data' })
              .option('fail', { type: 'string', array: true, default: [], describe: 'a node or router that dies after BGP converged (repeatable): the timeline runs on until the routes through it are withdrawn' })
              .option('fail-link', { type: 'string', array: true, default: [], describe: 'MACHINE/DEVICE that goes down after BGP converged (repeatable)' })
              .example('$0 bgp timeline -f scenarios/calico-bgp-mesh.yaml', 'sessions opening and routes flowing in the full mesh')
              .example('$0 bgp timeline --fail node-2 -f scenarios/calico-bgp-mesh.yaml', 'node-2 dies: the hold timers expire and its routes are withdrawn')
              .example('$0 bgp timeline -f scenarios/calico-bgp-rr.yaml -o json', 'the same as JSON'),
          (argv) =>
            setAction(() => {
              const loaded = loadClusterWithWarnings(io, argv.file);
              if (loaded === undefined) return EXIT.INPUT_ERROR;
              const built = withFailures(loaded, argv.fail, argv['fail-link']);
              if ('problem' in built) {
                io.stderr(`netsim bgp timeline: ${built.problem}\nRun 'netsim bgp timeline --help' for usage.\n`);
                return EXIT.USAGE;
              }
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

/** The cluster as built, or (with failures) when BGP has nothing left to do after them. */
function withFailures(loaded: { built: BuiltCluster; files: readonly ScenarioFile[] }, fail: readonly string[], failLink: readonly string[]): BuiltCluster | { problem: string } {
  if (fail.length === 0 && failLink.length === 0) return loaded.built;
  const requests = failureRequests(loaded.built, fail, failLink);
  if ('problem' in requests) return requests;
  return buildMoments(loaded.files, 1, requests).find((m) => m.moment === 'withdrawn')?.built ?? loaded.built;
}
