/** `netsim show NODE|POD|ROUTER [SECTION]`: a namespace's state in the real tools' formats. */
import type { Argv } from 'yargs';
import { SHOW_CHOICES, type ShowChoice, showText } from '../../app/show.js';
import { loadCluster } from '../cluster-input.js';
import { FILE_OPTION } from '../file-option.js';
import { OUT_OPTION } from '../out-file.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { showNodeDump } from '../../app/node-dump.js';
import { SHOW_SECTIONS, type ShowSection } from '../../render/netns-state.js';
import { NODE_DUMP_OPTION, loadNodeDump } from '../node-dump-input.js';

/** `show NAME WHAT --node-dump DIR`: the dump's node, called NAME, section by section. */
function showDump(io: CliIo, dir: string, name: string, what: ShowChoice): number {
  if (what !== 'all' && !(SHOW_SECTIONS as readonly string[]).includes(what)) {
    io.stderr(`netsim show: ${what} is about a cluster; a node dump shows ${SHOW_SECTIONS.join(', ')} or all\nRun 'netsim show --help' for usage.\n`);
    return EXIT.USAGE;
  }
  const r = loadNodeDump(io, dir, name);
  if (r === undefined) return EXIT.INPUT_ERROR;
  io.stdout(showNodeDump(r.value, what as ShowSection | 'all'));
  return EXIT.OK;
}

/** `netsim show` */
export const showCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'show <name> [what]',
      'Show a node, pod or router namespace as ip addr / ip route / ip rule / ip neigh / bridge fdb / iptables-save / nft list ruleset / conntrack -L print it, or its BGP state as calicoctl and birdcl print it',
      (y) =>
        y
          .positional('name', { type: 'string', demandOption: true, describe: 'node name, router name, pod name or namespace/pod' })
          .positional('what', { type: 'string', choices: [...SHOW_CHOICES], default: 'all', describe: 'which state (flannel: subnet.env, the delegated bridge config and flannel.1, on flannel nodes; ipam: calicoctl ipam show --show-blocks, on calico clusters; bgp: calicoctl node status and birdcl show protocols / show route, on BGP speakers; resolv: a pod\'s /etc/resolv.conf as kubelet writes it)' })
          .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
          .option('node-dump', NODE_DUMP_OPTION)
          .example('$0 show worker-1 route --node-dump DIR', "a real node's routes from its dump (netsim import), NAME naming it")
          .example('$0 show node-1 iptables', "node-1's iptables-save")
          .example('$0 show pod-a route', "pod-a's routing tables")
          .example('$0 show node-1 flannel -f scenarios/flannel-vxlan.yaml', "flannel's subnet.env, delegate config and flannel.1 on node-1")
          .example('$0 show node-1 ipam -f scenarios/calico-ipip.yaml', "calico-ipam's blocks, which node holds each, and their use")
          .example('$0 show node-1 bgp -f scenarios/calico-bgp-mesh.yaml', "node-1's BGP sessions and routes as calicoctl node status and birdcl print them"),
      (argv) =>
        setAction(() => {
          if (argv['node-dump'] !== undefined) return showDump(io, argv['node-dump'], argv.name as string, argv.what as ShowChoice);
          const built = loadCluster(io, argv.file);
          if (built === undefined) return EXIT.INPUT_ERROR;
          const shown = showText(built, argv.name as string, argv.what as ShowChoice);
          if ('problem' in shown) {
            io.stderr(`netsim show: ${shown.problem}\nRun 'netsim show --help' for usage.\n`);
            return EXIT.USAGE;
          }
          io.stdout(shown.text);
          return EXIT.OK;
        }),
    );
  },
};
