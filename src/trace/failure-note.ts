/**
 * Explaining a loss caused by a what-if failure (`--fail node-2`): when the packet was dropped on
 * its way into a dead machine or link (a device down, a neighbour that no longer answers), a
 * `note` after the drop says which failure it was and what BGP knew at that moment.
 */
import { formatIp } from '../addr/ip.js';
import type { AppliedFailures } from '../cluster/assemble/failures.js';
import { failureLabel } from '../cluster/assemble/failures.js';
import type { World } from '../kernel/world.js';
import type { Hop, Step, Trace } from './types.js';

/** The trace with a note after each drop that a failure explains. */
export function noteFailures(trace: Trace, world: World, failures: AppliedFailures | undefined, holdTime: number | undefined): Trace {
  if (failures === undefined) return trace;
  const marks = failures.requests.map((r) => ({ label: failureLabel(r), words: [r.target, ...addressesOf(world, r.target, r.kind === 'link' ? r.dev : undefined)] }));
  return { ...trace, hops: trace.hops.map((h) => noteHop(h, marks, failures, holdTime)) };
}

function addressesOf(world: World, ns: string, dev: string | undefined): string[] {
  return (world.netns[ns]?.addrs ?? []).filter((a) => a.scope === 'global' && (dev === undefined || a.dev === dev)).map((a) => formatIp(a.cidr.addr));
}

function noteHop(hop: Hop, marks: readonly { label: string; words: readonly string[] }[], f: AppliedFailures, holdTime: number | undefined): Hop {
  const steps: Step[] = [];
  for (const s of hop.steps) {
    steps.push(s);
    if (s.type !== 'drop') continue;
    const hit = marks.find((m) => hop.ns === m.words[0] || m.words.some((w) => new RegExp(`(^|[^\\w.:-])${w.replace(/[.]/g, '\\.')}($|[^\\w.:-])`).test(s.detail)));
    if (hit !== undefined) steps.push({ type: 'note', text: failureText(hit.label, f, holdTime) });
  }
  return { ...hop, steps };
}

/** What the note says at each moment. */
export function failureText(label: string, f: AppliedFailures, holdTime: number | undefined): string {
  const when = `${label} failed at t=${f.at}s (--fail${label.includes('/') ? '-link' : ''} ${label}); this is t=${f.now}s`;
  if (f.moment === 'held') {
    const hold = holdTime === undefined ? 'their hold timer' : `their ${holdTime}s hold timer`;
    return `${when}: BGP peers have not noticed yet and keep its routes until ${hold} expires, so traffic is still sent to it and lost`;
  }
  return `${when}: the hold timers have expired and BGP withdrew the routes through it; what still leads here is not BGP's`;
}
