/**
 * A trace drawn over the cluster view: the packet's path as numbered, highlighted edges between
 * the devices it crossed, NAT changes on the edge that leaves the hop where they happened, the
 * Service and the backend it chose, and a mark for the disposition (naming the rule that
 * dropped it). The reply is drawn in a second colour and style.
 *
 * Path edges carry `class="trace-edge hop-f3"` (forward hop 3) or `hop-r2` (reply hop 2) and
 * `constraint=false`, so they do not move the layout and the HTML report can find them.
 */
import type { Step, Trace } from '../../trace/types.js';
import { SUCCESS_DISPOSITIONS } from '../../trace/types.js';
import { type ClusterPicture, anchorOf, ids } from './cluster-model.js';
import { clip, edgeStmt, nodeStmt } from './dot.js';
import { TRACE_COLOURS } from './palette.js';

/** The trace to draw and, when the destination was a Service, which one. */
export interface TraceOverlay {
  readonly forward: Trace;
  readonly reply?: Trace;
  readonly service?: { readonly namespace: string; readonly name: string };
}

/** Pod namespaces the trace crosses: they stay visible when pods collapse. */
export function overlayKeep(o: TraceOverlay): Set<string> {
  return new Set([...o.forward.hops, ...(o.reply?.hops ?? [])].map((h) => h.ns));
}

/** One place on the path: a graph node, the hop it belongs to, and NAT notes picked up there. */
interface Point {
  readonly anchor: string;
  readonly hop: number;
  readonly notes: string[];
}

type Direction = 'f' | 'r';

/** The overlay's statements: path edges, the Service edge, the backend mark and the endings. */
export function overlayLines(pic: ClusterPicture, o: TraceOverlay): string[] {
  const out = directionLines(pic, o.forward, 'f');
  const start = pathPoints(pic, o.forward)[0];
  if (o.service !== undefined && start !== undefined) {
    const svc = ids.service(o.service.namespace, o.service.name);
    out.unshift(edgeStmt(start.anchor, svc, { ...pathStyle('f'), label: 'to the ClusterIP', class: 'trace-edge hop-f1', id: 'trace-f-svc' }));
    const end = lastAnchor(pic, o.forward);
    if (end !== undefined && o.forward.ending.disposition === 'DELIVERED') {
      out.push(edgeStmt(svc, end, { color: TRACE_COLOURS.forward, style: 'bold,dashed', label: 'chosen backend', constraint: 'false', class: 'trace-edge backend' }));
    }
  }
  const end = lastAnchor(pic, o.forward);
  if (end !== undefined && o.forward.ending.disposition === 'DELIVERED') out.push(nodeStmt(end, { penwidth: 3, color: TRACE_COLOURS.forward }));
  if (o.reply !== undefined) out.push(...directionLines(pic, o.reply, 'r'));
  return out;
}

function pathStyle(d: Direction): Record<string, string | number> {
  return d === 'f'
    ? { color: TRACE_COLOURS.forward, fontcolor: TRACE_COLOURS.forward, penwidth: 2.5, constraint: 'false' }
    : { color: TRACE_COLOURS.reply, fontcolor: TRACE_COLOURS.reply, penwidth: 2, style: 'dashed', constraint: 'false' };
}

/** Numbered edges along one direction's path, then its ending. */
function directionLines(pic: ClusterPicture, t: Trace, d: Direction): string[] {
  const points = pathPoints(pic, t);
  const out: string[] = [];
  let n = 0;
  let carried: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1];
    const to = points[i];
    if (from === undefined || to === undefined) continue;
    n++;
    const notes = [...carried, ...from.notes];
    carried = [];
    const label = [`${d === 'r' ? 'r' : ''}${n}`, ...notes].join('\n');
    out.push(edgeStmt(from.anchor, to.anchor, { ...pathStyle(d), label, class: `trace-edge hop-${d}${from.hop}`, id: `trace-${d}-${n}`, tooltip: `${t.hops[from.hop - 1]?.label ?? ''} → ${t.hops[to.hop - 1]?.label ?? ''}` }));
  }
  const last = points[points.length - 1];
  if (last !== undefined) out.push(...endingLines(t, d, last, [...carried, ...last.notes]));
  return out;
}

/** The disposition: a green note when delivered, a red octagon naming the rule when not. */
function endingLines(t: Trace, d: Direction, last: Point, notes: readonly string[]): string[] {
  const ok = SUCCESS_DISPOSITIONS.has(t.ending.disposition);
  const id = `end:${d}`;
  const rule = ok ? undefined : blamedRule(t);
  const label = [`${d === 'r' ? 'reply ' : ''}${t.ending.disposition}`, clip(t.ending.detail, 60), ...(rule !== undefined ? [clip(rule, 70)] : []), ...notes].join('\n');
  const colour = ok ? (d === 'f' ? TRACE_COLOURS.ok : TRACE_COLOURS.reply) : TRACE_COLOURS.drop;
  return [
    nodeStmt(id, { label, shape: ok ? 'note' : 'octagon', style: 'filled', fillcolor: ok ? '#eaf7ea' : '#fde0e0', color: colour, fontcolor: ok ? '#000000' : TRACE_COLOURS.drop, tooltip: rule ?? t.ending.detail, class: `trace-end hop-${d}${last.hop}` }),
    edgeStmt(last.anchor, id, { color: colour, penwidth: 2, constraint: 'false', class: `trace-edge hop-${d}${last.hop}` }),
  ];
}

/** The rule whose verdict ended the trace (DROP/REJECT), or the chain policy that did. */
function blamedRule(t: Trace): string | undefined {
  const steps = t.hops.flatMap((h) => h.steps);
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s?.type === 'netfilter' && (s.verdict === 'DROP' || s.verdict === 'REJECT')) return `${s.table} ${s.chain}: ${s.rule}`;
    if (s?.type === 'policy' && s.policy === 'DROP') return `${s.table} ${s.chain} policy DROP`;
  }
  return undefined;
}

/** The graph nodes a trace visits, in order, without repeats in a row; NAT notes kept with the node where they happened. */
function pathPoints(pic: ClusterPicture, t: Trace): Point[] {
  const points: Point[] = [];
  t.hops.forEach((h, i) => {
    for (const s of h.steps) {
      const dev = stepDevice(s);
      const anchor = dev === undefined ? undefined : anchorOf(pic, h.ns, dev);
      const lastPoint = points[points.length - 1];
      if (anchor !== undefined && (lastPoint === undefined || lastPoint.anchor !== anchor)) points.push({ anchor, hop: i + 1, notes: [] });
      if (s.type === 'nat') points[points.length - 1]?.notes.push(`${s.by} ${s.field} ${s.from} → ${s.to}`);
      // Into and out of a tunnel: the outer header the packet travels in between.
      if (s.type === 'encap' || s.type === 'decap') points[points.length - 1]?.notes.push(clip(`${s.type} ${s.outer}`, 60));
    }
    // A hop whose steps name no device (a drop before routing) still marks where it happened.
    if (!points.some((p) => p.hop === i + 1)) {
      const anchor = anchorOf(pic, h.ns, 'eth0');
      if (anchor !== undefined) points.push({ anchor, hop: i + 1, notes: [] });
    }
  });
  return points;
}

function lastAnchor(pic: ClusterPicture, t: Trace): string | undefined {
  return pathPoints(pic, t).at(-1)?.anchor;
}

/** The device a step happens on, when it names one. */
function stepDevice(s: Step): string | undefined {
  switch (s.type) {
    case 'receive':
    case 'transmit':
    case 'deliver':
    case 'encap':
    case 'decap':
      return s.dev;
    case 'bridge':
      return s.bridge;
    default:
      return undefined;
  }
}
