/**
 * `netsim nft trace`: run one packet through a real node's `nft list ruleset` (or an `nft -f`
 * script) and print what `nft monitor trace` would, the counterpart of `netsim iptables trace`
 * with the same packet arguments.
 */
import type { Argv } from 'yargs';
import { hasErrors } from '../../diag/diagnostic.js';
import { parseNft } from '../../kernel/netfilter/index.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { nftPathsText, nftTraceJson, nftTraceText } from '../../render/nft-trace.js';
import { chooseStyle } from '../../render/style.js';
import { rngChooser, seededRng } from '../../sim/context.js';
import { traceHost, traceHostAllPaths } from '../../trace/iptables-trace.js';
import type { Action, CliCommand } from '../command.js';
import { readUserInput } from '../files.js';
import { type CliIo, EXIT } from '../io.js';
import { hostPacket, hostTraceOptions, type HostTraceWords } from '../host-trace-args.js';
import { checkArgs, type TraceArgs } from './iptables.js';

/** How `nft trace` words the shared packet options: nft's lower-case hooks and numgen. */
const NFT_WORDS: HostTraceWords = {
  in: 'input interface: the packet arrives from outside (prerouting); without it the packet is locally generated (output)',
  out: 'output interface (forward, output, postrouting)',
  localAddr: "the host's own addresses (input vs forward, fib daddr type local, masquerade source)",
  allPaths: 'enumerate every numgen random outcome, each with its probability',
  seed: 'seed for numgen random (an integer)',
};

/** `netsim nft …` */
export const nftCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command('nft <command>', 'Work with nftables rulesets from real nodes', (y) =>
      y
        .command(
          'trace',
          'Trace one packet through an nft ruleset, as nft monitor trace reports it',
          (t) =>
            hostTraceOptions(
              t.option('rules', { type: 'string', demandOption: true, describe: "nft list ruleset output (or an nft -f script) of a node; '-' reads standard input" }),
              NFT_WORDS,
            ).example('$0 nft trace --rules node.nft --in eth0 --src 10.0.0.5 --dst 172.30.0.41 --dport 80 --local-addr 192.168.0.2', 'a pod reaches a ClusterIP through kube-proxy in nftables mode'),
          (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
        )
        .demandCommand(1, 'Name an nft subcommand (trace).'),
    );
  },
};

function traceAction(io: CliIo, raw: TraceArgs): number {
  const a = checkArgs(raw);
  if ('usage' in a) return usage(io, a.usage);
  const built = hostPacket(a);
  if ('usage' in built) return usage(io, built.usage);
  const { localAddrs } = built;
  const file = readUserInput(io, a.rules);
  if ('diagnostic' in file) {
    io.stderr(formatDiagnostics([file.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  const parsed = parseNft(file.text, { file: file.name });
  if (parsed.diagnostics.length > 0) io.stderr(formatDiagnostics(parsed.diagnostics, (f) => (f === file.name ? file.text : undefined)));
  if (hasErrors(parsed.diagnostics)) return EXIT.INPUT_ERROR;
  const input = {
    rulesets: [],
    nft: parsed.value,
    packet: built.packet,
    localAddrs,
    ...(a.in !== undefined ? { inDev: a.in } : {}),
    ...(a.out !== undefined ? { outDev: a.out } : {}),
  };
  const style = chooseStyle(io.isTTY, io.env);
  if (a.allPaths) {
    const paths = traceHostAllPaths(input);
    io.stdout(a.output === 'json' ? nftTraceJson(paths[0] as NonNullable<(typeof paths)[0]>, paths) : nftPathsText({ packetBefore: built.packet }, paths, style));
    return EXIT.OK;
  }
  const r = traceHost(input, rngChooser(seededRng(a.seed)));
  io.stdout(a.output === 'json' ? nftTraceJson(r) : nftTraceText({ packetBefore: built.packet }, r, style));
  return EXIT.OK;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim: ${message}\nRun 'netsim nft trace --help' for usage.\n`);
  return EXIT.USAGE;
}
