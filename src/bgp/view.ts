/**
 * The result's views: each speaker's sessions (`birdc show protocols`, `calicoctl node status`)
 * and its table (view-routes.ts).
 */
import { candidateAttrs } from './rib.js';
import { exportable } from './export.js';
import { type Group, type Session, type Sim, type Speaker, seconds } from './state.js';
import type { SessionView, SpeakerView } from './types.js';
import { RouteTables } from './view-routes.js';

/** The view of every speaker, by name. */
export function speakerViews(sim: Sim): Record<string, SpeakerView> {
  const out: Record<string, SpeakerView> = {};
  const tables = new RouteTables(sim);
  for (const sp of sim.speakers) {
    out[sp.cfg.name] = {
      name: sp.cfg.name,
      kind: sp.cfg.kind,
      routerId: sp.cfg.routerId,
      asNumber: sp.cfg.asNumber,
      running: !sp.dead,
      sessions: sessionViews(sp),
      routes: tables.of(sp),
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
