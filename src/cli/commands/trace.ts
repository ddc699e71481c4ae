/** `netsim trace SRC DST`: a packet's way through the cluster, hop by hop, and back. */
import type { Argv as Yargs } from 'yargs';
import { buildMoments, failureRequests } from '../../app/failures.js';
import { type TraceQuery, type TraceRun, momentsJson, momentsText, runTrace, traceRunJson, traceRunReport, traceRunText } from '../../app/trace.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { Diagnostic } from '../../diag/diagnostic.js';
import type { ScenarioFile } from '../../scenario/index.js';
import { chooseStyle } from '../../render/style.js';
import { type Argv, addrPortOf, checkSeed, isPort, portProblem } from '../arg-checks.js';
import { loadClusterWithWarnings } from '../cluster-input.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

interface TraceArgs {
  src: string;
  dst: string;
  port?: string;
  protocol?: 'tcp' | 'udp' | 'sctp' | 'icmp';
  file?: string;
  output: string;
  seed: number;
  'all-paths': boolean;
  reply: boolean;
  size?: number;
  df: boolean;
  fail: string[];
  'fail-link': string[];
  family?: number;
}

/** `netsim trace SRC DST` */
export const traceCommand: CliCommand = {
  register(parser: Yargs, io: CliIo, setAction: (a: Action) => void): Yargs {
    return parser.command(
      'trace <src> <dst>',
      'Trace a packet from a pod or node to a pod, Service, node or IP, and its reply',
      (y) =>
        y
          .positional('src', { type: 'string', demandOption: true, describe: 'pod (name or namespace/name), node, or IP' })
          .positional('dst', { type: 'string', demandOption: true, describe: 'pod, Service (name, name.namespace, svc/name), node, IP or IP:port' })
          .option('port', { type: 'string', describe: "destination port: a number, or a Service port's name (default: the Service's first port, the pod's first container port, else 80)" })
          .option('protocol', { type: 'string', choices: ['tcp', 'udp', 'sctp', 'icmp'] as const, describe: "protocol (default: the Service port's, else tcp)" })
          .option('file', { alias: 'f', type: 'string', describe: 'scenario file or folder (default: the built-in scenario)' })
          .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'html'], default: 'text', describe: 'output format (html: a self-contained report with the picture)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed for random choices (which backend a Service picks)' })
          .option('all-paths', { type: 'boolean', default: false, describe: 'one trace per random outcome (every backend), each with its probability' })
          .option('reply', { type: 'boolean', default: true, describe: 'also trace the answer back (--no-reply to skip)' })
          .option('size', { type: 'number', describe: 'the IP packet\'s total length in bytes, headers included (default: a SYN, 60 bytes; 80 for IPv6)' })
          .option('df', { type: 'boolean', default: true, describe: "set don't-fragment (--no-df: let hosts and routers fragment IPv4)" })
          .option('family', { type: 'number', choices: [4, 6], describe: 'the address family on a dual-stack cluster: which address of a pod, Service or node to use (default: that of an IP given as DST or SRC, else the first)' })
          .option('fail', { type: 'string', array: true, default: [], describe: 'a node or router that dies after BGP converged (repeatable): the trace is shown before and after BGP notices' })
          .option('fail-link', { type: 'string', array: true, default: [], describe: 'MACHINE/DEVICE that goes down after BGP converged (repeatable), e.g. node-2/eth0' })
          .check(checkTraceArgs)
          .example('$0 trace pod-a service-b', 'a pod reaches a ClusterIP Service on the built-in scenario')
          .example('$0 trace pod-a service-b --all-paths', 'every backend the Service may pick, with probabilities')
          .example('$0 trace default/pod-a 10.244.1.2:8080 -f scenarios/default.yaml -o json', 'pod to pod IP, as JSON')
          .example('$0 trace pod-a service-b -o html > trace.html', 'an HTML report: the picture and the hops side by side')
          .example('$0 trace pod-a service-b --family 6 -f scenarios/dual-stack.yaml', "the Service's IPv6 ClusterIP, from pod-a's IPv6 address")
          .example('$0 trace pod-a b-2 --protocol icmp --size 1500', 'a 1500-byte ping with DF, like ping -M do -s 1472')
          .example('$0 trace client web-2 --fail node-2 -f scenarios/calico-bgp-mesh.yaml', 'node-2 dies: the trace before the hold timer expires, and after BGP withdrew its routes'),
      (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
    );
  },
};

/** Ports 1–65535 (in --port and in IP:PORT), no port with ICMP, a whole-number size and seed (--size's range depends on the packet: planFlow). */
export function checkTraceArgs(argv: Argv): true | string {
  const port = argv['port'];
  const dstPort = typeof argv['dst'] === 'string' ? addrPortOf(argv['dst']) : undefined;
  if (typeof port === 'string' && portProblem(port) !== undefined) return `--port ${portProblem(port)}`;
  if (dstPort !== undefined && !isPort(Number(dstPort))) return `${String(argv['dst'])}: port ${dstPort} is not a port: ports are 1–65535`;
  if (argv['protocol'] === 'icmp' && (port !== undefined || dstPort !== undefined)) return '--protocol icmp has no ports: drop --port (and the :PORT of the destination)';
  const size = argv['size'];
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size))) return `--size must be a whole number of bytes, got ${String(size)}`;
  return checkSeed(argv);
}

function traceAction(io: CliIo, a: TraceArgs): number | Promise<number> {
  const loaded = loadClusterWithWarnings(io, a.file, a.seed);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  const { built, warnings } = loaded;
  const query = traceQuery(a);
  if (a.fail.length > 0 || a['fail-link'].length > 0) return traceWithFailures(io, a, loaded, query);
  const run = runTrace(built, query);
  if ('problem' in run) return usage(io, run.problem);
  if (a.output === 'html') {
    return traceRunReport(built, run).then((page) => {
      io.stdout(page);
      return EXIT.OK;
    });
  }
  io.stdout(a.output === 'json' ? traceRunJson(run, warnings) : traceRunText(built, run, chooseStyle(io.isTTY, io.env)));
  return EXIT.OK;
}

/** The query runTrace takes, from the arguments. */
function traceQuery(a: TraceArgs): TraceQuery {
  const port = a.port === undefined ? undefined : /^\d+$/.test(a.port) ? Number(a.port) : a.port;
  return {
    src: a.src,
    dst: a.dst,
    seed: a.seed,
    allPaths: a['all-paths'],
    reply: a.reply,
    df: a.df,
    ...(a.size !== undefined ? { size: a.size } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(a.protocol !== undefined ? { protocol: a.protocol } : {}),
    ...(a.family === 4 || a.family === 6 ? { family: a.family } : {}),
  };
}

/** `--fail`: the same trace at each moment after the failures (while BGP holds the routes, then after it withdrew them). */
function traceWithFailures(io: CliIo, a: TraceArgs, loaded: { built: BuiltCluster; warnings: readonly Diagnostic[]; files: readonly ScenarioFile[] }, query: TraceQuery): number {
  if (a.output === 'html') return usage(io, '--fail and --fail-link show two moments: use -o text or -o json');
  const requests = failureRequests(loaded.built, a.fail, a['fail-link']);
  if ('problem' in requests) return usage(io, requests.problem);
  const runs: { built: BuiltCluster; run: TraceRun }[] = [];
  for (const m of buildMoments(loaded.files, a.seed, requests)) {
    const run = runTrace(m.built, query);
    if ('problem' in run) return usage(io, run.problem);
    runs.push({ built: m.built, run });
  }
  io.stdout(a.output === 'json' ? momentsJson(runs, loaded.warnings) : momentsText(runs, chooseStyle(io.isTTY, io.env)));
  return EXIT.OK;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim trace: ${message}\nRun 'netsim trace --help' for usage.\n`);
  return EXIT.USAGE;
}
