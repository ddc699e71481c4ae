/**
 * What a speaker sends to which peer (BIRD's `bgp_preexport` + the export filter +
 * `bgp_update_attrs`, proto/bgp/attrs.c), decided per update group (state.ts: sessions that
 * export identically).
 *
 * - The speaker's export filter (Calico's `calico_export_to_bgp_peers`): first matching term,
 *   no match = reject.
 * - iBGP split horizon: a route learned over iBGP goes to iBGP peers only from a route
 *   reflector (RFC 4456): from a client to every peer, from a non-client to clients only.
 * - A route is never sent back to the session it came from (applied at delivery, entry `from`).
 * - eBGP: the local AS is prepended, the next hop is our source address unless `next hop keep`;
 *   LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are not sent, MED only for our own routes.
 * - iBGP: the next hop stays for learned routes and is our source address for our own ones
 *   (they have no BGP next hop), or always with `next hop self`; reflection sets ORIGINATOR_ID
 *   (first reflector) and prepends the cluster id to CLUSTER_LIST.
 */
import { type Cidr, cidrContains } from '../addr/index.js';
import type { PrefixRule } from './types.js';
import type { Attrs, Group, LocalRoute, Session, Speaker } from './state.js';

/** Whether `prefix` passes a BIRD export filter made of `rules` (first match; none = reject). */
export function filterAccepts(rules: readonly PrefixRule[], prefix: Cidr): boolean {
  for (const r of rules) {
    if (r.cidr.addr.family !== prefix.addr.family) continue;
    const hit = r.match === 'exact' ? r.cidr.prefix === prefix.prefix && cidrContains(r.cidr, prefix.addr) : prefix.prefix >= r.cidr.prefix && cidrContains(r.cidr, prefix.addr);
    if (hit) return r.action === 'accept';
  }
  return false;
}

/** Per-speaker memo of the export filter's verdict by prefix id (the filter only looks at the prefix). */
const filterMemo = new WeakMap<Speaker, Map<number, boolean>>();

function speakerFilter(sp: Speaker, attrs: Attrs): boolean {
  let memo = filterMemo.get(sp);
  if (memo === undefined) filterMemo.set(sp, (memo = new Map()));
  let ok = memo.get(attrs.prefixId);
  if (ok === undefined) memo.set(attrs.prefixId, (ok = filterAccepts(sp.cfg.exportRules, attrs.prefix)));
  return ok;
}

/** Whether the winning candidate `cand` may be sent over the sessions of `group`. */
export function exportable(group: Group, cand: Session | LocalRoute, attrs: Attrs): boolean {
  const to = group.proto;
  if (attrs.prefix.addr.family !== to.family) return false;
  if (cand.kind === 'session' && cand.internal && to.internal) {
    if (group.speaker.cfg.rrClusterId === undefined) return false;
    if (!cand.cfg.rrClient && !to.cfg.rrClient) return false;
  }
  return speakerFilter(group.speaker, attrs);
}

/**
 * eBGP keeps the received next hop with `next hop keep`, or — BIRD's `bgp_use_next_hop` — when
 * the route is passed between two single-hop sessions on the same interface (a third-party
 * next hop: the ToR hands one rack node's route to another with the node as next hop). The
 * interface is not known here; the same local (source) address stands for it.
 */
function keepsNextHop(to: Session, cand: Session | LocalRoute, attrs: Attrs): boolean {
  if (attrs.nextHop === undefined || to.cfg.nextHopSelf) return false;
  if (to.cfg.nextHopKeep) return true;
  return cand.kind === 'session' && !cand.cfg.multihop && !to.cfg.multihop && to.src !== undefined && cand.src !== undefined && to.src.value === cand.src.value && to.src.family === cand.src.family;
}

/** The attributes `cand` is sent with over the sessions of `group` (call after {@link exportable}). */
export function exportAttrs(group: Group, cand: Session | LocalRoute, attrs: Attrs): Attrs {
  const to = group.proto;
  const own = cand.kind === 'local';
  if (!to.internal) {
    return {
      prefixId: attrs.prefixId,
      prefix: attrs.prefix,
      nextHop: keepsNextHop(to, cand, attrs) ? attrs.nextHop : to.src,
      asPath: [to.cfg.localAs, ...attrs.asPath],
      origin: attrs.origin,
      localPref: 100,
      med: own ? attrs.med : 0,
      originatorId: undefined,
      clusterList: [],
    };
  }
  const nextHop = to.cfg.nextHopSelf || own || attrs.nextHop === undefined ? to.src : attrs.nextHop;
  const reflected = cand.kind === 'session' && cand.internal;
  const clusterId = group.speaker.cfg.rrClusterId;
  if (!reflected || clusterId === undefined) {
    if (nextHop === attrs.nextHop) return attrs;
    return { ...attrs, nextHop };
  }
  return {
    ...attrs,
    nextHop,
    originatorId: attrs.originatorId ?? cand.peerRouterId,
    clusterList: [clusterId, ...attrs.clusterList],
  };
}
