/**
 * `netsim trace SRC DST` as a function: names resolved in the built cluster, the flow planned,
 * one round trip per seed (or every random outcome), and the three ways it is shown (text,
 * versioned JSON, the HTML report with the picture). The CLI and the playground both call it.
 */
import { formatIp } from '../addr/ip.js';
import { momentHeading } from './failures.js';
import { unknownNameProblem } from './trace-names.js';
import { type Diagnostic, InternalError } from '../diag/diagnostic.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { type Endpoint, addressFamilyOf, resolveEndpoint } from '../cluster/lookup.js';
import type { Family } from '../addr/ip.js';
import { packetJson } from '../packet/json.js';
import { DEFAULT_MAX_PODS_PER_NODE, clusterDot, dotToSvg } from '../render/dot/index.js';
import { traceReportHtml } from '../render/html/index.js';
import { packetText } from '../render/packet-text.js';
import type { Style } from '../render/style.js';
import { traceJson } from '../render/trace-json.js';
import { roundTripText } from '../render/trace-text.js';
import { overlayWorld } from '../kernel/overlay.js';
import { rngChooser, seededRng } from '../sim/context.js';
import { type PlannedFlow, type RoundTrip, type TraceRequest, allRoundTrips, clusterWithClient, planFlow, roundTrip } from '../trace/cluster-trace.js';

/** What to trace: the words a user types after `netsim trace` (port and protocol as planFlow takes them). */
export interface TraceQuery extends Pick<TraceRequest, 'port' | 'protocol' | 'size' | 'df'> {
  readonly src: string;
  readonly dst: string;
  readonly seed: number;
  /** One round trip per random outcome (every backend), each with its probability. */
  readonly allPaths?: boolean;
  /** Trace the answer back too (default true). */
  readonly reply?: boolean;
  /** `--family 4|6`: which address of a dual-stack pod, Service or node to use (default: an address's own family, else the first). */
  readonly family?: Family;
}

/** A Service named as the destination, for the picture's outline of its chosen backend. */
export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
}

/** A traced query: what was sent and every round trip (one unless `allPaths`). */
export interface TraceRun {
  /** `trace pod default/pod-a → service default/service-b: tcp 10.244.0.2:40000 → 10.96.0.2:80` */
  readonly header: string;
  readonly srcLabel: string;
  readonly dstLabel: string;
  readonly flow: PlannedFlow;
  readonly trips: readonly (RoundTrip & { readonly probability?: number })[];
  readonly allPaths: boolean;
  readonly service?: ServiceRef;
}

/**
 * The family of DST when it names something with addresses of one family only (an IPv6-only
 * Service of a dual-stack cluster), so a dual-stack source picks its address of that family.
 * Undefined when DST has its first family's address or does not resolve (the trace says why).
 */
function destinationFamily(built: BuiltCluster, q: TraceQuery): Family | undefined {
  const src = resolveEndpoint(built, q.src);
  const namespace = 'endpoint' in src && src.endpoint.kind === 'pod' ? { namespace: src.endpoint.pod.pod.namespace } : {};
  const dst = resolveEndpoint(built, q.dst, namespace);
  return 'endpoint' in dst && 'endpoint' in src && dst.endpoint.ip.family !== src.endpoint.ip.family ? dst.endpoint.ip.family : undefined;
}

/**
 * Resolves SRC and DST, plans the flow and traces it; or says what is wrong with the query. The
 * family (which address of a dual-stack pod, Service or node) is the one asked for, else that of
 * an address given as DST (else SRC), else the one DST has when it has one family only.
 */
export function runTrace(asBuilt: BuiltCluster, q: TraceQuery): TraceRun | { readonly problem: string } {
  const planned = planQuery(asBuilt, q);
  if ('problem' in planned) return planned;
  const { built, flow, src, dst } = planned;
  const reply = q.reply ?? true;
  const allPaths = q.allPaths ?? false;
  const trips = allPaths
    ? allRoundTrips(built, flow, { reply })
    : [roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(q.seed)), reply })];
  return {
    header: `trace ${src.label} → ${dst.label}: ${packetText(flow.packet)}`,
    srcLabel: src.label,
    dstLabel: dst.label,
    flow,
    trips,
    allPaths,
    ...(dst.kind === 'service' ? { service: { namespace: dst.service.namespace, name: dst.service.name } } : {}),
  };
}

/** A query resolved and planned: the cluster it runs in (with an external client added when SRC is one), the flow, both ends. */
export interface PlannedQuery {
  readonly built: BuiltCluster;
  readonly flow: PlannedFlow;
  readonly src: Endpoint;
  readonly dst: Endpoint;
}

/** Resolves SRC and DST and plans the flow (see {@link runTrace}), or says what is wrong with the query. */
export function planQuery(asBuilt: BuiltCluster, q: TraceQuery): PlannedQuery | { readonly problem: string } {
  // A name that means nothing is reported first, as `netsim trace` does before it builds.
  const unknown = unknownNameProblem(asBuilt.spec, q);
  if (unknown !== undefined) return { problem: unknown };
  const family = q.family ?? addressFamilyOf(q.dst) ?? addressFamilyOf(q.src) ?? destinationFamily(asBuilt, q);
  const fam = family === undefined ? {} : { family };
  const named = resolveEndpoint(asBuilt, q.src, fam);
  if ('problem' in named) return { problem: `source: ${named.problem}` };
  // The destination is named as the source pod's resolver would name it (its namespace first).
  const from = { ...(named.endpoint.kind === 'pod' ? { namespace: named.endpoint.pod.pod.namespace } : {}), ...fam };
  const dst = resolveEndpoint(asBuilt, q.dst, from);
  // An address nobody in the cluster holds is a client outside it (and a declared external host
  // is one as a destination too), added in a copy of the world with the cloud load balancer.
  const client = clusterWithClient(asBuilt, named.endpoint, 'endpoint' in dst ? dst.endpoint : undefined);
  if ('problem' in client) return client;
  const built = client.built;
  const src = { endpoint: client.src };
  if ('problem' in dst) return { problem: `destination: ${dst.problem}` };
  const flow = planFlow(built, {
    src: src.endpoint,
    dst: dst.endpoint,
    reply: q.reply ?? true,
    ...(q.port !== undefined ? { port: q.port } : {}),
    ...(q.protocol !== undefined ? { protocol: q.protocol } : {}),
    ...(q.size !== undefined ? { size: q.size } : {}),
    ...(q.df !== undefined ? { df: q.df } : {}),
  });
  if ('problem' in flow) return flow;
  return { built, flow, src: src.endpoint, dst: dst.endpoint };
}

/** The trace as `netsim trace` prints it: one block per hop, the result, the reply. */
export function traceRunText(built: BuiltCluster, run: TraceRun, style: Style): string {
  const names = addressNamer(built);
  return run.trips.map((t) => roundTripText({ header: run.header, ...t }, style, names)).join('\n');
}

/**
 * The trace as `netsim trace -o json` prints it (netsim.trace/v1), with the warnings loading and
 * building the scenario gave (what the CLI also prints on stderr), so a script reading stdout
 * alone still learns that something in the scenario was skipped.
 */
export function traceRunJson(run: TraceRun, warnings: readonly Diagnostic[] = []): string {
  return traceJson({ src: run.srcLabel, dst: run.dstLabel, packet: packetJson(run.flow.packet) }, run.trips, run.allPaths, warnings);
}

/** The picture's overlay of a round trip: the hops there and back, and the Service asked. */
export function traceOverlay(trip: RoundTrip, service: ServiceRef | undefined): { readonly forward: RoundTrip['forward']; readonly reply?: RoundTrip['forward']; readonly service?: ServiceRef } {
  return { forward: trip.forward, ...(trip.reply !== undefined ? { reply: trip.reply } : {}), ...(service !== undefined ? { service } : {}) };
}

/** The cluster picture with the first round trip drawn over it, as SVG. */
export function traceSvg(built: BuiltCluster, run: TraceRun, maxPods = DEFAULT_MAX_PODS_PER_NODE): Promise<string> {
  const trip = firstTrip(run);
  return dotToSvg(clusterDot(built, { maxPodsPerNode: maxPods, overlay: traceOverlay(trip, run.service) }));
}

/** The self-contained HTML report of the first round trip (`netsim trace … -o html`). */
export async function traceRunReport(built: BuiltCluster, run: TraceRun, maxPods = DEFAULT_MAX_PODS_PER_NODE): Promise<string> {
  return traceReportHtml({ header: run.header, svg: await traceSvg(built, run, maxPods), ...firstTrip(run) });
}

function firstTrip(run: TraceRun): RoundTrip {
  const trip = run.trips[0];
  if (trip === undefined) throw new InternalError('a trace run always has at least one round trip');
  return trip;
}

/** Names pod, Service and node addresses, so NAT lines say which backend was chosen. */
export function addressNamer(built: BuiltCluster): (addr: string) => string | undefined {
  const names = new Map<string, string>();
  for (const n of built.spec.nodes) for (const a of n.internalIPs) names.set(formatIp(a), `node ${n.name}`);
  for (const s of built.spec.services) for (const a of s.clusterIPs) names.set(formatIp(a), `service ${s.namespace}/${s.name}`);
  for (const p of built.pods) if (!p.pod.hostNetwork) for (const a of p.ips) names.set(formatIp(a), `pod ${p.pod.namespace}/${p.pod.name}`);
  return (addr) => names.get(addr);
}

/** `netsim trace --fail …`: each moment's heading, then its trace. */
export function momentsText(runs: readonly { readonly built: BuiltCluster; readonly run: TraceRun }[], style: Style): string {
  return runs.map(({ built, run }) => `${momentHeading(built)}\n\n${traceRunText(built, run, style)}`).join('\n');
}

/** The JSON of `netsim trace --fail … -o json` (netsim.trace-moments/v1): each moment with its netsim.trace/v1 document. */
export function momentsJson(runs: readonly { readonly built: BuiltCluster; readonly run: TraceRun }[], warnings: readonly Diagnostic[] = []): string {
  const failures = runs[0]?.built.failures?.requests.map((r) => (r.kind === 'machine' ? { machine: r.target } : { machine: r.target, dev: r.dev })) ?? [];
  const moments = runs.map(({ built, run }) => ({
    moment: built.failures?.moment ?? 'withdrawn',
    failedAt: built.failures?.at ?? null,
    time: built.failures?.now ?? null,
    bgp: built.bgp !== undefined,
    trace: JSON.parse(traceRunJson(run, warnings)) as unknown,
  }));
  return `${JSON.stringify({ schema: MOMENTS_SCHEMA, failures, moments }, null, 2)}\n`;
}

/** The schema name of {@link momentsJson}'s document. */
export const MOMENTS_SCHEMA = 'netsim.trace-moments/v1';
