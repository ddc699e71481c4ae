/** `netsim show NODE|POD [SECTION]`: a namespace's state in the real tools' formats. */
import type { Argv } from 'yargs';
import { SHOW_SECTIONS, type ShowSection, renderSections } from '../../render/netns-state.js';
import { loadCluster } from '../cluster-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../run.js';

/** `netsim show` */
export const showCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'show <name> [what]',
      'Show a node or pod namespace as ip addr / ip route / ip rule / ip neigh / bridge fdb / iptables-save / conntrack -L print it',
      (y) =>
        y
          .positional('name', { type: 'string', demandOption: true, describe: 'node name, pod name or namespace/pod' })
          .positional('what', { type: 'string', choices: [...SHOW_SECTIONS, 'all'], default: 'all', describe: 'which state' })
          .option('file', { alias: 'f', type: 'string', describe: 'scenario file or folder (default: the built-in scenario)' })
          .example('$0 show node-1 iptables', "node-1's iptables-save")
          .example('$0 show pod-a route', "pod-a's routing tables"),
      (argv) =>
        setAction(() => {
          const built = loadCluster(io, argv.file);
          if (built === undefined) return EXIT.INPUT_ERROR;
          const name = argv.name as string;
          const pod = built.pods.find((p) => `${p.pod.namespace}/${p.pod.name}` === name) ?? built.pods.find((p) => p.pod.name === name && p.pod.namespace === 'default') ?? built.pods.find((p) => p.pod.name === name);
          const nsName = built.world.netns[name] !== undefined && built.spec.nodes.some((n) => n.name === name) ? name : pod?.netns;
          const ns = nsName === undefined ? undefined : built.world.netns[nsName];
          if (ns === undefined) {
            io.stderr(`netsim show: no node or pod called ${name}\nRun 'netsim show --help' for usage.\n`);
            return EXIT.USAGE;
          }
          const what = argv.what as ShowSection | 'all';
          io.stdout(renderSections(built.world, ns, what === 'all' ? SHOW_SECTIONS : [what]));
          return EXIT.OK;
        }),
    );
  },
};
