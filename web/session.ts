/**
 * What the playground computes from the editor's text and the query: the scenario's problems,
 * the built cluster, the names to pick from, and the trace. It calls the same `app/` functions
 * as the CLI, so a page and `netsim trace` print the same bytes. No DOM here.
 */
import { type TraceRun, runTrace, traceRunText } from '../src/app/trace.js';
import { loadAndBuild } from '../src/app/scenario.js';
import type { BuiltCluster } from '../src/cluster/assemble/cluster.js';
import type { Diagnostic } from '../src/diag/diagnostic.js';
import { PLAIN } from '../src/render/style.js';
import type { PlaygroundState } from './url-state.js';

/** The trace query as the page's fields hold it (text, as typed). */
export type Query = Pick<PlaygroundState, 'src' | 'dst' | 'port' | 'protocol' | 'size' | 'df' | 'seed'>;

/** A scenario text, loaded and built. */
export interface Scenario {
  readonly path: string;
  readonly text: string;
  readonly built: BuiltCluster | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** A traced query: the CLI's text, or the problem `netsim trace` would report. */
export type TraceOutcome = { readonly run: TraceRun; readonly text: string } | { readonly problem: string };

/** Validates and builds `text` as the scenario file `path`. */
export function loadScenarioText(path: string, text: string, seed: number): Scenario {
  const loaded = loadAndBuild([{ path, text }], seed);
  return { path, text, built: loaded.built, diagnostics: loaded.diagnostics };
}

const PROTOCOLS = ['tcp', 'udp', 'sctp', 'icmp'] as const;

/** `netsim trace SRC DST [--port P] [--protocol X] [--size N] [--no-df] --seed N` on a built scenario. */
export function traceQuery(built: BuiltCluster, q: Query): TraceOutcome {
  if (q.src.trim() === '' || q.dst.trim() === '') return { problem: 'name a source and a destination' };
  const protocol = PROTOCOLS.find((p) => p === q.protocol);
  if (q.protocol !== '' && protocol === undefined) return { problem: `--protocol must be one of ${PROTOCOLS.join(', ')}` };
  const port = q.port.trim() === '' ? undefined : /^\d+$/.test(q.port.trim()) ? Number(q.port.trim()) : q.port.trim();
  const size = q.size.trim() === '' ? undefined : Number(q.size.trim());
  if (size !== undefined && !Number.isInteger(size)) return { problem: `--size must be a whole number of bytes, got ${q.size}` };
  const run = runTrace(built, {
    src: q.src.trim(),
    dst: q.dst.trim(),
    seed: q.seed,
    df: q.df,
    ...(port !== undefined ? { port } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    ...(size !== undefined ? { size } : {}),
  });
  if ('problem' in run) return run;
  return { run, text: traceRunText(built, run, PLAIN) };
}

/** Names a user may trace from and to: pods, Services and nodes, as the CLI accepts them. */
export function endpointNames(built: BuiltCluster): { readonly sources: readonly string[]; readonly destinations: readonly string[] } {
  const pods = built.pods.map((p) => (p.pod.namespace === 'default' ? p.pod.name : `${p.pod.namespace}/${p.pod.name}`));
  const nodes = built.spec.nodes.map((n) => n.name);
  const services = built.spec.services.map((s) => (s.namespace === 'default' ? s.name : `${s.name}.${s.namespace}`));
  return { sources: [...pods, ...nodes], destinations: [...services, ...pods, ...nodes] };
}

/** Namespaces `show` can print: nodes, then pods. */
export function showNames(built: BuiltCluster): readonly string[] {
  return [...built.spec.nodes.map((n) => n.name), ...built.pods.map((p) => `${p.pod.namespace}/${p.pod.name}`)];
}
