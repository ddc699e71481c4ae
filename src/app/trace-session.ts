/**
 * `netsim trace SRC DST --then STEP … | --session FILE` and `netsim show NAME SECTION
 * --after-trace SRC DST …` as functions: the first connection planned as `netsim trace` plans
 * it, the steps run by the pure session runner (trace/session/run.ts) on a seeded chooser and a
 * clock that starts at 0, and the three ways a session is shown. The CLI and the playground both
 * call it.
 */
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { ownerLabel } from '../cluster/assemble/names.js';
import { type Diagnostic, error } from '../diag/diagnostic.js';
import { DEFAULT_MAX_PODS_PER_NODE, clusterDot, dotToSvg } from '../render/dot/index.js';
import { traceReportHtml } from '../render/html/index.js';
import { sessionJson, sessionText, stepBodyText, stepHeading } from '../render/session-text.js';
import type { Style } from '../render/style.js';
import { PLAIN } from '../render/style.js';
import { manualClock } from '../sim/clock.js';
import { rngChooser, seededRng } from '../sim/context.js';
import { type Session, type SessionFlow, type StepRun, runSession } from '../trace/session/run.js';
import type { LocatedStep } from './session-input.js';
import { type ShowChoice, showText } from './show.js';
import { type PlannedQuery, type TraceQuery, addressNamer, planQuery, traceOverlay } from './trace.js';

/** A traced session: the first connection's plan, every step, and the words of the first step. */
export interface TraceSessionRun {
  readonly first: PlannedQuery;
  readonly session: Session;
  /** `trace pod-a service-b`: the first step, as typed. */
  readonly firstText: string;
}

/** A problem: with the position of the step that caused it, when a step did. */
export type SessionFailure = { readonly problem: string } | { readonly diagnostic: Diagnostic };

/** Plans the first connection as `netsim trace` would, then runs the steps. */
export function runTraceSession(asBuilt: BuiltCluster, q: TraceQuery, steps: readonly LocatedStep[]): TraceSessionRun | SessionFailure {
  if (q.allPaths === true) return { problem: '--all-paths follows every backend apart; a session follows the one its seed picks: drop --all-paths (or --then/--session)' };
  const first = planQuery(asBuilt, q);
  if ('problem' in first) return first;
  const start: SessionFlow = { flow: first.flow, srcLabel: first.src.label, dstLabel: first.dst.label, srcName: q.src };
  const plan = (built: BuiltCluster, src: string | undefined, dst: string, last: SessionFlow): SessionFlow | { problem: string } => {
    // A later connection takes DST's own port and protocol, as `netsim trace SRC DST` would.
    const { port: _p, protocol: _q, ...rest } = q;
    const srcName = src ?? last.srcName;
    const p = planQuery(built, { ...rest, src: srcName, dst });
    if ('problem' in p) return p;
    if (p.built !== built) return { problem: `${srcName} is an address outside the cluster: a session's later connections come from pods, nodes, routers or its first client` };
    return { flow: p.flow, srcLabel: p.src.label, dstLabel: p.dst.label, srcName };
  };
  const clock = manualClock(0);
  const session = runSession(first.built, start, steps.map((s) => s.step), { chooser: rngChooser(seededRng(q.seed)), clock, reply: q.reply ?? true, plan });
  if ('problem' in session) {
    const at = steps[session.step]?.pos;
    return at === undefined ? { problem: session.problem } : { diagnostic: error('SESSION_STEP_REFUSED', session.problem, at) };
  }
  return { first, session, firstText: `trace ${q.src} ${q.dst}` };
}

/** Names a namespace for people, as hop labels do. */
function labeller(built: BuiltCluster): (ns: string) => string {
  return (ns) => ownerLabel(built.owners[ns], ns);
}

/** The session as text: every step under its heading. Addresses are named as in the cluster before the session (a deleted pod keeps its name). */
export function traceSessionText(run: TraceSessionRun, style: Style = PLAIN): string {
  return sessionText(run.session.steps, run.firstText, style, addressNamer(run.first.built), labeller(run.first.built));
}

/** The session as JSON: an array of netsim.trace-step/v1 objects. */
export function traceSessionJson(run: TraceSessionRun, warnings: readonly Diagnostic[] = []): string {
  return sessionJson(run.session.steps, run.firstText, warnings);
}

/** The HTML report: the first connection drawn and listed hop by hop, the later steps below it as text. */
export async function traceSessionReport(run: TraceSessionRun, maxPods = DEFAULT_MAX_PODS_PER_NODE): Promise<string> {
  const [opening, ...later] = run.session.steps;
  if (opening?.kind !== 'connect') return '';
  const built = run.first.built;
  const d = run.first.dst;
  const service = d.kind === 'service' ? { namespace: d.service.namespace, name: d.service.name } : undefined;
  const svg = await dotToSvg(clusterDot(built, { maxPodsPerNode: maxPods, overlay: traceOverlay(opening.trip, service) }));
  const names = addressNamer(built);
  const label = labeller(built);
  const text = later.map((r: StepRun, i) => `${stepHeading(i + 2, r, run.firstText)}\n${stepBodyText(r, PLAIN, names, label)}`).join('\n');
  const header = `${stepHeading(1, opening, run.firstText)}: ${opening.conn.srcLabel} → ${opening.conn.dstLabel}`;
  return traceReportHtml({ header, svg, ...opening.trip, ...(later.length > 0 ? { session: text } : {}) });
}

/** `netsim show NAME SECTION --after-trace SRC DST [--then …]`: the namespace as the session left it, at the session's end time. */
export function showAfterTrace(asBuilt: BuiltCluster, name: string, what: ShowChoice, q: TraceQuery, steps: readonly LocatedStep[]): { readonly text: string } | SessionFailure {
  const run = runTraceSession(asBuilt, q, steps);
  if (!('session' in run)) return run;
  return showText({ ...run.session.built, world: run.session.world }, name, what, run.session.now);
}
