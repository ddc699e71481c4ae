/**
 * `netsim trace --batch FILE|-`: the scenario built once, then every flow of FILE traced in a
 * throwaway overlay of it, one JSON line per flow on stdout, in file order. A line that cannot
 * be traced gives an `{"error":…}` line (with its code and `FILE:LINE:COL`), the batch goes on,
 * its diagnostic is printed on stderr at the end (with the line and a caret), and the exit code
 * is 1. Progress goes to stderr only when stderr is a terminal. `--jobs N` traces the lines on N
 * worker threads (batch-pool.ts), each of which builds the scenario itself; what is written is
 * the same, byte for byte, whatever N.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../diag/diagnostic.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { type BatchContext, type LineOutcome, batchLineOutcome, outcomeJsonLine } from '../batch-line.js';
import { runBatchPool } from '../batch-pool.js';
import { loadClusterWithWarnings, printLoadDiagnostics } from '../cluster-input.js';
import { readUserInput } from '../files.js';
import { type FlowDefaults, lineWords } from '../flow-line.js';
import { type CliIo, EXIT } from '../io.js';
import { scenarioFiles } from '../scenario-input.js';
import { FLOW_OPTION_NAMES, type FlowArgs } from '../trace-flow-options.js';

/** How often the terminal's progress line is redrawn (in flows). */
const PROGRESS_EVERY = 100;

/** The command's arguments `--batch` reads: the file, the scenario, the jobs, and the flow options as each line's defaults. */
export interface BatchArgs extends FlowArgs {
  readonly batch: string;
  readonly file?: string | string[];
  /** `--jobs`: a whole number from 1, or `auto` (checked by arg-checks.ts checkJobs). */
  readonly jobs?: string;
}

/** Runs the batch; returns (or resolves to, with `--jobs`) the exit code: 1 when a line could not be traced. */
export function batchAction(io: CliIo, a: BatchArgs): number | Promise<number> {
  const input = readUserInput(io, a.batch);
  if ('diagnostic' in input) {
    io.stderr(formatDiagnostics([input.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  const lines = input.text.split('\n');
  const defaults = commandDefaults(a);
  const out = new BatchOutput(io, input);
  const jobs = Math.min(jobCount(a.jobs), lines.filter((l) => lineWords(l).length > 0).length);
  if (jobs > 1 && io.startWorker !== undefined) return inWorkers(io, io.startWorker.bind(io), a, { lines, defaults, out, jobs });
  const loaded = loadClusterWithWarnings(io, a.file, a.seed);
  if (loaded === undefined) return EXIT.INPUT_ERROR;
  const ctx: BatchContext = { built: loaded.built, warnings: loaded.warnings, defaults };
  for (let i = 0; i < lines.length; i++) out.line(batchLineOutcome(ctx, lines[i] ?? '', { file: input.name, line: i + 1 }));
  return out.end();
}

/** `--jobs N` (N > 1): the scenario's files are read here, and built and traced in the workers. */
function inWorkers(io: CliIo, start: (job: unknown) => Worker, a: BatchArgs, b: { lines: string[]; defaults: FlowDefaults; out: BatchOutput; jobs: number }): number | Promise<number> {
  const read = scenarioFiles(io, a.file);
  if ('diagnostic' in read) {
    io.stderr(formatDiagnostics([read.diagnostic]));
    return EXIT.INPUT_ERROR;
  }
  const job = { files: read.files, seed: a.seed, defaults: b.defaults, name: b.out.name };
  const hooks = { loaded: (d: readonly Diagnostic[]) => printLoadDiagnostics(io, read.files, d), line: (o: LineOutcome) => b.out.line(o) };
  return runBatchPool(start, job, b.lines, b.jobs, hooks).then((ok) => (ok ? b.out.end() : EXIT.INPUT_ERROR));
}

/** `--jobs`: absent is 1; `auto` is one job per core (os.availableParallelism()). */
export function jobCount(jobs: string | undefined): number {
  if (jobs === undefined) return 1;
  return jobs === 'auto' ? availableParallelism() : Number(jobs);
}

/** What the batch writes: a JSON line per flow, the terminal's progress, and the lines that could not be traced. */
class BatchOutput {
  private readonly bad: Diagnostic[] = [];
  private done = 0;
  private readonly progress: boolean;
  readonly name: string;

  constructor(
    private readonly io: CliIo,
    private readonly input: { readonly text: string; readonly name: string },
  ) {
    this.progress = io.stderrIsTTY === true;
    this.name = input.name;
  }

  /** The next line's outcome (lines come in file order). */
  line(o: LineOutcome): void {
    if ('empty' in o) return;
    if ('diagnostic' in o) this.bad.push(o.diagnostic);
    this.io.stdout(outcomeJsonLine(o));
    if (this.progress && ++this.done % PROGRESS_EVERY === 0) this.io.stderr(`\r\x1b[Ktraced ${this.done.toLocaleString('en')} flows`);
  }

  /** Clears the progress line, prints the diagnostics of the lines not traced; the exit code. */
  end(): number {
    const { io, bad, input } = this;
    if (this.progress && this.done >= PROGRESS_EVERY) io.stderr('\r\x1b[K');
    if (bad.length === 0) return EXIT.OK;
    io.stderr(formatDiagnostics(bad, (f) => (f === input.name ? input.text : undefined)));
    io.stderr(`netsim trace --batch: ${bad.length.toLocaleString('en')} line${bad.length === 1 ? '' : 's'} of ${input.name} could not be traced (their JSON lines are {"error":…})\n`);
    return EXIT.INPUT_ERROR;
  }
}

/** The command line's flow options (`netsim trace --batch F --no-reply`): every line's defaults. */
function commandDefaults(a: BatchArgs): FlowDefaults {
  const own = a as unknown as Record<string, unknown>;
  return Object.fromEntries(FLOW_OPTION_NAMES.flatMap((n) => (own[n] === undefined ? [] : [[n, own[n]]])));
}
