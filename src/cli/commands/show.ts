/** `netsim show NODE|POD|ROUTER [SECTION]`: a namespace's state in the real tools' formats. */
import type { Argv } from 'yargs';
import { SHOW_CHOICES, type ShowChoice, showJson, showText } from '../../app/show.js';
import { isJsonSection, noJsonForm } from '../../render/netns-json.js';
import { loadCluster } from '../cluster-input.js';
import { FILE_OPTION } from '../file-option.js';
import { OUT_OPTION } from '../out-file.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { showNodeDump } from '../../app/node-dump.js';
import { SHOW_SECTIONS, type ShowSection } from '../../render/netns-state.js';
import { NODE_DUMP_OPTION, loadNodeDump } from '../node-dump-input.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { showAfterTrace } from '../../app/trace-session.js';
import { type Argv as Args, checkSeed, portProblem } from '../arg-checks.js';
import { SESSION_OPTION, THEN_OPTION, readSteps, reportSessionFailure } from '../session-args.js';

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim show: ${message}\nRun 'netsim show --help' for usage.\n`);
  return EXIT.USAGE;
}

/** `show NAME WHAT --node-dump DIR`: the dump's node, called NAME, section by section. */
function showDump(io: CliIo, dir: string, name: string, what: ShowChoice, format: 'text' | 'json'): number {
  if (format === 'json' && !isJsonSection(what)) return usage(io, noJsonForm(what));
  if (what !== 'all' && !(SHOW_SECTIONS as readonly string[]).includes(what)) {
    io.stderr(`netsim show: ${what} is about a cluster; a node dump shows ${SHOW_SECTIONS.join(', ')} or all\nRun 'netsim show --help' for usage.\n`);
    return EXIT.USAGE;
  }
  const r = loadNodeDump(io, dir, name);
  if (r === undefined) return EXIT.INPUT_ERROR;
  io.stdout(showNodeDump(r.value, what as ShowSection | 'all', format));
  return EXIT.OK;
}


interface ShowAfterArgs {
  name: string;
  what: ShowChoice;
  'after-trace': string[];
  then?: string | string[];
  session?: string;
  seed: number;
  port?: string;
  protocol?: 'tcp' | 'udp' | 'sctp' | 'icmp';
  reply: boolean;
}

/** --after-trace takes SRC and DST; the trace's options and steps need it. */
function checkShowArgs(argv: Args): true | string {
  const after = argv['after-trace'];
  const steps = argv['then'] !== undefined || argv['session'] !== undefined;
  const traceOpts = ['port', 'protocol'].filter((o) => argv[o] !== undefined);
  if (after === undefined) {
    if (steps) return '--then and --session are steps of --after-trace SRC DST: add it';
    if (traceOpts.length > 0) return `--${traceOpts[0]} belongs to --after-trace SRC DST: add it`;
    return true;
  }
  if (!Array.isArray(after) || after.length !== 2) return '--after-trace takes two words: SRC DST';
  const port = argv['port'];
  if (typeof port === 'string' && portProblem(port) !== undefined) return `--port ${portProblem(port)}`;
  return checkSeed(argv);
}

/** `--after-trace SRC DST [--then …]`: the session, then the namespace as it left it. */
function showAfter(io: CliIo, built: BuiltCluster, a: ShowAfterArgs): number {
  const read = readSteps(io, a);
  if ('exit' in read) return read.exit;
  const [src = '', dst = ''] = a['after-trace'];
  const port = a.port === undefined ? undefined : /^\d+$/.test(a.port) ? Number(a.port) : a.port;
  const query = { src, dst, seed: a.seed, reply: a.reply, ...(port !== undefined ? { port } : {}), ...(a.protocol !== undefined ? { protocol: a.protocol } : {}) };
  const shown = showAfterTrace(built, a.name, a.what, query, read.steps);
  if ('text' in shown) {
    io.stdout(shown.text);
    return EXIT.OK;
  }
  if ('diagnostic' in shown) return reportSessionFailure(io, 'show', shown, read.sources);
  io.stderr(`netsim show: ${shown.problem}\nRun 'netsim show --help' for usage.\n`);
  return EXIT.USAGE;
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
          .option('after-trace', { type: 'string', array: true, nargs: 2, describe: 'SRC DST: show the state a trace left behind (conntrack, neigh, …), with its --then / --session steps' })
          .option('then', THEN_OPTION)
          .option('session', SESSION_OPTION)
          .option('seed', { type: 'number', default: 1, describe: 'with --after-trace: seed for random choices (which backend a Service picks)' })
          .option('port', { type: 'string', describe: "with --after-trace: the trace's destination port (a number or a Service port's name)" })
          .option('protocol', { type: 'string', choices: ['tcp', 'udp', 'sctp', 'icmp'] as const, describe: "with --after-trace: the trace's protocol" })
          .option('reply', { type: 'boolean', default: true, describe: 'with --after-trace: trace the answer too (--no-reply: the entries stay [UNREPLIED])' })
          .check(checkShowArgs)
          .option('out', OUT_OPTION)
          .option('output', { alias: 'o', type: 'string', choices: ['text', 'json'], default: 'text', describe: 'json: addr, route, rule and neigh as ip -j prints them' })
          .option('node-dump', NODE_DUMP_OPTION)
          .example('$0 show worker-1 route --node-dump DIR', "a real node's routes from its dump (netsim import), NAME naming it")
          .example('$0 show node-1 iptables', "node-1's iptables-save")
          .example('$0 show node-1 route -o json', "node-1's routes as ip -j route show table all prints them")
          .example('$0 show pod-a route', "pod-a's routing tables")
          .example('$0 show node-1 flannel -f scenarios/flannel-vxlan.yaml', "flannel's subnet.env, delegate config and flannel.1 on node-1")
          .example('$0 show node-1 ipam -f scenarios/calico-ipip.yaml', "calico-ipam's blocks, which node holds each, and their use")
          .example('$0 show node-1 bgp -f scenarios/calico-bgp-mesh.yaml', "node-1's BGP sessions and routes as calicoctl node status and birdcl print them")
          .example('$0 show node-1 conntrack --after-trace pod-a service-b --then send', "node-1's conntrack table after a connection and its ACK (conntrack -L)"),
      (argv) =>
        setAction(() => {
          const format = argv.output === 'json' ? 'json' : 'text';
          if (argv['node-dump'] !== undefined) return showDump(io, argv['node-dump'], argv.name as string, argv.what as ShowChoice, format);
          if (format === 'json' && Array.isArray(argv['after-trace'])) return usage(io, '-o json shows the built cluster; --after-trace prints text');
          const built = loadCluster(io, argv.file, typeof argv.seed === 'number' ? argv.seed : 1);
          if (built === undefined) return EXIT.INPUT_ERROR;
          const after = argv['after-trace'];
          if (Array.isArray(after)) return showAfter(io, built, argv as unknown as ShowAfterArgs);
          const shown = format === 'json' ? showJson(built, argv.name as string, argv.what as ShowChoice) : showText(built, argv.name as string, argv.what as ShowChoice);
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
