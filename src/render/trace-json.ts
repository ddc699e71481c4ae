/** The JSON form of `netsim trace` (schema `netsim.trace/v1`, docs/trace-schema.md). */
import type { RoundTrip } from '../trace/cluster-trace.js';
import type { PacketJson } from '../packet/json.js';

/** Version of the `netsim trace` JSON. */
export const TRACE_SCHEMA = 'netsim.trace/v1';

/** The header of a trace document. */
export interface TraceHeader {
  readonly src: string;
  readonly dst: string;
  readonly packet: PacketJson;
}

/** One round trip, or every path with `--all-paths`. */
export function traceJson(header: TraceHeader, trips: readonly (RoundTrip & { probability?: number })[], allPaths: boolean): string {
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
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
