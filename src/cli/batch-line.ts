/**
 * One line of `netsim trace --batch FILE`, from its text to what the batch writes for it: nothing
 * (a blank or comment line), the flow's JSON line, or the diagnostic of a line that cannot be
 * traced (`CLI_BATCH_BAD_LINE` for words `netsim trace` would refuse, `CLI_BATCH_NO_FLOW` for a
 * flow the cluster cannot make, at the word the problem is about). The same function runs on the
 * main thread (`--jobs 1`) and in each worker (batch-worker.ts), so a line's outcome does not
 * depend on where it was traced. Outcomes are plain data: they cross to the main thread by
 * structured clone.
 */
import { batchErrorJson, flowJsonLine } from '../app/batch.js';
import { type Diagnostic, error } from '../diag/diagnostic.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { type FlowDefaults, type FlowLine, type LinePos, parseFlowLine, problemCol } from './flow-line.js';

/** What a line gives: no flow, the trace's JSON, or why it cannot be traced. */
export type LineOutcome = { readonly empty: true } | { readonly json: string } | { readonly diagnostic: Diagnostic };

/** The scenario a batch traces in, and the command's flow options (every line's defaults). */
export interface BatchContext {
  readonly built: BuiltCluster;
  readonly warnings: readonly Diagnostic[];
  readonly defaults: FlowDefaults;
}

/** Traces line `at.line` of the batch, whose text (with its line ending) is `text`. */
export function batchLineOutcome(ctx: BatchContext, text: string, at: LinePos): LineOutcome {
  const parsed = parseFlowLine(text.replace(/\r$/, ''), at, ctx.defaults);
  if ('empty' in parsed || 'diagnostic' in parsed) return parsed;
  return traced(ctx, parsed, at);
}

/** The JSON line the batch writes for a line that gave no empty outcome. */
export function outcomeJsonLine(o: { readonly json: string } | { readonly diagnostic: Diagnostic }): string {
  return `${'json' in o ? o.json : batchErrorJson(o.diagnostic)}\n`;
}

/** One flow's JSON line, or a `CLI_BATCH_NO_FLOW` diagnostic at the word the problem is about. */
function traced(ctx: BatchContext, f: FlowLine, at: LinePos): { json: string } | { diagnostic: Diagnostic } {
  const r = flowJsonLine(ctx.built, f.query, f.dns, ctx.warnings);
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
