/** `netsim trace SRC DST`: a packet's way through the cluster, hop by hop, and back. */
import type { Argv as Yargs } from 'yargs';
import { buildMoments, failureRequests } from '../../app/failures.js';
import { type TraceQuery, type TraceRun, momentsJson, momentsText, runTrace, traceRunJson, traceRunReport, traceRunText } from '../../app/trace.js';
import { runDnsTrace, wantsDns } from '../../app/trace-dns.js';
import { dnsTraceJson, dnsTraceText } from '../../app/trace-dns-render.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { Diagnostic } from '../../diag/diagnostic.js';
import { chooseStyle } from '../../render/style.js';
import { type Argv, checkJobs } from '../arg-checks.js';
import { type LoadedCluster, loadClusterChecked } from '../cluster-input.js';
import { unknownNameProblem } from '../../app/trace-names.js';
import { batchAction } from './trace-batch.js';
import { FILE_OPTION } from '../file-option.js';
import { FLOW_OPTIONS, type FlowArgs, checkFlowValues, flowQuery } from '../trace-flow-options.js';
import { OUT_OPTION } from '../out-file.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';
import { NODE_DUMP_OPTION } from '../node-dump-input.js';
import { nodeDumpTraceAction } from './trace-node-dump.js';
import { runTraceSession, traceSessionJson, traceSessionReport, traceSessionText } from '../../app/trace-session.js';
import { SESSION_OPTION, THEN_OPTION, readSteps, reportSessionFailure, wantsSession } from '../session-args.js';

interface TraceArgs extends FlowArgs {
  batch?: string;
  jobs?: string;
  file?: string | string[];
  output: string;
  fail: string[];
  'fail-link': string[];
  'node-dump'?: string;
  in?: string;
  then?: string | string[];
  session?: string;
}

/** `netsim trace SRC DST` */
export const traceCommand: CliCommand = {
  register(parser: Yargs, io: CliIo, setAction: (a: Action) => void): Yargs {
    return parser.command(
      'trace [src] [dst]',
      'Trace a packet from a pod or node to a pod, Service, node or IP, and its reply',
      (y) =>
        y
          .positional('src', { type: 'string', describe: 'pod (name or namespace/name), node, or IP' })
          .positional('dst', { type: 'string', describe: 'pod, Service (name, name.namespace, svc/name), node, IP or IP:port' })
          .option('batch', { type: 'string', describe: 'trace every flow of FILE (- for stdin): one "SRC DST [options]" a line; JSON lines out, one result a line' })
          .option('jobs', { type: 'string', describe: 'with --batch: trace on N worker threads, each building the scenario itself (auto: one per core); the output is the same whatever N', defaultDescription: '1' })
          .option('port', FLOW_OPTIONS['port'])
          .option('protocol', FLOW_OPTIONS['protocol'])
          .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
          .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'html'], default: 'text', describe: 'output format (html: a self-contained report with the picture)' })
          .option('seed', FLOW_OPTIONS['seed'])
          .option('all-paths', FLOW_OPTIONS['all-paths'])
          .option('reply', FLOW_OPTIONS['reply'])
          .option('size', FLOW_OPTIONS['size'])
          .option('df', FLOW_OPTIONS['df'])
          .option('dns', FLOW_OPTIONS['dns'])
          .option('family', FLOW_OPTIONS['family'])
          .option('fail', { type: 'string', array: true, default: [], describe: 'a node or router that dies after BGP converged (repeatable): the trace is shown before and after BGP notices' })
          .option('then', THEN_OPTION)
          .option('session', SESSION_OPTION)
          .option('fail-link', { type: 'string', array: true, default: [], describe: 'MACHINE/DEVICE that goes down after BGP converged (repeatable), e.g. node-2/eth0' })
          .option('node-dump', NODE_DUMP_OPTION)
          .option('in', { type: 'string', describe: 'with --node-dump: the device the packet enters the node on (default: the node itself sends it)' })
          .check(checkTraceArgs)
          .example('$0 trace pod-a service-b', 'a pod reaches a ClusterIP Service on the built-in scenario')
          .example('$0 trace pod-a service-b --all-paths', 'every backend the Service may pick, with probabilities')
          .example('$0 trace default/pod-a 10.244.1.2:8080 -f scenarios/default.yaml -o json', 'pod to pod IP, as JSON')
          .example('$0 trace pod-a service-b -o html > trace.html', 'an HTML report: the picture and the hops side by side')
          .example('$0 trace pod-a service-b --family 6 -f scenarios/dual-stack.yaml', "the Service's IPv6 ClusterIP, from pod-a's IPv6 address")
          .example('$0 trace pod-a b-2 --protocol icmp --size 1500', 'a 1500-byte ping with DF, like ping -M do -s 1472')
          .example('$0 trace pod-a service-b.default.svc.cluster.local', 'the DNS lookup (search list, the query to kube-dns traced), then the connection')
          .example('$0 trace client web-2 --fail node-2 -f scenarios/calico-bgp-mesh.yaml', 'node-2 dies: the trace before the hold timer expires, and after BGP withdrew its routes')
          .example('$0 trace 10.244.1.5 10.96.0.10:53 --protocol udp --in cni0 --node-dump DIR', "a packet entering a real node's dump on cni0 (netsim import)")
          .example('$0 trace pod-a service-b --then again --then "wait 130s" --then "delete pod b-2" --then again', 'a session: a second connection, the clock moving on, a backend deleted between two connections')
          .example('$0 trace --batch flows.txt -f scenarios/workloads.yaml', 'one JSON line per flow of flows.txt ("web-client web --port 80" a line)')
          .example('$0 trace --batch flows.txt --jobs 2 -f scenarios/workloads.yaml', 'the same lines, traced on two worker threads'),
      (argv) => setAction(() => traceAction(io, argv as unknown as TraceArgs)),
    );
  },
};

/** SRC and DST (or `--batch`), then the flow's values (checkFlowValues). */
export function checkTraceArgs(argv: Argv): true | string {
  if (argv['batch'] !== undefined) return checkBatchArgs(argv);
  if (argv['jobs'] !== undefined) return '--jobs goes with --batch FILE: a single trace runs on one thread';
  if (typeof argv['src'] !== 'string' || typeof argv['dst'] !== 'string') return 'Not enough non-option arguments: want SRC and DST (or --batch FILE)';
  return checkFlowValues(argv);
}

/** `--batch`: no SRC/DST (they are in the file), JSON only, and none of the options that show two moments. */
function checkBatchArgs(argv: Argv): true | string {
  if (argv['src'] !== undefined) return '--batch takes the flows from its file: drop SRC and DST';
  if (argv['then'] !== undefined || argv['session'] !== undefined) return '--batch traces single flows: drop --then and --session';
  if (argv['batch'] === '-' && argv['file'] === '-') return '--batch - and -f - both want standard input: give one of them a file';
  if (argv['output'] !== 'json' && argv['output'] !== 'text') return '--batch writes JSON lines: drop -o html';
  const fails = [argv['fail'], argv['fail-link']].some((v) => Array.isArray(v) && v.length > 0);
  if (fails) return '--batch does not combine with --fail or --fail-link';
  const jobs = checkJobs(argv);
  return jobs === true ? checkFlowValues(argv) : jobs;
}

function traceAction(io: CliIo, a: TraceArgs): number | Promise<number> {
  if (a.batch !== undefined) return batchAction(io, { ...a, batch: a.batch });
  if (a['node-dump'] !== undefined) return nodeDumpTraceAction(io, { src: a.src, dst: a.dst, seed: a.seed, output: a.output, dir: a['node-dump'], ...(a.port !== undefined ? { port: a.port } : {}), ...(a.protocol !== undefined ? { protocol: a.protocol } : {}), ...(a.in !== undefined ? { in: a.in } : {}) });
  if (a.in !== undefined) return usage(io, '--in goes with --node-dump (a scenario\'s packets start at their source)');
  const query = flowQuery(a);
  // A plain trace whose SRC or DST names nothing says so before the build (seconds on a large scenario).
  const plain = !wantsSession(a) && a.fail.length === 0 && a['fail-link'].length === 0;
  const loaded = loadClusterChecked(io, a.file, a.seed, plain ? (spec) => unknownNameProblem(spec, query, { flag: a.dns }) : undefined);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  if ('problem' in loaded) return usage(io, loaded.problem);
  const { built, warnings } = loaded;
  if (wantsSession(a)) return sessionAction(io, a, built, query, warnings);
  if (a.fail.length > 0 || a['fail-link'].length > 0) return traceWithFailures(io, a, loaded, query);
  if (wantsDns(built, query, a.dns)) return dnsAction(io, a, built, query, warnings);
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

/** `--then` / `--session`: the first connection and every step, in one world and on one clock. */
function sessionAction(io: CliIo, a: TraceArgs, built: BuiltCluster, query: TraceQuery, warnings: readonly Diagnostic[]): number | Promise<number> {
  if (a.fail.length > 0 || a['fail-link'].length > 0) return usage(io, '--fail and --fail-link show two moments; a session runs in one: drop them or the steps');
  if (wantsDns(built, query, a.dns)) return usage(io, `a session starts with a connection, not a DNS lookup: name ${a.dst}'s address or Service (or add --no-dns)`);
  const read = readSteps(io, a);
  if ('exit' in read) return read.exit;
  const run = runTraceSession(built, query, read.steps);
  if (!('session' in run)) return reportSessionFailure(io, 'trace', run, read.sources);
  if (a.output === 'html') {
    return traceSessionReport(run).then((page) => {
      io.stdout(page);
      return EXIT.OK;
    });
  }
  io.stdout(a.output === 'json' ? traceSessionJson(run, warnings) : traceSessionText(run, chooseStyle(io.isTTY, io.env)));
  return EXIT.OK;
}

/** A DNS name: the lookup, then the connection (the HTML report shows the connection). */
function dnsAction(io: CliIo, a: TraceArgs, built: BuiltCluster, query: TraceQuery, warnings: readonly Diagnostic[]): number | Promise<number> {
  const run = runDnsTrace(built, query);
  if ('problem' in run) return usage(io, run.problem);
  if (a.output === 'html') {
    const connection = run.connection;
    if (connection === undefined) return usage(io, `${a.dst} resolves to no address to connect to: use -o text or -o json to see why`);
    return traceRunReport(built, connection).then((page) => {
      io.stdout(page);
      return EXIT.OK;
    });
  }
  io.stdout(a.output === 'json' ? dnsTraceJson(run, warnings) : dnsTraceText(built, run, chooseStyle(io.isTTY, io.env)));
  return EXIT.OK;
}

/** `--fail`: the same trace at each moment after the failures (while BGP holds the routes, then after it withdrew them). */
function traceWithFailures(io: CliIo, a: TraceArgs, loaded: LoadedCluster, query: TraceQuery): number {
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
