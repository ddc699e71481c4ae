/**
 * The timeline (`netsim bgp timeline`): events with BIRD's log wording where BIRD has one
 * (`debug { states, routes, events }` lines). Nothing is allocated when recording is off.
 */
import { formatCidr, formatIp } from '../addr/index.js';
import type { BgpEvent, SessionState } from './types.js';
import { type Attrs, type LocalRoute, type Session, type Sim, type Speaker, seconds } from './state.js';

/** Records one event at the current time (no-op when recording is off). */
export function record(sim: Sim, speaker: Speaker, kind: BgpEvent['kind'], text: string, extra: Partial<Pick<BgpEvent, 'protocol' | 'from' | 'to' | 'prefix'>> = {}): void {
  if (!sim.record) return;
  sim.events.push({ time: seconds(sim.now), speaker: speaker.cfg.name, kind, ...extra, text });
}

/** A session's FSM moved (`Mesh_192_168_1_12: Connecting to …`). */
export function recordSession(sim: Sim, s: Session, from: SessionState, to: SessionState, text: string): void {
  if (!sim.record) return;
  record(sim, s.speaker, 'session', `${s.cfg.protocol}: ${text}`, { protocol: s.cfg.protocol, from, to });
}

/** The name of a candidate's protocol. */
export function protocolOf(c: Session | LocalRoute): string {
  return c.kind === 'local' ? c.protocol : c.cfg.protocol;
}

/** BIRD's route trace: `Mesh_192_168_1_12 > added 10.244.1.0/26 via 192.168.1.12`. */
export function recordRoute(sim: Sim, sp: Speaker, kind: 'route-add' | 'route-withdraw' | 'route-stale', c: Session | LocalRoute, attrs: Attrs, replaced = false): void {
  if (!sim.record) return;
  const proto = protocolOf(c);
  const what = kind === 'route-add' ? (replaced ? 'replaced' : 'added') : kind === 'route-withdraw' ? 'removed' : 'stale';
  const via = c.kind === 'local' ? (c.blackhole ? ' blackhole' : c.dev !== undefined ? ` dev ${c.dev}` : '') : attrs.nextHop !== undefined ? ` via ${formatIp(attrs.nextHop)}` : '';
  record(sim, sp, kind, `${proto} > ${what} ${formatCidr(attrs.prefix)}${kind === 'route-withdraw' ? '' : via}`, { protocol: proto, prefix: attrs.prefix });
}

/** The Loc-RIB's best route for a prefix changed. */
export function recordBest(sim: Sim, sp: Speaker, attrs: Attrs, winner: Session | LocalRoute | undefined): void {
  if (!sim.record) return;
  const text = winner === undefined ? `${formatCidr(attrs.prefix)}: no route left` : `${formatCidr(attrs.prefix)}: best route now from ${protocolOf(winner)}`;
  record(sim, sp, 'best-change', text, winner === undefined ? { prefix: attrs.prefix } : { prefix: attrs.prefix, protocol: protocolOf(winner) });
}
