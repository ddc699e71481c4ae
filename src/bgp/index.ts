/**
 * Layer `bgp`'s public API: the contract types and the simulation. May import addr, diag, hash,
 * sim and kernel; never cni, proxy, policy or cluster.
 */
export type * from './types.js';
export { runBgp } from './sim.js';
export { compareRoutes, type RouteFacts } from './select.js';
export { filterAccepts } from './export.js';
export { RESTART_DOWNTIME_S } from './failures.js';
export { LATENCY_MS } from './rib.js';
