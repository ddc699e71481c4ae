/**
 * A speaker's table as `birdc show route all` lists it: every candidate, sorted by prefix, the
 * best first, then the others in selection order.
 *
 * Views of received routes are shared: candidates that agree on everything shown (the same
 * UPDATE object from the same protocol name and peer, the same best/stale marks — every client
 * of a route reflector) are one object, so a large design's result holds one pointer per
 * candidate, not one object. Built without per-prefix garbage: the 5,000-node RR design lists
 * 50 million candidates.
 */
import { ipCompare } from '../addr/index.js';
import { candidateRx, compareCandidates } from './rib.js';
import { type LocalRoute, type Rx, type Session, type Sim, type Speaker, seconds } from './state.js';
import type { BgpRouteView } from './types.js';

/** Above this many sessions, candidates are gathered per session rather than per prefix. */
const MANY_SESSIONS = 16;

/** Builds the route views of the speakers of one finished run. */
export class RouteTables {
  /** Prefix ids in prefix order (family, address, length), and each id's position in it. */
  private readonly order: number[];
  private readonly rank: Int32Array;
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly cache = new ViewCache();

  constructor(sim: Sim) {
    const n = sim.prefixes.size;
    this.order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const x = sim.prefixes.get(a);
      const y = sim.prefixes.get(b);
      return ipCompare(x.addr, y.addr) || x.prefix - y.prefix;
    });
    this.rank = new Int32Array(n);
    this.order.forEach((id, i) => (this.rank[id] = i));
    this.mark = new Int32Array(n);
  }

  /** The table of `sp`. */
  of(sp: Speaker): BgpRouteView[] {
    const many = sp.sessions.length > MANY_SESSIONS ? candidatesByPrefix(sp) : undefined;
    const out: BgpRouteView[] = [];
    for (const id of this.prefixesOf(sp)) {
      const cands = many?.get(id) ?? candidatesOf(sp, id);
      for (let i = 1; i < cands.length; i++) {
        const c = cands[i]!;
        let j = i - 1;
        while (j >= 0 && compareCandidates(sp, c, cands[j]!, id) < 0) {
          cands[j + 1] = cands[j]!;
          j--;
        }
        cands[j + 1] = c;
      }
      const best = sp.best.get(id);
      for (const c of cands) out.push(c.kind === 'local' ? localView(c, c === best) : this.cache.bgp(c, id, c === best));
    }
    return out;
  }

  /** The prefix ids `sp` has a candidate for, in prefix order. */
  private prefixesOf(sp: Speaker): number[] {
    const stamp = ++this.stamp;
    const mark = this.mark;
    const ids: number[] = [];
    const visit = (id: number) => {
      if (mark[id] === stamp) return;
      mark[id] = stamp;
      ids.push(id);
    };
    for (const id of sp.local.keys()) visit(id);
    for (const s of sp.sessions) {
      for (const id of s.rib.keys()) visit(id);
      if (s.stale !== undefined) for (const id of s.stale.keys()) visit(id);
    }
    // Most prefixes present: walk the global order instead of sorting.
    if (ids.length * 8 > this.order.length) return this.order.filter((id) => mark[id] === stamp);
    const rank = this.rank;
    return ids.sort((a, b) => rank[a]! - rank[b]!);
  }
}

function candidatesOf(sp: Speaker, prefixId: number): (Session | LocalRoute)[] {
  const out: (Session | LocalRoute)[] = [...(sp.local.get(prefixId) ?? [])];
  for (const s of sp.sessions) if (candidateRx(s, prefixId) !== undefined) out.push(s);
  return out;
}

/** Each prefix's candidates gathered in one pass over the RIBs (a speaker with many sessions: a route reflector). */
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
