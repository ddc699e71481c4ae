/**
 * Builds the simulation's state from the input: speakers in name order (so the run does not
 * depend on the order of `input.speakers`), their protocol instances in configuration order,
 * the pairing of protocol instances into sessions, and the update groups.
 */
import { EventQueue } from './queue.js';
import { PrefixTable } from './prefixes.js';
import { PrefixMap } from './prefix-map.js';
import { type Group, type Session, type Sim, type SimEvent, type Speaker, ipKey } from './state.js';
import type { BgpSimInput } from './types.js';

/** The simulation state for `input`, nothing scheduled yet. */
export function buildSim(input: BgpSimInput): Sim {
  const configs = [...input.speakers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefixes = new PrefixTable();
  const speakers: Speaker[] = configs.map((cfg, index) => ({ index, cfg, running: false, dead: false, sessions: [], groups: new Map(), local: new Map(), best: new PrefixMap(prefixes) }));
  const byName = new Map<string, Speaker>();
  const byAddress = new Map<string, Speaker>();
  for (const sp of speakers) {
    byName.set(sp.cfg.name, sp);
    for (const a of sp.cfg.addresses) if (!byAddress.has(ipKey(a))) byAddress.set(ipKey(a), sp);
  }
  for (const sp of speakers) for (const cfg of sp.cfg.peers) sp.sessions.push(newSession(sp, cfg, prefixes));
  const byPeerIp = new Map<Speaker, Map<string, Session>>();
  for (const sp of speakers) {
    const m = new Map<string, Session>();
    for (const s of sp.sessions) if (!m.has(ipKey(s.cfg.peerIp))) m.set(ipKey(s.cfg.peerIp), s);
    byPeerIp.set(sp, m);
  }
  for (const sp of speakers) for (const s of sp.sessions) s.remote = matchRemote(s, byAddress, byPeerIp);
  for (const sp of speakers) for (const s of sp.sessions) if (s.remote !== undefined && s.remote.remote !== s) s.remote = undefined;
  return {
    now: 0,
    queue: new EventQueue<SimEvent>(),
    speakers,
    byName,
    byAddress,
    prefixes,
    down: new Set(),
    reachable: input.reachable,
    record: input.recordEvents !== false,
    events: [],
    lastRouteChange: 0,
    pendingChanges: 0,
    parked: new Set(),
  };
}

function newSession(sp: Speaker, cfg: Session['cfg'], prefixes: PrefixTable): Session {
  const family = cfg.peerIp.family;
  const src = cfg.sourceAddress ?? sp.cfg.addresses.find((a) => a.family === family);
  const internal = cfg.peerAs === cfg.localAs;
  const s: Session = {
    kind: 'session',
    speaker: sp,
    cfg,
    family,
    internal,
    src,
    remote: undefined,
    group: undefined as unknown as Group,
    state: 'Idle',
    since: 0,
    info: 'Idle',
    lastError: '',
    epoch: 0,
    rib: new PrefixMap(prefixes),
    stale: undefined,
    grEpoch: 0,
    establishedAt: 0,
    lastRx: 0,
    holdTime: 0,
    peerKeepalive: 0,
    peerRouterId: undefined,
    lastAttempt: 0,
    nextAttempt: -1,
    parked: false,
    silent: false,
  };
  s.group = groupFor(sp, s);
  return s;
}

/** Sessions export identically when these agree (see export.ts). */
function groupFor(sp: Speaker, s: Session): Group {
  const c = s.cfg;
  const key = [s.family, s.internal, c.rrClient, c.nextHopSelf, c.nextHopKeep, c.multihop, s.src === undefined ? '' : ipKey(s.src), c.localAs].join('|');
  let g = sp.groups.get(key);
  if (g === undefined) {
    g = { key, speaker: sp, proto: s, members: new Set(), pending: undefined };
    sp.groups.set(key, g);
  }
  return g;
}

/**
 * The protocol instance on the peer speaker this one talks to: the speaker owning `peerIp`,
 * and on it the protocol whose `neighbor` is our source address (else any of our addresses).
 */
function matchRemote(s: Session, byAddress: ReadonlyMap<string, Speaker>, byPeerIp: ReadonlyMap<Speaker, ReadonlyMap<string, Session>>): Session | undefined {
  const peer = byAddress.get(ipKey(s.cfg.peerIp));
  if (peer === undefined || peer === s.speaker) return undefined;
  const theirs = byPeerIp.get(peer);
  const src = s.src;
  const exact = src === undefined ? undefined : theirs?.get(ipKey(src));
  if (exact !== undefined) return exact;
  for (const a of s.speaker.cfg.addresses) {
    const t = theirs?.get(ipKey(a));
    if (t !== undefined && a.family === s.family) return t;
  }
  return undefined;
}
