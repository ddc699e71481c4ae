/**
 * `netsim trace --batch FILE` as functions: many flows through one built cluster. Each flow's
 * result is what `netsim trace SRC DST … -o json` prints for it (netsim.trace/v1, with the DNS
 * lookup when the command would make one), as one line of JSON; a flow that cannot be traced is
 * `{"error":{"code","message","at"}}`. Every trace runs in a throwaway overlay of the built
 * world (runTrace), so one flow never sees another's conntrack entries or neighbour cache.
 */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { packetJson } from '../packet/json.js';
import { traceDocument, warningJson } from '../render/trace-json.js';
import { runDnsTrace, wantsDns } from './trace-dns.js';
import { dnsTraceJson } from './trace-dns-render.js';
import { type TraceQuery, type TraceRun, runTrace } from './trace.js';

/** One flow's outcome: its trace, or why there is none. */
export type BatchResult = { readonly line: number; readonly run: TraceRun } | { readonly line: number; readonly error: string };

/**
 * Traces every flow (the library form: queries already made, no DNS lookups); `line` of each
 * result is its index + 1.
 */
export function traceBatch(built: BuiltCluster, flows: readonly TraceQuery[]): BatchResult[] {
  return flows.map((q, i) => {
    const run = runTrace(built, q);
    return 'problem' in run ? { line: i + 1, error: run.problem } : { line: i + 1, run };
  });
}

/**
 * One flow as `netsim trace -o json` prints it, on one line (no newline): the DNS lookup and the
 * connection when `wantsDns` (`dns` is `--dns`/`--no-dns`, undefined when not given), else the
 * trace; or what is wrong with the query.
 */
export function flowJsonLine(built: BuiltCluster, q: TraceQuery, dns: boolean | undefined, warnings: readonly Diagnostic[] = []): { readonly json: string } | { readonly problem: string } {
  if (wantsDns(built, q, dns)) {
    const run = runDnsTrace(built, q);
    return 'problem' in run ? run : { json: JSON.stringify(JSON.parse(dnsTraceJson(run, warnings))) };
  }
  const run = runTrace(built, q);
  if ('problem' in run) return run;
  return { json: JSON.stringify(traceDocument({ src: run.srcLabel, dst: run.dstLabel, packet: packetJson(run.flow.packet) }, run.trips, run.allPaths, warnings)) };
}

/** A line that could not be traced, as its JSON line: `{"error":{"code","message","at":"FILE:LINE:COL"}}`. */
export function batchErrorJson(d: Diagnostic): string {
  return JSON.stringify({ error: warningJson(d) });
}
