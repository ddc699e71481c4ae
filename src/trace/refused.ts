/**
 * Explaining a route that is not there. A cross-node pod route whose next hop is behind a router
 * is refused by the kernel when the cluster is built (see cluster/assemble/routes.ts), so a
 * trace only shows the route that matched instead, usually the default one. This adds a `note`
 * step after each such routing decision, naming the refused command and the kernel's answer.
 */
import { cidrContains, formatCidr } from '../addr/cidr.js';
import { formatIp, parseIp } from '../addr/ip.js';
import type { RefusedRoute } from '../cluster/assemble/routes.js';
import type { Hop, Step, Trace } from './types.js';

/** The trace with a note after every route lookup a refused route would have answered. */
export function noteRefusedRoutes(trace: Trace, refused: readonly RefusedRoute[]): Trace {
  if (refused.length === 0) return trace;
  return { ...trace, hops: trace.hops.map((h) => noteHop(h, refused.filter((r) => r.ns === h.ns))) };
}

function noteHop(hop: Hop, refused: readonly RefusedRoute[]): Hop {
  if (refused.length === 0) return hop;
  const steps: Step[] = [];
  for (const s of hop.steps) {
    steps.push(s);
    // After the route that matched instead, or the drop when none did (a network without a router).
    const text = s.type === 'route' && s.result !== 'local' ? s.dst : s.type === 'drop' && s.reason === 'NO_ROUTE' ? /no route to (\S+)/.exec(s.detail)?.[1] : undefined;
    const dst = text === undefined ? undefined : parseIp(text);
    const r = dst === undefined ? undefined : refused.find((x) => cidrContains(x.dst, dst));
    if (r !== undefined) steps.push({ type: 'note', text: refusedText(r, s.type === 'route' ? 'so the route above carries it' : 'and no other route matches') });
  }
  return { ...hop, steps };
}

/** What the note says: the command, the kernel's answer, and its consequence. */
export function refusedText(r: RefusedRoute, consequence: string): string {
  return `no ${formatCidr(r.dst)} via ${formatIp(r.via)}: \`${r.command}\` was refused (${r.answer}); ${formatIp(r.via)} is not on ${r.dev}'s network, ${consequence}`;
}

/**
 * A packet for the pod network that left through an exit (the first router's uplink) never
 * reaches its pod: routers know the underlay's networks, not the pods'. When `inCluster` says
 * the destination is a cluster address, a note at the last hop says so.
 */
export function noteLeavingCluster(trace: Trace, inCluster: (dst: string) => string | undefined): Trace {
  if (trace.ending.disposition !== 'EXITS_NETWORK') return trace;
  const what = inCluster(trace.ending.packet.dst);
  const last = trace.hops[trace.hops.length - 1];
  if (what === undefined || last === undefined) return trace;
  const text = `${trace.ending.packet.dst} is ${what}, but this router has no route for the pod network: the packet leaves the cluster by the default route and never reaches it`;
  return { ...trace, hops: [...trace.hops.slice(0, -1), { ...last, steps: [...last.steps, { type: 'note', text }] }] };
}
