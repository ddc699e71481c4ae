/** The JSON form of `netsim trace` (schema `netsim.trace/v1`, docs/trace-schema.md). */
import type { RoundTrip } from '../trace/cluster-trace.js';
import type { PacketJson } from '../packet/json.js';
import type { Diagnostic } from '../diag/diagnostic.js';

/** A warning as the JSON carries it: code, message and, when known, `file:line:col`. */
export function warningJson(d: Diagnostic): { code: string; message: string; at?: string } {
  const at = d.pos === undefined ? undefined : [d.pos.file, d.pos.line, d.pos.col].filter((x) => x !== undefined).join(':');
  return { code: d.code, message: d.message, ...(at !== undefined ? { at } : {}) };
}

/** Version of the `netsim trace` JSON. */
export const TRACE_SCHEMA = 'netsim.trace/v1';

/** The header of a trace document. */
export interface TraceHeader {
  readonly src: string;
  readonly dst: string;
  readonly packet: PacketJson;
}

/** One round trip, or every path with `--all-paths`. */
export function traceJson(header: TraceHeader, trips: readonly (RoundTrip & { probability?: number })[], allPaths: boolean, warnings: readonly Diagnostic[] = []): string {
  return `${JSON.stringify(traceDocument(header, trips, allPaths, warnings), null, 2)}\n`;
}

/** The netsim.trace/v1 document as a value (`netsim trace --batch` writes it on one line). */
export function traceDocument(header: TraceHeader, trips: readonly (RoundTrip & { probability?: number })[], allPaths: boolean, warnings: readonly Diagnostic[] = []): object {
  const first = trips[0];
  const one = (t: RoundTrip & { probability?: number }) => ({
    ...(t.probability !== undefined ? { probability: t.probability } : {}),
    disposition: t.forward.ending.disposition,
    forward: t.forward,
    ...(t.reply !== undefined ? { reply: t.reply } : {}),
  });
  const doc = {
    schema: TRACE_SCHEMA,
    flow: header,
    ...(first !== undefined ? one(first) : {}),
    ...(allPaths ? { paths: trips.map(one) } : {}),
    ...(warnings.length > 0 ? { warnings: warnings.map(warningJson) } : {}),
  };
  return doc;
}
