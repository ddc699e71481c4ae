/**
 * Controllers: what kube-controller-manager derives from the objects a user writes. Today the
 * EndpointSlice controller (Services + pods → slices). Pure functions; imports `addr` and
 * `cluster/objects` only.
 */
export * from './selector.js';
export * from './ports.js';
export * from './endpoint-slice.js';
export * from './traffic-dist.js';
export * from './placement.js';
export * from './workload-names.js';
export * from './workloads.js';
