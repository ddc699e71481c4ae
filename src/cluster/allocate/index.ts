/**
 * Deterministic allocation of what Kubernetes would pick for the user: node addresses,
 * podCIDRs, ClusterIPs, NodePorts, a node for unscheduled pods, and pod addresses (planned
 * with the host-local plugin's own allocator, so there is one implementation). Pure functions
 * of their inputs; the same scenario always gives the same cluster. Imports `addr`,
 * `cluster/objects` and `cni/host-local`.
 */
export * from './free.js';
export * from './addresses.js';
export * from './subnets.js';
export * from './node-ports.js';
export * from './scheduler.js';
export * from './pod-ips.js';
