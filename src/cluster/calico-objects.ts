/**
 * Calico's objects as netsim reads them from a scenario (IPPool, IPAMConfig,
 * FelixConfiguration, and the `cni: {type: calico}` options), after defaults.
 *
 * Layer `cluster`, beside objects.ts (which re-exports these): imports `addr` and `diag` only.
 */
import type { Cidr, Ip } from '../addr/index.js';
import type { SourcePos } from '../diag/diagnostic.js';

/** `ipipMode` / `vxlanMode` of a Calico IPPool (`Always|CrossSubnet|Never`). */
export type CalicoEncapMode = 'Always' | 'CrossSubnet' | 'Never';

/**
 * A Calico `IPPool` (`projectcalico.org/v3`, or its `crd.projectcalico.org/v1` spelling), after
 * defaults: the calico.yaml manifest's `CALICO_IPV4POOL_*` when the scenario has no pool.
 */
export interface CalicoIPPool {
  readonly name: string;
  readonly cidr: Cidr;
  /** Prefix length of the blocks nodes claim (default 26 for IPv4, 122 for IPv6). */
  readonly blockSize: number;
  readonly ipipMode: CalicoEncapMode;
  readonly vxlanMode: CalicoEncapMode;
  /** Masquerade traffic from this pool to destinations outside every pool (`cali-nat-outgoing`). */
  readonly natOutgoing: boolean;
  /** Calico selector text choosing the nodes that may claim blocks (`all()` by default). */
  readonly nodeSelector: string;
  /** No new blocks are claimed from a disabled pool; its addresses stay in `cali40all-ipam-pools`. */
  readonly disabled: boolean;
  readonly pos?: SourcePos;
}

/** Calico's `IPAMConfig` (the `default` object): how calico-ipam may allocate. */
export interface CalicoIPAMConfig {
  /** A node may only use blocks affine to it: no borrowing from another node's block. */
  readonly strictAffinity: boolean;
  /** Most blocks one node may claim; 0 means calico-ipam's built-in cap of 20 (libcalico-go autoAssign's safeguard since v3.19). Reaching it is an error, even without strictAffinity. */
  readonly maxBlocksPerHost: number;
  readonly pos?: SourcePos;
}

/** Calico's `FelixConfiguration` (the `default` object): the fields that change the datapath. */
export interface CalicoFelixConfig {
  /** `natOutgoingAddress`: SNAT natOutgoing traffic to this address instead of MASQUERADE. */
  readonly natOutgoingAddress?: Ip;
  readonly pos?: SourcePos;
}

/**
 * calico.yaml's `calico_backend`: which daemons calico-node runs besides Felix. `bird` (the
 * default) runs BIRD and confd (BGP); `vxlan` and `none` run no BGP at all, so IPIP pools (whose
 * routes only BIRD programs) cannot work and the BGP objects have no effect.
 */
export type CalicoBackend = 'bird' | 'vxlan' | 'none';

/**
 * Calico's `BGPConfiguration` (the `default` object), after libcalico-go's defaults: what confd
 * reads as `/bgp/v1/global/*`.
 */
export interface CalicoBgpConfiguration {
  /** `nodeToNodeMeshEnabled` (default true): every node peers with every other (`Mesh_<ip>`). */
  readonly nodeToNodeMeshEnabled: boolean;
  /** `asNumber`: the AS of every node without its own `spec.bgp.asNumber` (default 64512). */
  readonly asNumber: number;
  /** `serviceClusterIPs[].cidr`: advertised from every node (static blackholes, kept out of the kernel). */
  readonly serviceClusterIPs: readonly Cidr[];
  /** `serviceExternalIPs[].cidr`. */
  readonly serviceExternalIPs: readonly Cidr[];
  /** `serviceLoadBalancerIPs[].cidr`. */
  readonly serviceLoadBalancerIPs: readonly Cidr[];
  /** `nodeMeshMaxRestartTime` in seconds: the mesh sessions' `graceful restart time` (BIRD's 120 when absent). */
  readonly nodeMeshMaxRestartTime?: number;
  /** `listenPort` (BIRD's 179 when absent): `listen bgp port`, and the port of every session to a node. */
  readonly listenPort?: number;
  readonly pos?: SourcePos;
}

/** `BGPPeer.spec.nextHopMode`: Auto (BGP's rules), Self (`next hop self`) or Keep (`next hop keep`). */
export type CalicoNextHopMode = 'Auto' | 'Self' | 'Keep';

/**
 * A Calico `BGPPeer`: which nodes (`node`, `nodeSelector`, or all when neither) peer with what
 * (`peerIP` with `asNumber`, or the nodes `peerSelector` selects). confd's `updatePeersV1`
 * turns these into `Global_<ip>` and `Node_<ip>` sessions (calico-confd.ts).
 */
export interface CalicoBgpPeer {
  readonly name: string;
  /** `node`: only this node peers. */
  readonly node?: string;
  /** `nodeSelector`: the nodes that peer (Calico selector text). */
  readonly nodeSelector?: string;
  /** `peerIP` (its address; `[ip]:port` or `ip:port` gives `port`). */
  readonly peerIP?: Ip;
  readonly port?: number;
  /** `peerSelector`: the peers are the selected nodes, each at its own address and AS. */
  readonly peerSelector?: string;
  /** `asNumber` of the peer (with `peerIP`); 0 when not set. */
  readonly asNumber: number;
  /** `localASNumber`: the AS the nodes present to this peer instead of their own. */
  readonly localASNumber?: number;
  /** `keepOriginalNextHop`: `next hop keep` towards an eBGP peer. */
  readonly keepOriginalNextHop: boolean;
  readonly nextHopMode?: CalicoNextHopMode;
  /** `sourceAddress` (default UseNodeIP): `source address <node IP>`, or none (the kernel picks it). */
  readonly sourceAddress: 'UseNodeIP' | 'None';
  /** `maxRestartTime` in seconds: `graceful restart time`. */
  readonly maxRestartTime?: number;
  /** `keepaliveTime` in seconds: `keepalive time`. */
  readonly keepaliveTime?: number;
  /** `numAllowedLocalASNumbers`: `allow local as N` (accept routes whose AS path holds the own AS up to N times). */
  readonly numAllowedLocalASNumbers?: number;
  /** `reversePeering` (default Auto): confd adds the peer nodes' side of a peering to nodes. */
  readonly reversePeering: 'Auto' | 'Manual';
  readonly pos?: SourcePos;
}

/**
 * A Calico `Node` (`projectcalico.org/v3` kind Node): the BGP settings of one cluster node
 * (calico-node autodetects them when there is no such document) and the labels BGPPeer
 * selectors see (the loader merges them into the node's labels).
 */
export interface CalicoNodeBgp {
  /** The cluster node it belongs to (`metadata.name`). */
  readonly name: string;
  /** `spec.bgp.ipv4Address` (address with its subnet, `192.168.1.11/24`): the BGP address and `network_v4`. */
  readonly ipv4Address?: Cidr;
  readonly ipv6Address?: Cidr;
  /** `spec.bgp.asNumber`: this node's AS instead of the BGPConfiguration's. */
  readonly asNumber?: number;
  /** `spec.bgp.routeReflectorClusterID`: the node is a route reflector of this cluster. */
  readonly routeReflectorClusterID?: Ip;
  readonly pos?: SourcePos;
}

/** Calico's BGP objects, as confd reads them. */
export interface CalicoBgpObjects {
  readonly configuration: CalicoBgpConfiguration;
  /** Every BGPPeer, in document order (confd sorts them by name, as the datastore lists them). */
  readonly peers: readonly CalicoBgpPeer[];
  /** Calico Node documents, in document order (one per cluster node at most). */
  readonly nodes: readonly CalicoNodeBgp[];
}

/**
 * Calico: calico-node (Felix, and BIRD's routes as a converged mesh would program them) on
 * every node plus the `calico` CNI plugin with `calico-ipam`, as calico.yaml deploys it. Pools,
 * IPAMConfig and FelixConfiguration come from their own documents in the scenario.
 */
export interface CalicoCniConfig {
  readonly type: 'calico';
  /** `veth_mtu`; `auto` is calico-node's: the host MTU minus the enabled encapsulation's overhead. */
  readonly mtu: number | 'auto';
  /** Every pool, in document order (the manifest's default pool when the scenario has none). */
  readonly ipPools: readonly CalicoIPPool[];
  readonly ipam: CalicoIPAMConfig;
  readonly felix: CalicoFelixConfig;
  /** `calico_backend` (absent: `bird`). */
  readonly backend?: CalicoBackend;
  /** BGPConfiguration, BGPPeers and Calico Nodes (absent: the defaults, no peers, no Node documents). */
  readonly bgp?: CalicoBgpObjects;
}
