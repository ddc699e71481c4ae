/**
 * Layer `render/dot`: Graphviz pictures of a built cluster. Reads the model (cluster, kernel,
 * trace), never changes it, touches no file or process. Views:
 * - cluster (cluster.ts, cluster-model.ts, wiring.ts, tunnels.ts, ipam-blocks.ts): nodes, pods, devices,
 *   overlay tunnels read from the routes, IPAM blocks (calico-ipam), the node network, Services;
 * - trace overlay (trace-overlay.ts): a round trip drawn over the cluster view;
 * - node (node.ts): one node's namespaces, interfaces and routes;
 * - chains (chains.ts): one node's iptables jump graph;
 * - bgp (bgp.ts): the BGP speakers and their sessions, coloured by state, failures marked.
 * Invariant: output is deterministic (model order, sorted where the model has none, no time, no
 * randomness); every name goes through dot.ts's quoting. svg.ts lays DOT out with Graphviz-wasm.
 */
export { DEFAULT_MAX_PODS_PER_NODE, clusterDot, type ClusterDotOptions } from './cluster.js';
export { chainsDot } from './chains.js';
export { BGP_STATE_COLOURS, type BgpPicture, bgpDot } from './bgp.js';
export { nodeDot } from './node.js';
export { dotToSvg } from './svg.js';
export type { TraceOverlay } from './trace-overlay.js';
