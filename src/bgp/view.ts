/**
 * The result's views: each speaker's sessions (`birdc show protocols`, `calicoctl node status`)
 * and its table with every candidate (`birdc show route all`), sorted by prefix, best first.
 *
 * Views of received routes are shared: candidates that agree on everything shown (the same
 * UPDATE object from the same protocol name and peer, the same best/stale marks — every client
 * of a route reflector) are one object, so a large design's result stays linear in UPDATEs.
 */
import { type Cidr, ipCompare } from '../addr/index.js';
import { compareRoutes } from './select.js';
import { candidateAttrs, candidateRx, candidatesOf, factsOf } from './rib.js';
import { exportable } from './export.js';
import { type LocalRoute, type Rx, type Session, type Sim, type Speaker, seconds } from './state.js';
import type { BgpRouteView, SessionView, SpeakerView } from './types.js';

/** The view of every speaker, by name. */
export function speakerViews(sim: Sim): Record<string, SpeakerView> {
  const out: Record<string, SpeakerView> = {};
  const cache = new ViewCache();
  for (const sp of sim.speakers) {
    out[sp.cfg.name] = {
      name: sp.cfg.name,
      kind: sp.cfg.kind,
      routerId: sp.cfg.routerId,
      asNumber: sp.cfg.asNumber,
      running: !sp.dead,
      sessions: sp.sessions.map((s) => sessionView(sp, s)),
      routes: routeViews(sim, sp, cache),
    };
  }
  return out;
}

function sessionView(sp: Speaker, s: Session): SessionView {
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
    exported: up ? countExported(sp, s) : 0,
  };
}

function countExported(sp: Speaker, s: Session): number {
  let n = 0;
  for (const [prefixId, cand] of sp.best) {
    if (cand === s) continue;
    const attrs = candidateAttrs(cand, prefixId);
    if (attrs !== undefined && exportable(s.group, cand, attrs)) n++;
  }
  return n;
}

function prefixOrder(a: Cidr, b: Cidr): number {
  return ipCompare(a.addr, b.addr) || a.prefix - b.prefix;
}

function routeViews(sim: Sim, sp: Speaker, cache: ViewCache): BgpRouteView[] {
  const ids = new Set<number>(sp.local.keys());
  for (const s of sp.sessions) {
    for (const id of s.rib.keys()) ids.add(id);
    if (s.stale !== undefined) for (const id of s.stale.keys()) ids.add(id);
  }
  const sorted = [...ids].sort((a, b) => prefixOrder(sim.prefixes.get(a), sim.prefixes.get(b)));
  const out: BgpRouteView[] = [];
  for (const id of sorted) {
    const cands = candidatesOf(sp, id);
    const facts = new Map(cands.map((c) => [c, factsOf(sp, c, candidateAttrs(c, id)!)]));
    cands.sort((a, b) => compareRoutes(facts.get(a)!, facts.get(b)!));
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
  private readonly bySession = new WeakMap<Session, number>();
  private readonly views = new WeakMap<Rx, Map<number, BgpRouteView>>();

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
