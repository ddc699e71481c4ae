/**
 * Best-path selection as BIRD 2 does it: `rte_better` (nest/rt-table.c) compares the protocol
 * preference first (static 200 > BGP 100 > kernel 10), then, between BGP routes,
 * `bgp_rte_better` (proto/bgp/attrs.c) applies RFC 4271 §9.1.2.2 with RFC 4456's additions:
 * local preference, AS path length, origin, MED (only between routes from the same
 * neighbouring AS, BIRD's default without `med metric`), eBGP over iBGP, (IGP metric: equal
 * here, not modelled), the BGP identifier (ORIGINATOR_ID when reflected), the CLUSTER_LIST
 * length, and finally the neighbour address.
 */
import { type Ip, ipCompare } from '../addr/index.js';
import type { Origin } from './state.js';

/** What the selection looks at in one candidate. */
export interface RouteFacts {
  readonly preference: number;
  readonly localPref: number;
  readonly asPathLength: number;
  readonly origin: Origin;
  readonly med: number;
  /** The neighbouring AS (first AS of the path, or the speaker's own AS for an empty path). */
  readonly neighbourAs: number;
  /** Learned over iBGP. */
  readonly internal: boolean;
  /** The BGP identifier compared: ORIGINATOR_ID if present, else the peer's router id; absent for own routes. */
  readonly bgpId: Ip | undefined;
  readonly clusterListLength: number;
  /** The peer it came from; absent for own routes. */
  readonly neighbour: Ip | undefined;
  /** The protocol name, a last deterministic tiebreak between own routes. */
  readonly protocol: string;
}

const ORIGIN_RANK: Readonly<Record<Origin, number>> = { IGP: 0, EGP: 1, Incomplete: 2 };

/** Negative when `a` is better than `b`, positive when worse, 0 when indistinguishable. */
export function compareRoutes(a: RouteFacts, b: RouteFacts): number {
  if (a.preference !== b.preference) return b.preference - a.preference;
  // Own routes (static/kernel) of equal preference: BIRD keeps the older; we order by name.
  if (a.neighbour === undefined || b.neighbour === undefined) return cmpOptional(a.neighbour, b.neighbour) || cmpStr(a.protocol, b.protocol);
  if (a.localPref !== b.localPref) return b.localPref - a.localPref;
  if (a.asPathLength !== b.asPathLength) return a.asPathLength - b.asPathLength;
  if (a.origin !== b.origin) return ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin];
  if (a.neighbourAs === b.neighbourAs && a.med !== b.med) return a.med - b.med;
  if (a.internal !== b.internal) return a.internal ? 1 : -1;
  const id = cmpOptional(a.bgpId, b.bgpId);
  if (id !== 0) return id;
  if (a.clusterListLength !== b.clusterListLength) return a.clusterListLength - b.clusterListLength;
  return ipCompare(a.neighbour, b.neighbour) || cmpStr(a.protocol, b.protocol);
}

function cmpOptional(a: Ip | undefined, b: Ip | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return ipCompare(a, b);
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
