/**
 * `netsim iptables trace`: run one packet through a real node's `iptables-save` dump and see
 * every rule it meets, in the order the kernel meets them.
 */
import type { Argv } from 'yargs';
import { hasErrors } from '../../diag/diagnostic.js';
import { type IpSet, parseIpsetSave } from '../../kernel/netfilter/ipset/index.js';
import { parseIptablesSave } from '../../kernel/netfilter/syntax/index.js';
import { iptablesPathsText, iptablesTraceJson, iptablesTraceText } from '../../render/iptables-trace.js';
import { chooseStyle } from '../../render/style.js';
import { seededRng, rngChooser } from '../../sim/context.js';
import { traceHost, traceHostAllPaths } from '../../trace/iptables-trace.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { ifNameProblem } from '../arg-checks.js';
import { readUserInput } from '../files.js';
import { type CliIo, EXIT } from '../io.js';
import { parsePort, parseSeed, single } from '../iptables-args.js';
import { hostPacket, hostTraceOptions, type HostTraceWords } from '../host-trace-args.js';
import type { Action, CliCommand } from '../command.js';

/** The arguments as yargs hands them over: an option given twice arrives as a list. */
type Once<T> = T | T[];

/** The arguments of `iptables trace` (and `nft trace`) as yargs hands them over. */
export interface TraceArgs {
  rules: Once<string>;
  ipsets?: Once<string>;
  src: Once<string>;
  dst: Once<string>;
  proto: Once<string>;
  sport?: Once<string>;
  dport?: Once<string>;
  in?: Once<string>;
  out?: Once<string>;
  'local-addr': string[];
  uid?: Once<string>;
  gid?: Once<string>;
  'all-paths': boolean;
  seed: Once<string>;
  output: Once<string>;
}

/** The arguments once checked. */
export interface CheckedArgs {
  readonly rules: string;
  readonly ipsets?: string;
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly in?: string;
  readonly out?: string;
  readonly localAddrs: readonly string[];
  readonly socket?: { readonly uid: number; readonly gid: number };
  readonly allPaths: boolean;
  readonly seed: number;
  readonly output: string;
}

/** How `iptables trace` words the shared packet options: netfilter's hook names, -m statistic. */
const IPTABLES_WORDS: HostTraceWords = {
  in: 'input interface (1-15 bytes, no / : or whitespace): the packet arrives from outside (PREROUTING); without it the packet is locally generated (OUTPUT)',
  out: 'output interface (1-15 bytes, no / : or whitespace) (FORWARD, OUTPUT, POSTROUTING)',
  localAddr: "the host's own addresses (INPUT vs FORWARD, -m addrtype LOCAL, MASQUERADE source)",
  allPaths: 'enumerate every -m statistic outcome, each with its probability',
  seed: 'seed for -m statistic --mode random (an integer)',
};

/** `netsim iptables …` */
export const iptablesCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command('iptables <command>', 'Work with iptables-save dumps from real nodes', (y) =>
      y
        .command(
          'trace',
          'Trace one packet through an iptables-save dump, rule by rule',
          (t) =>
            hostTraceOptions(
              t
                .option('rules', { type: 'string', demandOption: true, describe: "iptables-save (or ip6tables-save) output of a node; '-' reads standard input" })
                .option('ipsets', { type: 'string', describe: "ipset save output of the same node, loaded before the rules (for -m set); '-' reads standard input" })
                .option('uid', { type: 'string', describe: 'owner uid of the sending socket of a locally generated packet, for -m owner (default 0)' })
                .option('gid', { type: 'string', describe: 'owner gid of the sending socket of a locally generated packet, for -m owner (default 0)' }),
              IPTABLES_WORDS,
            )
            .example('$0 iptables trace --rules node.rules --in eth0 --src 10.244.1.5 --dst 10.96.0.10 --dport 53 --proto udp --local-addr 192.168.56.11', 'a pod on another node asks the cluster DNS')
            .example('$0 iptables trace --rules node.rules --src 192.168.56.11 --dst 10.96.0.1 --dport 443 --out eth0 --all-paths -o json', 'a process on the node reaches the API server Service, every backend'),
          (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
        )
        .demandCommand(1, 'Name an iptables subcommand (trace).'),
    );
  },
};

/** Checks what yargs could not: options given twice, interface names, ports, the seed. */
export function checkArgs(a: TraceArgs): CheckedArgs | { usage: string } {
  const one: Record<string, string | undefined> = {};
  for (const name of ['rules', 'ipsets', 'uid', 'gid', 'src', 'dst', 'proto', 'sport', 'dport', 'in', 'out', 'seed', 'output'] as const) {
    const v = a[name];
    const s = v === undefined ? undefined : single(`--${name}`, v);
    if (typeof s === 'object') return s;
    one[name] = s;
  }
  for (const name of ['in', 'out'] as const) {
    const dev = one[name];
    const why = dev === undefined ? undefined : ifNameProblem(dev);
    if (why !== undefined) return { usage: `--${name}: ${why}` };
  }
  const ports: Record<'sport' | 'dport', number | undefined> = { sport: undefined, dport: undefined };
  for (const name of ['sport', 'dport'] as const) {
    const text = one[name];
    if (text === undefined) continue;
    if (one['proto'] === 'icmp') return { usage: `--${name} ${text}: ICMP has no ports; leave --${name} out with --proto icmp` };
    const port = parsePort(text);
    if (port === undefined) return { usage: `--${name}: "${text}" is not a port number (a decimal integer, 0-65535)` };
    ports[name] = port;
  }
  if (one['rules'] === '-' && one['ipsets'] === '-') return { usage: "--rules - and --ipsets -: only one of them can read standard input" };
  const ids: Record<'uid' | 'gid', number> = { uid: 0, gid: 0 };
  for (const name of ['uid', 'gid'] as const) {
    const text = one[name];
    if (text === undefined) continue;
    if (one['in'] !== undefined) return { usage: `--${name}: only a locally generated packet (no --in) has a sending socket` };
    if (!/^[0-9]{1,10}$/.test(text) || Number(text) > 0xffffffff) return { usage: `--${name}: "${text}" is not a numeric id (0-4294967295)` };
    ids[name] = Number(text);
  }
  const seed = parseSeed(one['seed'] ?? '1');
  if (seed === undefined) return { usage: `--seed: "${one['seed'] ?? ''}" is not an integer` };
  return {
    rules: one['rules'] ?? '',
    ...(one['ipsets'] !== undefined ? { ipsets: one['ipsets'] } : {}),
    src: one['src'] ?? '', dst: one['dst'] ?? '', proto: one['proto'] ?? 'tcp',
    ...(ports.sport !== undefined ? { sport: ports.sport } : {}),
    ...(ports.dport !== undefined ? { dport: ports.dport } : {}),
    ...(one['in'] !== undefined ? { in: one['in'] } : {}),
    ...(one['out'] !== undefined ? { out: one['out'] } : {}),
    ...(one['uid'] !== undefined || one['gid'] !== undefined ? { socket: ids } : {}),
    localAddrs: a['local-addr'], allPaths: a['all-paths'], seed, output: one['output'] ?? 'text',
  };
}

function traceAction(io: CliIo, raw: TraceArgs): number {
  const a = checkArgs(raw);
  if ('usage' in a) return usage(io, a.usage);
  const built = hostPacket(a);
  if ('usage' in built) return usage(io, built.usage);
  const { localAddrs } = built;
  const sets = a.ipsets === undefined ? [] : loadIpsets(io, a.ipsets);
  if (sets === undefined) return EXIT.INPUT_ERROR;
  const file = readUserInput(io, a.rules);
  if ('diagnostic' in file) {
    io.stderr(formatDiagnostics([file.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  // With --ipsets, a rule naming a set that the file does not define is refused at its line, as
  // iptables-restore refuses it; without, sets are not checked (the dump may be traced for other rules).
  const parsed = parseIptablesSave(file.text, {
    file: file.name,
    family: built.packet.ip.family,
    ...(a.ipsets !== undefined ? { ipsets: sets.map((s) => s.name) } : {}),
  });
  if (parsed.diagnostics.length > 0) io.stderr(formatDiagnostics(parsed.diagnostics, (f) => (f === file.name ? file.text : undefined)));
  if (hasErrors(parsed.diagnostics)) return EXIT.INPUT_ERROR;

  const input = {
    rulesets: [parsed.value],
    ipsets: sets,
    ...(a.socket !== undefined ? { socket: a.socket } : {}),
    packet: built.packet,
    localAddrs,
    ...(a.in !== undefined ? { inDev: a.in } : {}),
    ...(a.out !== undefined ? { outDev: a.out } : {}),
  };
  const style = chooseStyle(io.isTTY, io.env);
  const first = traceHost(input, rngChooser(seededRng(a.seed)));
  // A rule netsim cannot evaluate was reached: one path would be a guess, so show both outcomes.
  const forked = !a.allPaths && first.unmodelled !== undefined;
  if (forked) io.stderr('netsim: note: the packet reaches a match netsim does not model; every outcome is shown, as with --all-paths\n');
  if (a.allPaths || forked) {
    const paths = traceHostAllPaths(input);
    io.stdout(a.output === 'json' ? iptablesTraceJson(paths[0] ?? first, paths) : iptablesPathsText({ packetBefore: built.packet }, paths, style));
  } else {
    io.stdout(a.output === 'json' ? iptablesTraceJson(first) : iptablesTraceText({ packetBefore: built.packet }, first, style));
  }
  return EXIT.OK;
}

/** `ipset save` text from --ipsets, or undefined after printing why it cannot be used. */
function loadIpsets(io: CliIo, path: string): readonly IpSet[] | undefined {
  const file = readUserInput(io, path);
  if ('diagnostic' in file) {
    io.stderr(formatDiagnostics([file.diagnostic]));
    return undefined;
  }
  const parsed = parseIpsetSave(file.text, { file: file.name });
  if (parsed.diagnostics.length > 0) io.stderr(formatDiagnostics(parsed.diagnostics, (f) => (f === file.name ? file.text : undefined)));
  return hasErrors(parsed.diagnostics) ? undefined : parsed.value;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim: ${message}\nRun 'netsim iptables trace --help' for usage.\n`);
  return EXIT.USAGE;
}
