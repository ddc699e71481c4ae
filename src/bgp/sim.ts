/**
 * `runBgp`: the BGP model run to convergence in simulated time.
 *
 * Every speaker starts at t = 0; events (connection attempts, OPEN/KEEPALIVE exchanges, UPDATE
 * deliveries, failures, timers) run in (time, scheduling order), so the same input gives the
 * same result. The run ends when nothing is left to happen, or at `input.until`.
 */
import { applyFailure, connectionClosed, holdExpired } from './failures.js';
import { attempt, closeSession, endOfRib, established, grExpired, openReceived, startSession, tcpUp, unpark } from './fsm/session.js';
import { receive, reselect } from './rib.js';
import { recordRoute } from './record.js';
import { buildSim } from './build.js';
import { type LocalRoute, type Sim, type SimEvent, type Speaker, ms, seconds } from './state.js';
import type { BgpResult, BgpSimInput } from './types.js';
import { speakerViews } from './view.js';

/**
 * Runs the BGP simulation: sessions come up, routes propagate, failures happen, until nothing
 * is left to happen (or `input.until`). Deterministic: no clock, no randomness.
 */
export function runBgp(input: BgpSimInput): BgpResult {
  const sim = buildSim(input);
  for (const sp of sim.speakers) sim.queue.push(0, { kind: 'start', speaker: sp });
  const failures = [...(input.failures ?? [])].map((f, i) => ({ f, i })).sort((a, b) => a.f.at - b.f.at || a.i - b.i);
  for (const { f } of failures) {
    sim.pendingChanges++;
    sim.queue.push(ms(f.at), { kind: 'failure', failure: f });
  }
  const until = input.until === undefined ? undefined : ms(input.until);
  for (;;) {
    const t = sim.queue.peekTime();
    if (t === undefined || (until !== undefined && t > until)) break;
    const ev = sim.queue.pop()!;
    sim.now = ev.time;
    dispatch(sim, ev.item);
  }
  return {
    time: until !== undefined ? seconds(until) : seconds(sim.now),
    convergedAt: seconds(sim.lastRouteChange),
    speakers: speakerViews(sim),
    events: sim.events,
  };
}

function dispatch(sim: Sim, ev: SimEvent): void {
  switch (ev.kind) {
    case 'start':
      return startSpeaker(sim, ev.speaker);
    case 'attempt':
      return attempt(sim, ev.session, ev.epoch);
    case 'tcp-up':
      return tcpUp(sim, ev.init, ev.acc, ev.epochs);
    case 'open':
      return openReceived(sim, ev.init, ev.acc, ev.epochs);
    case 'established':
      return established(sim, ev.init, ev.acc, ev.epochs);
    case 'notify':
      if (ev.epoch === ev.session.epoch && ev.session.state !== 'Active' && ev.session.state !== 'Idle') {
        closeSession(sim, ev.session, { error: ev.error, text: ev.error, keepStale: false, retry: 'if-world-changes' });
      }
      return;
    case 'closed':
      return connectionClosed(sim, ev.session, ev.epoch);
    case 'deliver':
      return deliver(sim, ev);
    case 'dump':
      return dump(sim, ev);
    case 'failure':
      return applyFailure(sim, ev.failure);
    case 'comeback':
      sim.pendingChanges--;
      if (!ev.speaker.dead) startSpeaker(sim, ev.speaker);
      unpark(sim);
      return;
    case 'hold':
      return holdExpired(sim, ev.session, ev.epoch);
    case 'gr-expire':
      return grExpired(sim, ev.session, ev.grEpoch);
    default: {
      const never: never = ev;
      throw new Error(`bgp: unknown event ${JSON.stringify(never)}`);
    }
  }
}

/** BIRD starts: its own routes enter the table, its protocols start. */
function startSpeaker(sim: Sim, sp: Speaker): void {
  sp.running = true;
  for (const o of sp.cfg.originate) {
    const prefixId = sim.prefixes.intern(o.prefix);
    const kernel = o.protocol.startsWith('kernel') || (o.dev !== undefined && !o.blackhole);
    const l: LocalRoute = {
      kind: 'local',
      protocol: o.protocol,
      preference: kernel ? 10 : 200,
      blackhole: o.blackhole,
      dev: o.dev,
      attrs: { prefixId, prefix: sim.prefixes.get(prefixId), nextHop: undefined, asPath: [], origin: 'IGP', localPref: 100, med: 0, originatorId: undefined, clusterList: [] },
      since: sim.now,
    };
    const list = sp.local.get(prefixId);
    if (list === undefined) sp.local.set(prefixId, [l]);
    else list.push(l);
    sim.lastRouteChange = sim.now;
    recordRoute(sim, sp, 'route-add', l, l.attrs);
    reselect(sim, sp, prefixId, l, true, l.attrs);
  }
  for (const s of sp.sessions) startSession(sim, s);
}

/** One UPDATE of an update group reaches every established member's peer. */
function deliver(sim: Sim, ev: Extract<SimEvent, { kind: 'deliver' }>): void {
  const g = ev.group;
  if (g.pending === ev.entries) g.pending = undefined;
  if (!g.speaker.running) return;
  for (const m of g.members) {
    const r = m.remote;
    if (r === undefined || m.silent || r.silent || !r.speaker.running || r.state !== 'Established') continue;
    r.lastRx = sim.now;
    for (const e of ev.entries.values()) receive(sim, r, e.prefixId, e.from === m ? null : e.rx);
  }
}

/** A session's initial table reaches its peer, followed by End-of-RIB. */
function dump(sim: Sim, ev: Extract<SimEvent, { kind: 'dump' }>): void {
  const s = ev.session;
  const r = s.remote;
  if (ev.epoch !== s.epoch || s.state !== 'Established' || !s.speaker.running || s.silent) return;
  if (r === undefined || r.state !== 'Established' || r.silent) return;
  r.lastRx = sim.now;
  for (const e of ev.entries) if (e.from !== s) receive(sim, r, e.prefixId, e.rx);
  endOfRib(sim, r);
}
