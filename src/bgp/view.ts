/**
 * The result's views: each speaker's sessions (`birdc show protocols`, `calicoctl node status`)
 * and its table with every candidate (`birdc show route all`), sorted by prefix, best first.
 *
 * Views of received routes are shared: candidates that agree on everything shown (the same
 * UPDATE object from the same protocol name and peer, the same best/stale marks — every client
 * of a route reflector) are one object, so a large design's result stays linear in UPDATEs.
 */
import { ipCompare } from '../addr/index.js';
import { compareRoutes } from './select.js';
import { candidateAttrs, candidateRx, factsOf } from './rib.js';
import { exportable } from './export.js';
import { type Group, type LocalRoute, type Rx, type Session, type Sim, type Speaker, seconds } from './state.js';
import type { BgpRouteView, SessionView, SpeakerView } from './types.js';

/** The view of every speaker, by name. */
export function speakerViews(sim: Sim): Record<string, SpeakerView> {
  const out: Record<string, SpeakerView> = {};
  const cache = new ViewCache();
  const rank = prefixRanks(sim);
  for (const sp of sim.speakers) {
    out[sp.cfg.name] = {
      name: sp.cfg.name,
      kind: sp.cfg.kind,
      routerId: sp.cfg.routerId,
      asNumber: sp.cfg.asNumber,
      running: !sp.dead,
      sessions: sessionViews(sp),
      routes: routeViews(sp, cache, rank),
    };
  }
  return out;
}

function sessionViews(sp: Speaker): SessionView[] {
  const counts = exportedCounts(sp);
  return sp.sessions.map((s) => sessionView(sp, s, counts(s)));
}

function sessionView(sp: Speaker, s: Session, exported: number): SessionView {
  const up = s.state === 'Established';
  const info = !sp.running ? 'Down' : up ? 'Established' : s.lastError === '' ? s.info : `${s.info} ${s.lastError}`;
  return {
    protocol: s.cfg.protocol,
    peerType: s.cfg.peerType,
    peerIp: s.cfg.peerIp,
    peerAs: s.cfg.peerAs,
    state: !sp.running ? 'down' : up ? 'up' : 'start',
    fsm: s.state,
    since: seconds(s.since),
    info,
    imported: s.rib.size + (s.stale?.size ?? 0),
    exported: up ? exported : 0,
  };
}

/**
 * Routes exported per session (BIRD's `Routes: … exported`), counted once per update group: the
 * group's exportable best routes, less those the session itself supplied (never sent back).
 */
function exportedCounts(sp: Speaker): (s: Session) => number {
  const perGroup = new Map<Group, number>();
  const own = new Map<Session, number>();
  for (const g of sp.groups.values()) {
    if (g.members.size === 0) continue;
    let n = 0;
    for (const [prefixId, cand] of sp.best) {
      const attrs = candidateAttrs(cand, prefixId);
      if (attrs === undefined || !exportable(g, cand, attrs)) continue;
      n++;
      if (cand.kind === 'session' && cand.group === g) own.set(cand, (own.get(cand) ?? 0) + 1);
    }
    perGroup.set(g, n);
  }
  return (s) => (perGroup.get(s.group) ?? 0) - (own.get(s) ?? 0);
}

/** Every prefix id's position in prefix order (family, address, length), computed once per result. */
function prefixRanks(sim: Sim): Int32Array {
  const ids = Array.from({ length: sim.prefixes.size }, (_, i) => i);
  ids.sort((a, b) => {
    const x = sim.prefixes.get(a);
    const y = sim.prefixes.get(b);
    return ipCompare(x.addr, y.addr) || x.prefix - y.prefix;
  });
  const rank = new Int32Array(ids.length);
  ids.forEach((id, i) => (rank[id] = i));
  return rank;
}

/** Each prefix's candidates (own routes, then sessions in configuration order), gathered in one pass over the RIBs. */
function candidatesByPrefix(sp: Speaker): Map<number, (Session | LocalRoute)[]> {
  const by = new Map<number, (Session | LocalRoute)[]>();
  const add = (id: number, c: Session | LocalRoute) => {
    const list = by.get(id);
    if (list === undefined) by.set(id, [c]);
    else list.push(c);
  };
  for (const [id, locals] of sp.local) for (const l of locals) add(id, l);
  for (const s of sp.sessions) {
    for (const id of s.rib.keys()) add(id, s);
    if (s.stale !== undefined) for (const id of s.stale.keys()) if (!s.rib.has(id)) add(id, s);
  }
  return by;
}

function routeViews(sp: Speaker, cache: ViewCache, rank: Int32Array): BgpRouteView[] {
  const by = candidatesByPrefix(sp);
  const sorted = [...by.keys()].sort((a, b) => rank[a]! - rank[b]!);
  const out: BgpRouteView[] = [];
  for (const id of sorted) {
    let cands = by.get(id)!;
    if (cands.length > 1) {
      const ranked = cands.map((c) => ({ c, f: factsOf(sp, c, candidateAttrs(c, id)!) }));
      ranked.sort((a, b) => compareRoutes(a.f, b.f));
      cands = ranked.map((x) => x.c);
    }
    const best = sp.best.get(id);
    for (const c of cands) out.push(c.kind === 'local' ? localView(c, c === best) : cache.bgp(c, id, c === best));
  }
  return out;
}

function localView(l: LocalRoute, best: boolean): BgpRouteView {
  return {
    prefix: l.attrs.prefix,
    protocol: l.protocol,
    preference: l.preference,
    blackhole: l.blackhole,
    ...(l.dev === undefined ? {} : { dev: l.dev }),
    asPath: [],
    origin: l.attrs.origin,
    localPref: l.attrs.localPref,
    med: l.attrs.med,
    clusterList: [],
    internal: false,
    stale: false,
    since: seconds(l.since),
    best,
  };
}

/** Shares the view of one received route among all candidates that would print the same. */
class ViewCache {
  private readonly sources = new Map<string, number>();
  private readonly bySession = new Map<Session, number>();
  private readonly views = new Map<Rx, Map<number, BgpRouteView>>();

  bgp(s: Session, prefixId: number, best: boolean): BgpRouteView {
    const rx = candidateRx(s, prefixId)!;
    const stale = !s.rib.has(prefixId);
    let src = this.bySession.get(s);
    if (src === undefined) {
      const srcKey = `${s.cfg.protocol}|${s.cfg.peerIp.family}|${s.cfg.peerIp.value}|${s.internal}`;
      src = this.sources.get(srcKey);
      if (src === undefined) this.sources.set(srcKey, (src = this.sources.size));
      this.bySession.set(s, src);
    }
    const key = src * 4 + (stale ? 2 : 0) + (best ? 1 : 0);
    let m = this.views.get(rx);
    if (m === undefined) this.views.set(rx, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) m.set(key, (v = bgpView(s, rx, stale, best)));
    return v;
  }
}

function bgpView(s: Session, rx: Rx, stale: boolean, best: boolean): BgpRouteView {
  const a = rx.attrs;
  return {
    prefix: a.prefix,
    protocol: s.cfg.protocol,
    preference: 100,
    blackhole: false,
    ...(a.nextHop === undefined ? {} : { nextHop: a.nextHop }),
    fromIp: s.cfg.peerIp,
    asPath: a.asPath,
    origin: a.origin,
    localPref: a.localPref,
    med: a.med,
    ...(a.originatorId === undefined ? {} : { originatorId: a.originatorId }),
    clusterList: a.clusterList,
    internal: s.internal,
    stale,
    since: seconds(rx.since),
    best,
  };
}
