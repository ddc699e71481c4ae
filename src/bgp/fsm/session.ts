/**
 * A session's finite state machine (RFC 4271 §8, as BIRD's proto/bgp/bgp.c runs it), in
 * simulated time with a fixed one-way latency L:
 *
 *   Active --connect delay--> Connect --L--> OpenSent (both sides) --L--> OpenConfirm --L--> Established
 *
 * The side that is not `passive` connects after `connect delay time`; when both may, the
 * attempts collide and the speaker with the higher router id keeps its connection (RFC 4271
 * §6.8), so the outcome does not depend on the order of the configuration. A failed attempt
 * (`reachable` says no, nobody listens) leaves the session Active with BIRD's
 * `Socket: <error>` and retries every `connect retry time` — until nothing in the simulated
 * world can change any more (no failure or restart left in the future), when retrying stops.
 * Keepalives are not simulated as events: hold-timer expiry is computed when a peer goes silent.
 */
import { ipCompare, formatIp } from '../../addr/index.js';
import { recordSession } from '../record.js';
import { feedOf, flushSession, LATENCY_MS } from '../rib.js';
import { record, recordRoute } from '../record.js';
import { type Rx, type Session, type Sim, ms } from '../state.js';
import { PrefixMap } from '../prefix-map.js';
import type { SessionState } from '../types.js';

/** Moves `s` to a new FSM state, with BIRD's log sentence. */
export function setState(sim: Sim, s: Session, to: SessionState, text: string, info: string = to): void {
  const from = s.state;
  s.state = to;
  s.info = info;
  s.since = sim.now;
  recordSession(sim, s, from, to, text);
}

/** The protocol starts (BIRD starts, or comes back): passive sessions wait, the others plan a connection. */
export function startSession(sim: Sim, s: Session): void {
  s.epoch++;
  s.lastError = '';
  s.lastAttempt = sim.now;
  if (s.cfg.passive) {
    setState(sim, s, 'Idle', 'Started, waiting for the peer to connect (passive)', 'Passive');
    return;
  }
  setState(sim, s, 'Active', 'Started');
  scheduleAttempt(sim, s, sim.now + ms(s.cfg.connectDelayTime));
}

function scheduleAttempt(sim: Sim, s: Session, at: number): void {
  s.nextAttempt = at;
  s.parked = false;
  sim.parked.delete(s);
  sim.queue.push(at, { kind: 'attempt', session: s, epoch: s.epoch });
}

/** Retry later, or stop when nothing can change (the result would only repeat). */
function retry(sim: Sim, s: Session): void {
  if (s.cfg.passive || !s.speaker.running) return;
  if (sim.pendingChanges > 0) {
    scheduleAttempt(sim, s, s.lastAttempt + ms(s.cfg.connectRetryTime));
    return;
  }
  s.nextAttempt = -1;
  s.parked = true;
  sim.parked.add(s);
}

/** The world changed (a failure, a come-back): parked sessions retry at their next retry slot. */
export function unpark(sim: Sim): void {
  for (const s of [...sim.parked]) {
    if (s.state !== 'Active' || !s.speaker.running) {
      sim.parked.delete(s);
      continue;
    }
    const step = Math.max(1, ms(s.cfg.connectRetryTime));
    const k = Math.max(1, Math.ceil((sim.now - s.lastAttempt) / step));
    scheduleAttempt(sim, s, s.lastAttempt + k * step);
  }
}

const CONNECTING: ReadonlySet<SessionState> = new Set(['Connect', 'OpenSent', 'OpenConfirm', 'Established']);

/** The connect timer fired: try to open TCP to the peer. */
export function attempt(sim: Sim, s: Session, epoch: number): void {
  if (epoch !== s.epoch || s.nextAttempt !== sim.now || s.state !== 'Active' || !s.speaker.running) return;
  s.nextAttempt = -1;
  s.lastAttempt = sim.now;
  const r = s.remote;
  const live = r !== undefined && r.speaker.running;
  // The peer's side of a dead connection is still Established until its hold timer runs out.
  const halfOpen = live && r.state === 'Established' && r.silent;
  if (live && CONNECTING.has(r.state) && !halfOpen) return;
  // Both sides connect at the same instant: the higher router id's connection survives.
  if (live && r.state === 'Active' && r.nextAttempt === sim.now && ipCompare(r.speaker.cfg.routerId, s.speaker.cfg.routerId) > 0) return;
  const fwd = sim.reachable(s.speaker.cfg.name, s.cfg.peerIp, s.src, sim.down);
  if (fwd !== true) return failAttempt(sim, s, `Socket: ${fwd}`);
  if (!live) return failAttempt(sim, s, 'Socket: Connection refused');
  if (halfOpen) return failAttempt(sim, s, 'Socket: Connection closed');
  const back = sim.reachable(r.speaker.cfg.name, r.cfg.peerIp, r.src, sim.down);
  if (back !== true) return failAttempt(sim, s, 'Socket: Connection timed out');
  const from = s.src === undefined ? '' : ` from local address ${formatIp(s.src)}`;
  setState(sim, s, 'Connect', `Connecting to ${formatIp(s.cfg.peerIp)}${from}`);
  sim.queue.push(sim.now + LATENCY_MS, { kind: 'tcp-up', init: s, acc: r, epochs: [s.epoch, r.epoch] });
}

function failAttempt(sim: Sim, s: Session, error: string): void {
  if (s.lastError !== error) record(sim, s.speaker, 'session', `${s.cfg.protocol}: Connection failed (${error.replace(/^Socket: /, '')})`, { protocol: s.cfg.protocol, from: 'Connect', to: 'Active' });
  s.lastError = error;
  s.since = sim.now;
  s.state = 'Active';
  s.info = 'Active';
  retry(sim, s);
}

function valid(init: Session, acc: Session, epochs: readonly [number, number]): boolean {
  return init.epoch === epochs[0] && acc.epoch === epochs[1] && init.speaker.running && acc.speaker.running;
}

/** TCP is up: both sides send OPEN. */
export function tcpUp(sim: Sim, init: Session, acc: Session, epochs: readonly [number, number]): void {
  if (!valid(init, acc, epochs) || init.state !== 'Connect' || CONNECTING.has(acc.state)) {
    if (init.epoch === epochs[0] && init.state === 'Connect') failAttempt(sim, init, 'Socket: Connection reset by peer');
    return;
  }
  setState(sim, init, 'OpenSent', 'Connected');
  setState(sim, acc, 'OpenSent', `Incoming connection from ${formatIp(acc.cfg.peerIp)} accepted`);
  sim.queue.push(sim.now + LATENCY_MS, { kind: 'open', init, acc, epochs: [init.epoch, acc.epoch] });
}

/** Both OPENs arrive: each side checks the other's AS (BIRD's `bgp_rx_open`). */
export function openReceived(sim: Sim, init: Session, acc: Session, epochs: readonly [number, number]): void {
  if (!valid(init, acc, epochs)) return;
  const badInit = init.cfg.peerAs !== acc.cfg.localAs;
  const badAcc = acc.cfg.peerAs !== init.cfg.localAs;
  if (badInit || badAcc) {
    for (const [side, other, bad] of [[init, acc, badInit], [acc, init, badAcc]] as const) {
      if (!bad) continue;
      closeSession(sim, side, { error: 'BGP Error: Bad peer AS', text: `Error: Bad peer AS: ${other.cfg.localAs}`, keepStale: false, retry: 'if-world-changes' });
      if (!badInit || !badAcc) sim.queue.push(sim.now + LATENCY_MS, { kind: 'notify', session: other, epoch: other.epoch, error: 'Received: Bad peer AS' });
    }
    return;
  }
  const hold = Math.min(ms(init.cfg.holdTime), ms(acc.cfg.holdTime));
  for (const [side, other] of [[init, acc], [acc, init]] as const) {
    side.holdTime = hold;
    side.peerKeepalive = Math.min(hold, other.cfg.keepaliveTime > 0 ? ms(other.cfg.keepaliveTime) : Math.floor(hold / 3));
    side.peerRouterId = other.speaker.cfg.routerId;
    setState(sim, side, 'OpenConfirm', `Got OPEN(as=${other.cfg.localAs},hold=${hold / 1000},id=${formatIp(other.speaker.cfg.routerId)})`);
  }
  sim.queue.push(sim.now + LATENCY_MS, { kind: 'established', init, acc, epochs: [init.epoch, acc.epoch] });
}

/** KEEPALIVEs arrive: the session is up; each side sends its table, then End-of-RIB. */
export function established(sim: Sim, init: Session, acc: Session, epochs: readonly [number, number]): void {
  if (!valid(init, acc, epochs)) return;
  for (const s of [init, acc]) {
    s.lastError = '';
    s.silent = false;
    s.establishedAt = sim.now;
    s.lastRx = sim.now;
    setState(sim, s, 'Established', 'BGP session established', 'Established');
    s.group.members.add(s);
  }
  for (const s of [init, acc]) {
    sim.queue.push(sim.now + LATENCY_MS, { kind: 'dump', session: s, epoch: s.epoch, from: s, entries: feedOf(sim, s.group) });
  }
}

/** The peer went away in the middle of the handshake: the attempt fails, and is retried. */
export function abortHandshake(sim: Sim, s: Session, error: string): void {
  if (s.state !== 'Connect' && s.state !== 'OpenSent' && s.state !== 'OpenConfirm') return;
  s.epoch++;
  s.lastError = error;
  const passive = s.cfg.passive;
  setState(sim, s, passive ? 'Idle' : 'Active', `Connection lost (${error.replace(/^Socket: /, '')})`, passive ? 'Passive' : 'Active');
  s.lastAttempt = sim.now;
  retry(sim, s);
}

/** How a session ends. */
export interface CloseOptions {
  /** BIRD's last-error text shown in the info column (`BGP Error: Hold timer expired`). */
  readonly error: string;
  readonly text: string;
  /** Graceful restart: keep the peer's routes as stale. */
  readonly keepStale: boolean;
  /** Reconnect after the connect delay (`always`), or only while the world may still change. */
  readonly retry: 'always' | 'if-world-changes';
}

/** The session goes down: routes flushed (or kept stale), state back to Active (Idle when passive). */
export function closeSession(sim: Sim, s: Session, opts: CloseOptions): void {
  s.group.members.delete(s);
  s.epoch++;
  s.silent = false;
  s.lastError = opts.error;
  const passive = s.cfg.passive;
  setState(sim, s, passive ? 'Idle' : 'Active', opts.text, passive ? 'Passive' : 'Active');
  if (opts.keepStale) keepStale(sim, s);
  else flushSession(sim, s, 'all');
  if (passive || !s.speaker.running) return;
  s.lastAttempt = sim.now;
  if (opts.retry === 'always') scheduleAttempt(sim, s, sim.now + ms(s.cfg.connectDelayTime));
  else retry(sim, s);
}

/** Graceful restart (RFC 4724, BIRD's `bgp_handle_graceful_restart`): the routes stay, marked stale, for the restart time. */
function keepStale(sim: Sim, s: Session): void {
  const stale = s.stale ?? new PrefixMap<Rx>(sim.prefixes);
  for (const [prefixId, rx] of s.rib) {
    stale.set(prefixId, rx);
    recordRoute(sim, s.speaker, 'route-stale', s, rx.attrs);
  }
  s.rib = new PrefixMap(sim.prefixes);
  s.stale = stale;
  s.grEpoch++;
  const time = s.remote?.cfg.restartTime ?? s.cfg.restartTime;
  sim.queue.push(sim.now + ms(time), { kind: 'gr-expire', session: s, grEpoch: s.grEpoch });
}

/** The restart time ran out before the peer came back with End-of-RIB: stale routes go. */
export function grExpired(sim: Sim, s: Session, grEpoch: number): void {
  if (grEpoch !== s.grEpoch || s.stale === undefined) return;
  record(sim, s.speaker, 'session', `${s.cfg.protocol}: Graceful restart timer expired`, { protocol: s.cfg.protocol });
  flushSession(sim, s, 'stale');
}

/** End-of-RIB from the peer: stale routes it did not refresh go (BIRD's `bgp_refresh_end`). */
export function endOfRib(sim: Sim, s: Session): void {
  if (s.stale === undefined) return;
  s.grEpoch++;
  flushSession(sim, s, 'stale');
}
