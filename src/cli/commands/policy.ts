/**
 * `netsim policy matrix`: every pod to every pod, each cell traced through the datapath and
 * checked against the NetworkPolicy evaluator; `netsim policy explain SRC DST`: one
 * connection's policies, verdict and the smallest change that would allow it.
 */
import type { Argv as Yargs } from 'yargs';
import { explainPolicy, policyMatrixHtml, policyMatrixJson, policyMatrixText, runPolicyMatrix } from '../../app/matrix/index.js';
import type { PolicyProtocol } from '../../policy/index.js';
import { type Argv, portProblem } from '../arg-checks.js';
import { loadClusterWithWarnings } from '../cluster-input.js';
import { FILE_OPTION } from '../file-option.js';
import { OUT_OPTION } from '../out-file.js';
import { type CliIo, EXIT } from '../io.js';
import type { Action, CliCommand } from '../command.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const OUTPUTS = ['text', 'json', 'html'] as const;

interface MatrixArgs {
  file?: string | string[];
  port: string;
  protocol: PolicyProtocol;
  namespace: string[];
  output: (typeof OUTPUTS)[number];
}

interface ExplainArgs {
  src: string;
  dst: string;
  file?: string | string[];
  port: string;
  protocol: PolicyProtocol;
}

/** `netsim policy` */
export const policyCommand: CliCommand = {
  register(parser: Yargs, io: CliIo, setAction: (a: Action) => void): Yargs {
    return parser.command('policy <command>', 'NetworkPolicy: the reachability matrix through the datapath, and why one connection is allowed or denied', (y) =>
      y
        .command(
          'matrix',
          'Every pod to every pod on one port: each cell traced through the datapath and checked against the NetworkPolicy evaluator',
          (t) =>
            t
              .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
              .option('port', { type: 'string', default: '80', describe: 'destination port (the pod\'s, after DNAT)' })
              .option('protocol', { type: 'string', choices: PROTOCOLS, default: 'TCP', coerce: upper, describe: 'protocol' })
              .option('namespace', { alias: 'n', type: 'string', array: true, default: [], describe: 'only pods of this namespace (repeatable; default: every namespace)' })
              .option('output', { alias: 'o', type: 'string', choices: OUTPUTS, default: 'text', describe: 'text: the e2e truth table; json: every cell with its disposition and policy; html: a grid whose cells open their traces' })
              .check(checkPort)
              .example('$0 policy matrix -f scenarios/netpol-default-deny.yaml', 'the truth table on TCP 80')
              .example('$0 policy matrix --port 53 --protocol UDP -n x -n y -o json', 'UDP 53 between the pods of x and y, as JSON')
              .example('$0 policy matrix -o html > matrix.html', 'a grid to click through'),
          (argv) => setAction(() => matrixAction(io, argv as unknown as MatrixArgs)),
        )
        .command(
          'explain <src> <dst>',
          'The policies selecting either end, the verdict, and the smallest change that would allow a denied connection',
          (t) =>
            t
              .positional('src', { type: 'string', demandOption: true, describe: 'source pod (name or namespace/name) or address' })
              .positional('dst', { type: 'string', demandOption: true, describe: 'destination pod or address' })
              .option('file', FILE_OPTION)
          .option('out', OUT_OPTION)
              .option('port', { type: 'string', default: '80', describe: 'destination port (the pod\'s, after DNAT)' })
              .option('protocol', { type: 'string', choices: PROTOCOLS, default: 'TCP', coerce: upper, describe: 'protocol' })
              .check(checkPort)
              .example('$0 policy explain x/a y/b --port 80', 'why x/a can or cannot reach y/b on TCP 80'),
          (argv) => setAction(() => explainAction(io, argv as unknown as ExplainArgs)),
        )
        .demandCommand(1, 'Name a policy command: matrix or explain.'),
    );
  },
};

function upper(v: unknown): unknown {
  return typeof v === 'string' ? v.toUpperCase() : v;
}

function checkPort(argv: Argv): true | string {
  const port = argv['port'];
  if (typeof port !== 'string' || !/^\d+$/.test(port)) return `--port must be a port number 1–65535, got ${String(port)}`;
  const problem = portProblem(port);
  return problem === undefined ? true : `--port ${problem}`;
}

function matrixAction(io: CliIo, a: MatrixArgs): number {
  const loaded = loadClusterWithWarnings(io, a.file);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  const progress = io.stderrIsTTY === true ? progressLine(io) : undefined;
  const run = runPolicyMatrix(loaded.built, { protocol: a.protocol, port: Number(a.port), namespaces: a.namespace }, progress === undefined ? {} : { progress });
  if (progress !== undefined) io.stderr('\r\x1b[K');
  if ('problem' in run) return usage(io, 'matrix', run.problem);
  io.stdout(a.output === 'json' ? policyMatrixJson(run, loaded.warnings) : a.output === 'html' ? policyMatrixHtml(run, loaded.warnings) : policyMatrixText(run));
  if (run.disagreements.length === 0) return EXIT.OK;
  const n = run.disagreements.length;
  io.stderr(`netsim policy matrix: internal inconsistency: the datapath and the NetworkPolicy evaluator disagree on ${n} cell${n === 1 ? '' : 's'} (enforcer ${run.enforcer})${a.output === 'text' ? '' : `; first: ${run.disagreements[0]?.from} → ${run.disagreements[0]?.to}`}\n`);
  return EXIT.INCONSISTENT;
}

/** `traced 120/2,400 pairs` on one line of a terminal, at most every 50 traces. */
function progressLine(io: CliIo): (done: number, total: number) => void {
  return (done, total) => {
    if (done % 50 === 0 || done === total) io.stderr(`\r\x1b[Ktraced ${done.toLocaleString('en')}/${total.toLocaleString('en')} pod pairs`);
  };
}

function explainAction(io: CliIo, a: ExplainArgs): number {
  const loaded = loadClusterWithWarnings(io, a.file);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  const r = explainPolicy(loaded.built, { src: a.src, dst: a.dst, protocol: a.protocol, port: Number(a.port) });
  if ('problem' in r) return usage(io, 'explain', r.problem);
  io.stdout(r.text);
  return EXIT.OK;
}

function usage(io: CliIo, sub: string, message: string): number {
  io.stderr(`netsim policy ${sub}: ${message}\nRun 'netsim policy ${sub} --help' for usage.\n`);
  return EXIT.USAGE;
}
