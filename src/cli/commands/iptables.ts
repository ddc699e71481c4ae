/**
 * `netsim iptables trace`: run one packet through a real node's `iptables-save` dump and see
 * every rule it meets, in the order the kernel meets them.
 */
import type { Argv } from 'yargs';
import { parseIp, type Ip } from '../../addr/ip.js';
import { hasErrors } from '../../diag/diagnostic.js';
import { parseIptablesSave } from '../../kernel/netfilter/syntax/index.js';
import { iptablesPathsText, iptablesTraceJson, iptablesTraceText } from '../../render/iptables-trace.js';
import { chooseStyle } from '../../render/style.js';
import { seededRng, rngChooser } from '../../sim/context.js';
import { traceHost, traceHostAllPaths } from '../../trace/iptables-trace.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { type Argv as ArgValues, checkSeed, ifNameProblem } from '../arg-checks.js';
import { readUserFile } from '../files.js';
import { type CliIo, EXIT } from '../io.js';
import { packetFromArgs } from '../packet-args.js';
import type { Action, CliCommand } from '../command.js';

interface TraceArgs {
  rules: string;
  src: string;
  dst: string;
  proto: string;
  sport?: number;
  dport?: number;
  in?: string;
  out?: string;
  'local-addr': string[];
  'all-paths': boolean;
  seed: number;
  output: string;
}

/** `netsim iptables …` */
export const iptablesCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command('iptables <command>', 'Work with iptables-save dumps from real nodes', (y) =>
      y
        .command(
          'trace',
          'Trace one packet through an iptables-save dump, rule by rule',
          (t) =>
            t
              .option('rules', { type: 'string', demandOption: true, describe: 'iptables-save (or ip6tables-save) output of a node' })
              .option('src', { type: 'string', demandOption: true, describe: 'source IP' })
              .option('dst', { type: 'string', demandOption: true, describe: 'destination IP' })
              .option('proto', { type: 'string', default: 'tcp', choices: ['tcp', 'udp', 'sctp', 'icmp'], describe: 'protocol' })
              .option('sport', { type: 'number', describe: 'source port (default 40000)' })
              .option('dport', { type: 'number', describe: 'destination port (default 80)' })
              .option('in', { type: 'string', describe: 'input interface: the packet arrives from outside (PREROUTING); without it the packet is locally generated (OUTPUT)' })
              .option('out', { type: 'string', describe: 'output interface (FORWARD, OUTPUT, POSTROUTING)' })
              .option('local-addr', { type: 'string', array: true, default: [], describe: "the host's own addresses (INPUT vs FORWARD, -m addrtype LOCAL, MASQUERADE source)" })
              .option('all-paths', { type: 'boolean', default: false, describe: 'enumerate every -m statistic outcome, each with its probability' })
              .option('seed', { type: 'number', default: 1, describe: 'seed for -m statistic --mode random' })
              .option('output', { alias: 'o', type: 'string', default: 'text', choices: ['text', 'json'], describe: 'output format' })
              .check(checkIptablesTraceArgs)
              .example('$0 iptables trace --rules node.rules --in eth0 --src 10.244.1.5 --dst 10.96.0.10 --dport 53 --proto udp --local-addr 192.168.56.11', 'a pod on another node asks the cluster DNS')
              .example('$0 iptables trace --rules node.rules --src 192.168.56.11 --dst 10.96.0.1 --dport 443 --out eth0 --all-paths -o json', 'a process on the node reaches the API server Service, every backend'),
          (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
        )
        .demandCommand(1, 'Name an iptables subcommand (trace).'),
    );
  },
};

/** Interface names as Linux takes them, no ports with ICMP, a whole-number seed. */
function checkIptablesTraceArgs(argv: ArgValues): true | string {
  for (const flag of ['in', 'out'] as const) {
    const name = argv[flag];
    const problem = typeof name === 'string' ? ifNameProblem(name) : undefined;
    if (problem !== undefined) return `--${flag}: ${problem}`;
  }
  if (argv['proto'] === 'icmp' && (argv['sport'] !== undefined || argv['dport'] !== undefined)) return '--proto icmp has no ports: drop --sport and --dport';
  return checkSeed(argv);
}

function traceAction(io: CliIo, a: TraceArgs): number {
  const built = packetFromArgs(a);
  if ('usage' in built) return usage(io, built.usage);
  const localAddrs: Ip[] = [];
  for (const text of a['local-addr']) {
    const addr = parseIp(text);
    if (addr === undefined) return usage(io, `--local-addr: not an IP address: ${text}`);
    localAddrs.push(addr);
  }
  const file = readUserFile(io, a.rules);
  if ('diagnostic' in file) {
    io.stderr(formatDiagnostics([file.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  const parsed = parseIptablesSave(file.text, { file: a.rules, family: built.packet.ip.family });
  if (parsed.diagnostics.length > 0) io.stderr(formatDiagnostics(parsed.diagnostics, (f) => (f === a.rules ? file.text : undefined)));
  if (hasErrors(parsed.diagnostics)) return EXIT.INPUT_ERROR;

  const input = {
    rulesets: [parsed.value],
    packet: built.packet,
    localAddrs,
    ...(a.in !== undefined ? { inDev: a.in } : {}),
    ...(a.out !== undefined ? { outDev: a.out } : {}),
  };
  const style = chooseStyle(io.isTTY, io.env);
  const first = traceHost(input, rngChooser(seededRng(a.seed)));
  if (a['all-paths']) {
    const paths = traceHostAllPaths(input);
    io.stdout(a.output === 'json' ? iptablesTraceJson(paths[0] ?? first, paths) : iptablesPathsText({ packetBefore: built.packet }, paths, style));
  } else {
    io.stdout(a.output === 'json' ? iptablesTraceJson(first) : iptablesTraceText({ packetBefore: built.packet }, first, style));
  }
  return EXIT.OK;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim: ${message}\nRun 'netsim iptables trace --help' for usage.\n`);
  return EXIT.USAGE;
}
