/**
 * `netsim bgp timeline`: the BGP simulation's events in simulated time, one line each, as text
 * (aligned columns: time, speaker, kind, protocol or prefix, what happened) or JSON.
 *
 * Text groups events into bursts: a blank line wherever a second or more of simulated time
 * passes with nothing happening (BIRD's connect delay, a hold timer running down), so the
 * phases of a run (sessions opening, routes flowing, a failure, the withdrawal) read apart.
 * Times are seconds from the start of the simulation (bird-time.ts gives the same moments as
 * BIRD's `since` column).
 */
import { canonicalCidr, formatCidr } from '../addr/cidr.js';
import type { BgpEvent, BgpResult } from '../bgp/types.js';

/** A pause of at least this much simulated time starts a new group. */
const GROUP_GAP = 1;

/** `12.345s`: simulated seconds with millisecond precision. */
export function timelineTime(t: number): string {
  return `${t.toFixed(3)}s`;
}

/** The protocol (or prefix) column. */
function subject(e: BgpEvent): string {
  return e.protocol ?? (e.prefix !== undefined ? formatCidr(canonicalCidr(e.prefix)) : '-');
}

/**
 * What happened, in words: a session's transition followed by the event's text (BIRD's log
 * words), else the text; without the `Mesh_…: ` or `Mesh_… > ` that BIRD's log lines open with
 * when the column before already names it.
 */
function what(e: BgpEvent, subj: string): string {
  const text = e.text.startsWith(`${subj}: `) || e.text.startsWith(`${subj} > `) ? e.text.slice(subj.length + 2).trimStart() : e.text;
  if (e.kind !== 'session' || e.to === undefined) return text;
  const move = `${e.from ?? '?'} → ${e.to}`;
  return text === '' || text === e.to ? move : `${move}  (${text})`;
}

/** The timeline as text: a heading, the events in groups, and when the run converged. */
export function bgpTimelineText(result: BgpResult): string {
  const speakers = Object.keys(result.speakers).length;
  const head = `BGP timeline: ${speakers} speaker${speakers === 1 ? '' : 's'}, ${result.events.length} event${result.events.length === 1 ? '' : 's'}\n`;
  const rows = result.events.map((e) => {
    const subj = subject(e);
    return [timelineTime(e.time), e.speaker, e.kind, subj, what(e, subj)] as const;
  });
  // A loop, not Math.max(...rows): a large run has more events than a call has arguments.
  const widths = [0, 0, 0, 0];
  for (const r of rows) for (let i = 0; i < 4; i++) widths[i] = Math.max(widths[i] ?? 0, r[i]?.length ?? 0);
  const lines: string[] = [];
  result.events.forEach((e, i) => {
    const prev = result.events[i - 1];
    if (prev !== undefined && e.time - prev.time >= GROUP_GAP) lines.push('');
    const r = rows[i];
    if (r === undefined) return;
    lines.push(`  ${r[0].padStart(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2].padEnd(widths[2] ?? 0)}  ${r[3].padEnd(widths[3] ?? 0)}  ${r[4]}`);
  });
  const body = lines.length === 0 ? '  (no events recorded)\n' : `${lines.map((l) => `${l}\n`).join('')}`;
  const tail = `converged at ${timelineTime(result.convergedAt)} (the last route change); the simulation stopped at ${timelineTime(result.time)}\n`;
  return `${head}\n${body}\n${tail}`;
}

/** One event as JSON: addresses as text. */
export interface BgpEventJson {
  readonly time: number;
  readonly speaker: string;
  readonly kind: BgpEvent['kind'];
  readonly protocol?: string;
  readonly from?: string;
  readonly to?: string;
  readonly prefix?: string;
  readonly text: string;
}

/** The timeline as JSON. */
export interface BgpTimelineJson {
  readonly time: number;
  readonly convergedAt: number;
  readonly events: readonly BgpEventJson[];
}

/** The JSON value of the timeline (`-o json`). */
export function bgpTimelineJson(result: BgpResult): BgpTimelineJson {
  return {
    time: result.time,
    convergedAt: result.convergedAt,
    events: result.events.map((e) => ({
      time: e.time,
      speaker: e.speaker,
      kind: e.kind,
      ...(e.protocol !== undefined ? { protocol: e.protocol } : {}),
      ...(e.from !== undefined ? { from: e.from } : {}),
      ...(e.to !== undefined ? { to: e.to } : {}),
      ...(e.prefix !== undefined ? { prefix: formatCidr(canonicalCidr(e.prefix)) } : {}),
      text: e.text,
    })),
  };
}
