/**
 * `netsim diagram`: Graphviz pictures of a scenario (the cluster, one node, one node's iptables
 * chains, the BGP sessions, a trace over the cluster) as DOT, SVG (Graphviz-wasm, in-process), an HTML report, or
 * PNG/PDF through a system `dot` binary when one is installed.
 */
import type { Argv } from 'yargs';
import { bgpDiagram } from '../../app/bgp.js';
import { type TraceRun, runTrace, traceOverlay, traceRunReport } from '../../app/trace.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { assertNever } from '../../diag/diagnostic.js';
import { DEFAULT_MAX_PODS_PER_NODE, chainsDot, clusterDot, dotToSvg, nodeDot } from '../../render/dot/index.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { type Argv as ArgValues, addrPortOf, checkSeed, isPort, portProblem } from '../arg-checks.js';
import { loadCluster } from '../cluster-input.js';
import { writeUserFile } from '../files.js';
import { FILE_OPTION } from '../file-option.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

const FORMATS = ['svg', 'dot', 'html', 'png', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

interface DiagramArgs {
  file?: string | string[];
  output?: string | undefined;
  out?: string;
  format?: Format;
  view?: string[];
  trace?: string[];
  port?: string;
  seed: number;
  'max-pods-per-node': number;
}

/** `netsim diagram` */
export const diagramCommand: CliCommand = {
  register(parser: Argv, io: CliIo, setAction: (a: Action) => void): Argv {
    return parser.command(
      'diagram',
      'Draw the cluster, a node, its iptables chains or a trace with Graphviz (DOT, SVG, HTML, PNG/PDF)',
      (y) =>
        y
          .option('file', FILE_OPTION)
          .option('output', { alias: 'o', type: 'string', describe: 'format: svg (default), dot, html (a trace report), png or pdf (need Graphviz installed). -o FILE, the old spelling, still writes FILE (deprecated: use --out)' })
          .option('out', { type: 'string', describe: 'write to FILE instead of stdout (its extension picks the format unless -o is given)' })
          .option('format', { type: 'string', choices: FORMATS, hidden: true, describe: 'the old name of -o FORMAT' })
          .option('view', { type: 'array', string: true, describe: 'cluster (default) | node NAME | chains NODE | bgp' })
          .option('trace', { type: 'array', string: true, describe: 'SRC DST: draw a trace over the cluster view' })
          .option('port', { type: 'string', describe: 'destination port of --trace (number or Service port name)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed for random choices (which backend a Service picks)' })
          .option('max-pods-per-node', { type: 'number', default: DEFAULT_MAX_PODS_PER_NODE, describe: 'pods drawn per node; the rest collapse into "+N more pods"' })
          .check(checkDiagramArgs)
          .example('$0 diagram --out cluster.svg', 'the built-in cluster as SVG')
          .example('$0 diagram --view node node-1 -o dot', "node-1's namespaces, interfaces and routes as DOT")
          .example('$0 diagram --view chains node-1 --out chains.svg', "node-1's iptables jump graph")
          .example('$0 diagram --view bgp -f scenarios/calico-bgp-rr.yaml --out bgp.svg', 'BGP speakers and sessions, coloured by state')
          .example('$0 diagram --trace pod-a service-b --out trace.html', 'a trace over the cluster, as an HTML report'),
      (argv) => setAction(() => diagramAction(io, withOldOutput(io, argv as unknown as DiagramArgs))),
    );
  },
};

/** --port and the IP:PORT of --trace are ports 1–65535; the seed a whole number. */
function checkDiagramArgs(argv: ArgValues): true | string {
  const port = argv['port'];
  if (typeof port === 'string' && portProblem(port) !== undefined) return `--port ${portProblem(port)}`;
  const trace = argv['trace'];
  const dst = Array.isArray(trace) && typeof trace[1] === 'string' ? trace[1] : undefined;
  const dstPort = dst === undefined ? undefined : addrPortOf(dst);
  if (dstPort !== undefined && !isPort(Number(dstPort))) return `${dst}: port ${dstPort} is not a port: ports are 1–65535`;
  return checkSeed(argv);
}

/**
 * `-o` used to name the output file; it now names the format, as for every other command. A value
 * that is no format name can only be a file: it is written as before, with a note on stderr.
 */
function withOldOutput(io: CliIo, a: DiagramArgs): DiagramArgs {
  const o = a.output;
  if (o === undefined) return a;
  const format = FORMATS.find((f) => f === o);
  if (format !== undefined) return { ...a, format, output: a.out };
  if (a.out !== undefined) return { ...a, output: a.out };
  io.stderr(`netsim diagram: -o ${o}: -o FILE is deprecated; -o names the format (${FORMATS.join(', ')}) and --out the file: use --out ${o}\n`);
  return a;
}

async function diagramAction(io: CliIo, given: DiagramArgs): Promise<number> {
  const a = given.output === undefined && given.out !== undefined ? { ...given, output: given.out } : given;
  const format = a.format ?? formatOf(a.output) ?? 'svg';
  const view = a.view ?? ['cluster'];
  if (a.trace !== undefined && a.trace.length !== 2) return usage(io, '--trace takes two arguments: SRC DST');
  if (a['max-pods-per-node'] < 1 || !Number.isInteger(a['max-pods-per-node'])) return usage(io, '--max-pods-per-node must be a whole number of at least 1');
  if (format === 'html' && a.trace === undefined) return usage(io, '--format html is a trace report: add --trace SRC DST');
  const built = loadCluster(io, a.file, a.seed);
  if (built === undefined) return EXIT.INPUT_ERROR;
  const port = a.port === undefined ? undefined : /^\d+$/.test(a.port) ? Number(a.port) : a.port;
  const traced = a.trace === undefined ? undefined : runTrace(built, { src: a.trace[0] ?? '', dst: a.trace[1] ?? '', seed: a.seed, ...(port !== undefined ? { port } : {}) });
  if (traced !== undefined && 'problem' in traced) return usage(io, traced.problem);
  const dot = viewDot(built, view, a['max-pods-per-node'], traced);
  if ('problem' in dot) return usage(io, dot.problem);
  if (format === 'html' && traced !== undefined) return emit(io, a.output, await traceRunReport(built, traced, a['max-pods-per-node']));
  return render(io, format, dot.dot, a.output);
}

/** DOT for the chosen view. */
function viewDot(built: BuiltCluster, view: readonly string[], maxPods: number, traced: TraceRun | undefined): { dot: string } | { problem: string } {
  const [kind, name, ...extra] = view;
  if (extra.length > 0) return { problem: `--view takes at most two words, got: ${view.join(' ')}` };
  if (traced !== undefined && kind !== 'cluster') return { problem: '--trace draws over the cluster view only' };
  if (kind === 'cluster' && name === undefined) return { dot: clusterDot(built, { maxPodsPerNode: maxPods, ...(traced?.trips[0] !== undefined ? { overlay: traceOverlay(traced.trips[0], traced.service) } : {}) }) };
  if (kind === 'node' && name !== undefined) return nodeDot(built, name, { maxPods });
  if (kind === 'chains' && name !== undefined) return chainsDot(built, name);
  if (kind === 'bgp' && name === undefined) return bgpDiagram(built);
  return { problem: `--view must be cluster, node NAME, chains NODE or bgp; got: ${view.join(' ')}` };
}

/** DOT → the requested format, written out. */
async function render(io: CliIo, format: Format, dot: string, output: string | undefined): Promise<number> {
  switch (format) {
    case 'dot':
      return emit(io, output, dot);
    case 'svg':
    case 'html':
      return emit(io, output, await dotToSvg(dot));
    case 'png':
    case 'pdf':
      return await systemDot(io, format, dot, output);
    default:
      return assertNever(format, 'format');
  }
}

/** PNG and PDF need Graphviz's own `dot` (the wasm build has no cairo); say so when it is missing. */
async function systemDot(io: CliIo, format: 'png' | 'pdf', dot: string, output: string | undefined): Promise<number> {
  if (output === undefined) return usage(io, `--format ${format} is binary: write it to a file with --out FILE`);
  // Loaded here: child_process (with net, dgram and streams) costs every other run a few ms.
  const { spawnSync } = await import('node:child_process');
  const probe = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return usage(io, `--format ${format} needs Graphviz's dot program, which is not installed (apt-get install graphviz); svg, dot and html work without it`);
  }
  const run = spawnSync('dot', [`-T${format}`], { input: dot, maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    io.stderr(`netsim diagram: dot -T${format} failed: ${run.stderr.toString('utf8').trim()}\n`);
    return EXIT.INPUT_ERROR;
  }
  return emit(io, output, new Uint8Array(run.stdout));
}

function emit(io: CliIo, output: string | undefined, data: string | Uint8Array): number {
  if (output === undefined || output === '-') {
    io.stdout(typeof data === 'string' ? data : new TextDecoder().decode(data));
    return EXIT.OK;
  }
  const failed = writeUserFile(io, output, data);
  if (failed === undefined) return EXIT.OK;
  io.stderr(formatDiagnostics([failed]));
  return EXIT.INPUT_ERROR;
}

/** The format an output file's extension names, if any. */
function formatOf(output: string | undefined): Format | undefined {
  const ext = output?.match(/\.([a-z]+)$/i)?.[1]?.toLowerCase();
  return FORMATS.find((f) => f === ext) ?? (ext === 'gv' ? 'dot' : ext === 'htm' ? 'html' : undefined);
}

function usage(io: CliIo, message: string): number {
  io.stderr(`netsim diagram: ${message}\nRun 'netsim diagram --help' for usage.\n`);
  return EXIT.USAGE;
}
