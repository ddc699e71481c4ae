/**
 * The RIBs of one speaker: each session's Adj-RIB-In (`Session.rib`, plus routes kept stale by
 * graceful restart), the speaker's own routes, and the Loc-RIB (`Speaker.best`, the winner per
 * prefix). A change to a candidate re-runs the selection for that prefix only; a changed winner
 * is queued towards each update group whose export it affects.
 */
import { compareRoutes, type RouteFacts } from './select.js';
import { exportAttrs, exportable } from './export.js';
import { recordBest, recordRoute } from './record.js';
import type { Attrs, Entry, Group, LocalRoute, Rx, Session, Sim, Speaker } from './state.js';

/** A session's route for a prefix: fresh, or kept stale. */
export function candidateRx(s: Session, prefixId: number): Rx | undefined {
  return s.rib.get(prefixId) ?? s.stale?.get(prefixId);
}

/** The attributes a candidate holds for a prefix. */
export function candidateAttrs(c: Session | LocalRoute, prefixId: number): Attrs | undefined {
  return c.kind === 'local' ? c.attrs : candidateRx(c, prefixId)?.attrs;
}

/** Two reusable records for {@link better}: selection runs millions of times in a large design, without garbage. */
type MutableFacts = { -readonly [K in keyof RouteFacts]: RouteFacts[K] };
const scratchA: MutableFacts = blankFacts();
const scratchB: MutableFacts = blankFacts();

function blankFacts(): MutableFacts {
  return { preference: 0, localPref: 0, asPathLength: 0, origin: 'IGP', med: 0, neighbourAs: 0, internal: false, bgpId: undefined, clusterListLength: 0, neighbour: undefined, protocol: '' };
}

function factsInto(out: MutableFacts, sp: Speaker, c: Session | LocalRoute, attrs: Attrs): MutableFacts {
  const local = c.kind === 'local';
  out.preference = local ? c.preference : 100;
  out.localPref = attrs.localPref;
  out.asPathLength = attrs.asPath.length;
  out.origin = attrs.origin;
  out.med = attrs.med;
  out.neighbourAs = local ? sp.cfg.asNumber : (attrs.asPath[0] ?? c.cfg.localAs);
  out.internal = local ? false : c.internal;
  out.bgpId = local ? undefined : (attrs.originatorId ?? c.peerRouterId);
  out.clusterListLength = attrs.clusterList.length;
  out.neighbour = local ? undefined : c.cfg.peerIp;
  out.protocol = local ? c.protocol : c.cfg.protocol;
  return out;
}

/** Negative when candidate `a` is better than `b` for the prefix (no allocation). */
export function compareCandidates(sp: Speaker, a: Session | LocalRoute, b: Session | LocalRoute, prefixId: number): number {
  return compareRoutes(factsInto(scratchA, sp, a, candidateAttrs(a, prefixId)!), factsInto(scratchB, sp, b, candidateAttrs(b, prefixId)!));
}

function better(sp: Speaker, a: Session | LocalRoute, b: Session | LocalRoute, prefixId: number): boolean {
  const aa = candidateAttrs(a, prefixId);
  const ba = candidateAttrs(b, prefixId);
  if (aa === undefined) return false;
  if (ba === undefined) return true;
  return compareRoutes(factsInto(scratchA, sp, a, aa), factsInto(scratchB, sp, b, ba)) < 0;
}

function scan(sp: Speaker, prefixId: number): Session | LocalRoute | undefined {
  let best: Session | LocalRoute | undefined;
  for (const l of sp.local.get(prefixId) ?? []) if (best === undefined || better(sp, l, best, prefixId)) best = l;
  for (const s of sp.sessions) {
    if (candidateRx(s, prefixId) === undefined) continue;
    if (best === undefined || better(sp, s, best, prefixId)) best = s;
  }
  return best;
}

/**
 * Re-selects the best route for `prefixId` after candidate `changed` was added or replaced
 * (`present`) or removed. Only a change that touches the current winner needs a full scan.
 */
export function reselect(sim: Sim, sp: Speaker, prefixId: number, changed: Session | LocalRoute, present: boolean, attrs: Attrs): void {
  const old = sp.best.get(prefixId);
  let winner: Session | LocalRoute | undefined;
  if (old === undefined) winner = present ? changed : undefined;
  else if (old !== changed) winner = present && better(sp, changed, old, prefixId) ? changed : old;
  else winner = scan(sp, prefixId);
  if (winner === old && winner !== changed) return;
  if (winner === undefined) sp.best.delete(prefixId);
  else sp.best.set(prefixId, winner);
  sim.lastRouteChange = sim.now;
  if (winner !== old) recordBest(sim, sp, attrs, winner);
  announce(sim, sp, prefixId, old, winner, attrs);
}

/** Queues the change of winner towards every update group that has established members. */
function announce(sim: Sim, sp: Speaker, prefixId: number, old: Session | LocalRoute | undefined, winner: Session | LocalRoute | undefined, attrs: Attrs): void {
  const wAttrs = winner === undefined ? undefined : candidateAttrs(winner, prefixId);
  for (const g of sp.groups.values()) {
    if (g.members.size === 0) continue;
    const oldOk = old !== undefined && exportable(g, old, attrs);
    const newOk = winner !== undefined && wAttrs !== undefined && exportable(g, winner, wAttrs);
    if (!oldOk && !newOk) continue;
    const entry: Entry = newOk
      ? { prefixId, rx: { attrs: exportAttrs(g, winner, wAttrs), since: sim.now + LATENCY_MS }, from: winner.kind === 'session' ? winner : undefined }
      : { prefixId, rx: null, from: undefined };
    queueEntry(sim, g, entry);
  }
}

/** Adds an entry to the group's next UPDATE, scheduling its delivery one latency from now. */
export function queueEntry(sim: Sim, g: Group, entry: Entry): void {
  if (g.pending === undefined) {
    g.pending = new Map();
    sim.queue.push(sim.now + LATENCY_MS, { kind: 'deliver', group: g, entries: g.pending });
  }
  g.pending.set(entry.prefixId, entry);
}

/** The full table a newly established session of group `g` receives (BIRD's initial feed). */
export function feedOf(sim: Sim, g: Group): Entry[] {
  const out: Entry[] = [];
  const sp = g.speaker;
  for (const [prefixId, cand] of sp.best) {
    const attrs = candidateAttrs(cand, prefixId);
    if (attrs === undefined || !exportable(g, cand, attrs)) continue;
    out.push({ prefixId, rx: { attrs: exportAttrs(g, cand, attrs), since: sim.now + LATENCY_MS }, from: cand.kind === 'session' ? cand : undefined });
  }
  return out;
}

/** One UPDATE's entry arrives at session `s` (after the sender's exclusion was applied). */
export function receive(sim: Sim, s: Session, prefixId: number, rx: Rx | null): void {
  const sp = s.speaker;
  if (rx !== null && rejectedOnImport(s, rx.attrs)) rx = null;
  const had = s.rib.get(prefixId);
  if (rx !== null) {
    s.rib.set(prefixId, rx);
    s.stale?.delete(prefixId);
    sim.lastRouteChange = sim.now;
    recordRoute(sim, sp, 'route-add', s, rx.attrs, had !== undefined);
    reselect(sim, sp, prefixId, s, true, rx.attrs);
    return;
  }
  const gone = had ?? s.stale?.get(prefixId);
  if (gone === undefined) return;
  s.rib.delete(prefixId);
  s.stale?.delete(prefixId);
  sim.lastRouteChange = sim.now;
  recordRoute(sim, sp, 'route-withdraw', s, gone.attrs);
  reselect(sim, sp, prefixId, s, false, gone.attrs);
}

/**
 * Import-side loop prevention: our own AS in the AS path of an eBGP route (RFC 4271 §9.1.2) more
 * often than `allow local as N` permits (BIRD's default 0; checked against BIRD 2 in
 * test/kernel/bgp/bird.diff.test.ts, ToR topology),
 * our router id as ORIGINATOR_ID, our cluster id in CLUSTER_LIST (RFC 4456 §8). BIRD treats
 * such an UPDATE as a withdrawal.
 */
function rejectedOnImport(s: Session, a: Attrs): boolean {
  const cfg = s.speaker.cfg;
  if (!s.internal && a.asPath.filter((as) => as === s.cfg.localAs).length > (s.cfg.allowLocalAs ?? 0)) return true;
  if (a.originatorId !== undefined && a.originatorId.value === cfg.routerId.value && a.originatorId.family === cfg.routerId.family) return true;
  const cluster = cfg.rrClusterId;
  if (cluster !== undefined && a.clusterList.some((c) => c.value === cluster.value && c.family === cluster.family)) return true;
  return false;
}

/** Removes every route of session `s` (fresh and stale), as when it goes down without graceful restart. */
export function flushSession(sim: Sim, s: Session, which: 'all' | 'stale'): void {
  const maps = which === 'all' ? [s.rib, s.stale] : [s.stale];
  for (const m of maps) {
    if (m === undefined) continue;
    for (const [prefixId, rx] of [...m]) {
      m.delete(prefixId);
      if (candidateRx(s, prefixId) !== undefined) continue;
      sim.lastRouteChange = sim.now;
      recordRoute(sim, s.speaker, 'route-withdraw', s, rx.attrs);
      reselect(sim, s.speaker, prefixId, s, false, rx.attrs);
    }
  }
  if (which === 'stale' || which === 'all') s.stale = undefined;
}

/** Fixed one-way message latency between two speakers, milliseconds. */
export const LATENCY_MS = 1;
