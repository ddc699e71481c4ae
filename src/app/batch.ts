/**
 * `netsim trace --batch FILE` as a function: many flows through one built cluster, each result a
 * JSON object (one line of output): `{"line":N,"trace":{netsim.trace/v1}}`, or
 * `{"line":N,"error":"…"}` for a line that cannot be traced (a bad option, a name nothing holds).
 * Lines are numbered from 1, blank and comment lines included, so an error points into the file.
 */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { packetJson } from '../packet/json.js';
import { traceDocument } from '../render/trace-json.js';
import { parseBatchLine } from './batch-line.js';
import { type TraceQuery, type TraceRun, runTrace } from './trace.js';

export { parseBatchLine, type BatchLine } from './batch-line.js';

/** One flow's outcome: its trace, or why there is none. */
export type BatchResult = { readonly line: number; readonly run: TraceRun } | { readonly line: number; readonly error: string };

/**
 * Traces every flow (the library form: queries already made); `line` of each result is its
 * index + 1. Each trace starts from the built cluster, so one flow never sees another's
 * conntrack entries.
 */
export function traceBatch(built: BuiltCluster, flows: readonly TraceQuery[]): BatchResult[] {
  return flows.map((q, i) => traceOne(built, q, i + 1));
}

function traceOne(built: BuiltCluster, q: TraceQuery, line: number): BatchResult {
  const run = runTrace(built, q);
  return 'problem' in run ? { line, error: run.problem } : { line, run };
}

/** The flows of a batch file, each with its line number, or the line's problem. */
export function* batchResults(built: BuiltCluster, text: string, seed: number): Generator<BatchResult> {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseBatchLine(lines[i] ?? '', seed);
    if ('empty' in parsed) continue;
    yield 'problem' in parsed ? { line: i + 1, error: parsed.problem } : traceOne(built, parsed.query, i + 1);
  }
}

/** A result as one line of JSON (no newline). */
export function batchResultJson(r: BatchResult): string {
  if ('error' in r) return JSON.stringify({ line: r.line, error: r.error });
  const { run } = r;
  return JSON.stringify({ line: r.line, trace: traceDocument({ src: run.srcLabel, dst: run.dstLabel, packet: packetJson(run.flow.packet) }, run.trips, run.allPaths) });
}
