/**
 * Deterministic allocation of what Kubernetes would pick for the user: node addresses,
 * podCIDRs, ClusterIPs, NodePorts, a node for unscheduled pods, and pod addresses
 * (host-local). Pure functions of their inputs; the same scenario always gives the same
 * cluster. Imports `addr` and `cluster/objects` only.
 */
export * from './free.js';
export * from './addresses.js';
export * from './subnets.js';
export * from './node-ports.js';
export * from './scheduler.js';
export * from './host-local.js';
export * from './pod-ips.js';
