/**
 * `netsim trace --batch FILE|-`: the scenario built once, then every flow of FILE traced in a
 * throwaway overlay of it, one JSON line per flow on stdout, in file order. A line that cannot
 * be traced gives an `{"error":…}` line (with its code and `FILE:LINE:COL`), the batch goes on,
 * its diagnostic is printed on stderr at the end (with the line and a caret), and the exit code
 * is 1. Progress goes to stderr only when stderr is a terminal.
 */
import { batchErrorJson, flowJsonLine } from '../../app/batch.js';
import { type Diagnostic, error } from '../../diag/diagnostic.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { loadClusterWithWarnings } from '../cluster-input.js';
import { readUserInput } from '../files.js';
import { type FlowDefaults, type FlowLine, type LinePos, parseFlowLine, problemCol } from '../flow-line.js';
import { type CliIo, EXIT } from '../io.js';
import { FLOW_OPTION_NAMES, type FlowArgs } from '../trace-flow-options.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';

/** How often the terminal's progress line is redrawn (in flows). */
const PROGRESS_EVERY = 100;

/** The command's arguments `--batch` reads: the file, the scenario, and the flow options as each line's defaults. */
export interface BatchArgs extends FlowArgs {
  readonly batch: string;
  readonly file?: string | string[];
}

/** Runs the batch; returns the exit code (1 when a line could not be traced). */
export function batchAction(io: CliIo, a: BatchArgs): number {
  const input = readUserInput(io, a.batch);
  if ('diagnostic' in input) {
    io.stderr(formatDiagnostics([input.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  const loaded = loadClusterWithWarnings(io, a.file, a.seed);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  const defaults = commandDefaults(a);
  const bad: Diagnostic[] = [];
  const progress = io.stderrIsTTY === true;
  let done = 0;
  const lines = input.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = { file: input.name, line: i + 1 };
    const parsed = parseFlowLine((lines[i] ?? '').replace(/\r$/, ''), at, defaults);
    if ('empty' in parsed) continue;
    const out = 'diagnostic' in parsed ? parsed : traced(loaded.built, parsed, at, loaded.warnings);
    if ('diagnostic' in out) bad.push(out.diagnostic);
    io.stdout(`${'json' in out ? out.json : batchErrorJson(out.diagnostic)}\n`);
    if (progress && ++done % PROGRESS_EVERY === 0) io.stderr(`\r\x1b[Ktraced ${done.toLocaleString('en')} flows`);
  }
  if (progress && done >= PROGRESS_EVERY) io.stderr('\r\x1b[K');
  if (bad.length === 0) return EXIT.OK;
  io.stderr(formatDiagnostics(bad, (f) => (f === input.name ? input.text : undefined)));
  io.stderr(`netsim trace --batch: ${bad.length.toLocaleString('en')} line${bad.length === 1 ? '' : 's'} of ${input.name} could not be traced (their JSON lines are {"error":…})\n`);
  return EXIT.INPUT_ERROR;
}

/** One flow's JSON line, or a `CLI_BATCH_NO_FLOW` diagnostic at the word the problem is about. */
function traced(built: BuiltCluster, f: FlowLine, at: LinePos, warnings: readonly Diagnostic[]): { json: string } | { diagnostic: Diagnostic } {
  const r = flowJsonLine(built, f.query, f.dns, warnings);
  if ('json' in r) return r;
  const colOf = (text: string): number | undefined => f.words.find((w) => w.text === text)?.col;
  const col = r.problem.startsWith('source:') ? colOf(f.query.src) : r.problem.startsWith('destination:') ? colOf(f.query.dst) : problemColOrDst(r.problem, f);
  return { diagnostic: error('CLI_BATCH_NO_FLOW', r.problem, { ...at, col: col ?? 1 }) };
}

/** An option the problem names (`--port`), else a word of the line it quotes (a port name), else DST. */
function problemColOrDst(problem: string, f: FlowLine): number {
  const dst = f.words.find((w) => w.text === f.query.dst);
  if (/--[a-z]/.test(problem)) return problemCol(problem, f.words, f.query.dst);
  const quoted = f.words.find((w) => w !== dst && w.text !== f.query.src && !w.text.startsWith('-') && new RegExp(`(^|[\\s(])${escapeRegExp(w.text)}($|[\\s),:])`).test(problem));
  return (quoted ?? dst)?.col ?? 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The command line's flow options (`netsim trace --batch F --no-reply`): every line's defaults. */
function commandDefaults(a: BatchArgs): FlowDefaults {
  const own = a as unknown as Record<string, unknown>;
  return Object.fromEntries(FLOW_OPTION_NAMES.flatMap((n) => (own[n] === undefined ? [] : [[n, own[n]]])));
}
