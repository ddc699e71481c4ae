/**
 * The underlay a cluster's nodes sit on (`Cluster.spec.underlay`): L2 networks and the plain Linux
 * routers between them, with their optional BGP daemons. Split from objects.ts by concept.
 *
 * Layer `cluster`: imports `addr` and `diag` only; readonly, structured-cloneable data.
 */
import type { Cidr, Ip } from '../addr/index.js';
import type { SourcePos } from '../diag/diagnostic.js';

/** One L2 segment of the underlay (a rack, a zone, a cloud subnet). */
export interface UnderlayNetwork {
  readonly name: string;
  readonly cidr: Cidr;
  /** What the network carries: the MTU of its switch ports (`ip link set … mtu`); frames larger are dropped silently. */
  readonly mtu: number;
  /**
   * The MTU nodes and routers configure on their interfaces to this network (default `mtu`).
   * Larger than `mtu` models a network with a smaller path MTU than its hosts believe (a cloud
   * or VPN underlay): big frames vanish without an ICMP error.
   */
  readonly interfaceMtu: number;
  readonly pos?: SourcePos;
}

/** A plain Linux router: a namespace with forwarding on, one interface per network it joins. */
export interface UnderlayRouter {
  readonly name: string;
  /** Names of the networks it joins, in order: its `eth0`, `eth1`, … */
  readonly networks: readonly string[];
  /** A BGP daemon runs on it (a ToR peering with Calico nodes). */
  readonly bgp?: UnderlayRouterBgp;
  readonly pos?: SourcePos;
}

/** One configured neighbour of a router's BGP daemon. */
export interface UnderlayRouterBgpPeer {
  readonly peerIP: Ip;
  readonly asNumber: number;
  readonly pos?: SourcePos;
}

/**
 * `routers[].bgp`: the router's BGP daemon. Without `peers` it peers with every other BGP router
 * sharing one of its networks, and accepts every node whose BGPPeer names one of its addresses.
 */
export interface UnderlayRouterBgp {
  readonly asNumber: number;
  /** `router id` (default: its address on its first network). */
  readonly routerID?: Ip;
  readonly peers?: readonly UnderlayRouterBgpPeer[];
  readonly pos?: SourcePos;
}

/** The nodes' networks and the routers between them. */
export interface Underlay {
  readonly networks: readonly UnderlayNetwork[];
  /** In document order; the first one is the exit to the world outside the model. */
  readonly routers: readonly UnderlayRouter[];
}
