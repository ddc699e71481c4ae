/**
 * What goes wrong (`--fail node-2`, `--fail-link node-2/eth0`, a BIRD restart) and how the
 * peers notice:
 *
 * - `speaker`: the machine dies. No NOTIFICATION, no TCP reset: its peers keep the session and
 *   its routes until their hold timer expires (last message heard + hold time), then send
 *   NOTIFICATION 4 (`Hold timer expired`) and flush the routes. BIRD keeps graceful-restart
 *   stale routes only when the TCP connection fails (`bgp_sock_err`) or, with long-lived
 *   graceful restart, on hold expiry (`bgp_hold_timeout` with `llgr_ready`); Calico does not
 *   configure LLGR, so a dead node's routes go at hold expiry.
 * - `link`: an interface goes down (`ip link set dev eth0 down`). Sessions whose traffic no
 *   longer gets through (asked of `reachable` with the down set) go silent on both sides and end
 *   by hold timer; a directly connected (not multihop) session of the failing speaker ends at
 *   once (`Neighbor lost`), as BIRD's neighbour tracking does.
 * - `restart`: BIRD stops and comes back {@link RESTART_DOWNTIME_S} later. Its TCP connections
 *   close (the peers see the socket close one latency later); peers that negotiated graceful
 *   restart keep its routes stale for the restart time, until its End-of-RIB, else flush them.
 */
import { formatIp } from '../addr/index.js';
import { abortHandshake, closeSession, unpark } from './fsm/session.js';
import { LATENCY_MS } from './rib.js';
import { PrefixMap } from './prefix-map.js';
import { record } from './record.js';
import { type Session, type Sim, type Speaker, ms } from './state.js';
import type { BgpFailure } from './types.js';

/** How long a restarted BIRD stays away (calico-node's container restart), seconds. */
export const RESTART_DOWNTIME_S = 5;

/** When `s` (Established) stops hearing its peer at `at`: last KEEPALIVE or UPDATE heard + hold time. */
export function holdExpiry(s: Session, at: number): number {
  if (s.holdTime <= 0) return Number.POSITIVE_INFINITY;
  const ka = Math.max(1, s.peerKeepalive);
  const sent = s.establishedAt + Math.floor((at - s.establishedAt) / ka) * ka;
  const heard = Math.max(s.lastRx, Math.min(sent + LATENCY_MS, at));
  return Math.max(heard, s.establishedAt) + s.holdTime;
}

/** Schedules `s`'s hold-timer expiry: its peer went silent at the current time. */
export function goSilent(sim: Sim, s: Session): void {
  if (s.state !== 'Established' || s.silent) return;
  s.silent = true;
  const at = holdExpiry(s, sim.now);
  if (Number.isFinite(at)) sim.queue.push(at, { kind: 'hold', session: s, epoch: s.epoch });
}

/** The hold timer fired. */
export function holdExpired(sim: Sim, s: Session, epoch: number): void {
  if (epoch !== s.epoch || s.state !== 'Established') return;
  record(sim, s.speaker, 'hold-expired', `${s.cfg.protocol}: Error: Hold timer expired`, { protocol: s.cfg.protocol });
  closeSession(sim, s, { error: 'BGP Error: Hold timer expired', text: 'Error: Hold timer expired', keepStale: false, retry: 'always' });
}

/** Applies one failure at the current time. */
export function applyFailure(sim: Sim, f: BgpFailure): void {
  sim.pendingChanges--;
  const sp = sim.byName.get(f.speaker);
  if (sp === undefined) return;
  switch (f.kind) {
    case 'speaker':
      record(sim, sp, 'failure', `${sp.cfg.name} fails: the machine stops, nothing answers`);
      sim.down.add(sp.cfg.name);
      stopSpeaker(sim, sp, 'silent');
      sp.dead = true;
      break;
    case 'link':
      record(sim, sp, 'failure', `${sp.cfg.name}: link ${f.dev ?? '?'} goes down`);
      sim.down.add(`${sp.cfg.name}/${f.dev ?? ''}`);
      linkDown(sim, sp);
      break;
    case 'restart':
      record(sim, sp, 'failure', `${sp.cfg.name}: BIRD restarts (back in ${RESTART_DOWNTIME_S} s)`);
      if (!sp.running) break;
      stopSpeaker(sim, sp, 'closed');
      sim.pendingChanges++;
      sim.queue.push(sim.now + ms(RESTART_DOWNTIME_S), { kind: 'comeback', speaker: sp });
      break;
    default: {
      const never: never = f.kind;
      throw new Error(`bgp: unknown failure kind ${String(never)}`);
    }
  }
  unpark(sim);
}

/** BIRD stops on `sp`: its state is gone; peers notice by silence (dead machine) or by the TCP close (restart). */
function stopSpeaker(sim: Sim, sp: Speaker, how: 'silent' | 'closed'): void {
  sp.running = false;
  for (const s of sp.sessions) {
    const r = s.remote;
    if (s.state === 'Established' && r !== undefined && r.state === 'Established' && r.remote === s) {
      // A peer that already hears nothing (the path broke) gets no FIN either: its hold timer runs on.
      if (how === 'silent' || r.silent) goSilent(sim, r);
      else sim.queue.push(sim.now + LATENCY_MS, { kind: 'closed', session: r, epoch: r.epoch });
    } else if (r !== undefined && r.remote === s && s.state !== 'Idle' && s.state !== 'Active') {
      abortHandshake(sim, r, how === 'silent' ? 'Socket: Connection timed out' : 'Socket: Connection closed');
    }
    s.group.members.delete(s);
    s.group.pending = undefined;
    s.epoch++;
    s.rib = new PrefixMap(sim.prefixes);
    s.stale = undefined;
    s.grEpoch++;
    s.silent = false;
    s.state = 'Idle';
    s.info = 'Down';
    s.since = sim.now;
  }
  sp.best = new PrefixMap(sim.prefixes);
  sp.local = new Map();
}

/** A peer's TCP connection closed under `s` (the peer's BIRD restarted). */
export function connectionClosed(sim: Sim, s: Session, epoch: number): void {
  if (epoch !== s.epoch || s.state !== 'Established') return;
  const gr = s.cfg.gracefulRestart && s.remote?.cfg.gracefulRestart === true;
  closeSession(sim, s, { error: 'Socket: Connection closed', text: `Connection lost (Connection closed)${gr ? ', graceful restart' : ''}`, keepStale: gr, retry: 'always' });
}

/** After a link went down: sessions whose packets no longer get through go silent (or drop at once when directly connected on the failing speaker). */
function linkDown(sim: Sim, sp: Speaker): void {
  for (const a of sim.speakers) {
    for (const s of a.sessions) {
      const r = s.remote;
      if (s.state !== 'Established' || r === undefined || r.remote !== s || s.silent) continue;
      const ok = sim.reachable(a.cfg.name, s.cfg.peerIp, s.src, sim.down) === true && sim.reachable(r.speaker.cfg.name, r.cfg.peerIp, r.src, sim.down) === true;
      if (ok) continue;
      if (a === sp && !s.cfg.multihop) {
        closeSession(sim, s, { error: 'Error: Neighbor lost', text: `Neighbor ${formatIp(s.cfg.peerIp)} lost`, keepStale: false, retry: 'always' });
        goSilent(sim, r);
      } else {
        goSilent(sim, s);
      }
    }
  }
}
