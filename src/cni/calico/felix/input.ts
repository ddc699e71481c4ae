/**
 * What Felix knows on one node, for one address family, as a structural type: the cluster layer
 * fills it from its objects (IPPools, nodes, pods), and nothing here imports the cluster layer.
 */
import type { Cidr } from '../../../addr/cidr.js';
import type { Ip } from '../../../addr/ip.js';
import type { FelixPolicy, FelixTier } from './policy-model.js';

/** `ipipMode` / `vxlanMode` of an IPPool. */
export type FelixEncapMode = 'Always' | 'CrossSubnet' | 'Never';

/** An IPPool as Felix's masquerade manager sees it. */
export interface FelixPool {
  readonly cidr: Cidr;
  /** In `cali40masq-ipam-pools`, so `cali-nat-outgoing` masquerades traffic from it. */
  readonly natOutgoing: boolean;
  /** Disabled pools still count as pool addresses (they stay in `cali40all-ipam-pools`). */
  readonly disabled: boolean;
  readonly ipipMode: FelixEncapMode;
  readonly vxlanMode: FelixEncapMode;
}

/** A local workload endpoint: the host side of a pod's veth. */
export interface FelixWorkload {
  /** `cali` + 11 hex characters. */
  readonly iface: string;
  readonly ips: readonly Ip[];
  /** The pod's namespace: its profile `kns.<namespace>` (Kubernetes: allow all). */
  readonly namespace: string;
  /** The pod's service account: profile `ksa.<namespace>.<sa>` (default `default`). */
  readonly serviceAccount?: string;
  /** The pod's labels (policy selectors see them, with Calico's own; see `workloadLabels`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Its namespace's labels, which the `kns.<namespace>` profile passes on as `pcns.<key>`. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Its containers' named ports (the named-port ipsets hold `ip,proto:port` for them). */
  readonly ports?: readonly FelixNamedPort[];
}

/** A container port with a name, as the WorkloadEndpoint's `ports` carries it. */
export interface FelixNamedPort {
  readonly name: string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number;
}

/** Felix's input for {@link felixRules}. */
export interface FelixInput {
  readonly nodeName: string;
  readonly family: 4 | 6;
  /** Every Calico node's address of this family (`cali40all-hosts-net`, the IPIP sources). */
  readonly hostIPs: readonly Ip[];
  /** Addresses of the nodes that terminate VXLAN (`cali40all-vxlan-net`). */
  readonly vxlanHostIPs: readonly Ip[];
  readonly pools: readonly FelixPool[];
  /** FelixConfiguration `natOutgoingAddress`: SNAT to it instead of MASQUERADE. */
  readonly natOutgoingAddress?: Ip;
  readonly localWorkloads: readonly FelixWorkload[];
  /** IPIP is on (Felix's `ipipEnabled`, set by calico-node when a pool uses IPIP). IPv4 only. */
  readonly ipipEnabled: boolean;
  /** VXLAN is on for this family (`vxlanEnabled` / `vxlanEnabledV6`). */
  readonly vxlanEnabled: boolean;
  /** This node's tunnel addresses: with them, the tunnel devices get a MASQUERADE rule in cali-POSTROUTING. */
  readonly ipipTunnelAddress?: Ip;
  readonly vxlanTunnelAddress?: Ip;
  /** FelixConfiguration `vxlanPort` (4789). */
  readonly vxlanPort?: number;
  /**
   * The Calico policies in the datastore (converted from Kubernetes NetworkPolicy,
   * AdminNetworkPolicy and BaselineAdminNetworkPolicy by the cluster layer).
   */
  readonly policies?: readonly FelixPolicy[];
  /** The Tier resources (absent: the `default` tier alone, {@link DEFAULT_TIER}). */
  readonly tiers?: readonly FelixTier[];
  /**
   * Every workload endpoint of the cluster, local or not: selector and named-port ipsets hold
   * the addresses of all of them. Absent: the local ones only.
   */
  readonly allWorkloads?: readonly FelixWorkload[];
}

/** The interface prefix Felix polices (InterfacePrefix `cali`). */
export const WORKLOAD_IFACE_PREFIX = 'cali';

/** Default `vxlanPort`. */
export const DEFAULT_VXLAN_PORT = 4789;

/**
 * Felix's mark bits with the default IptablesMarkMask 0xffff0000, allocated lowest first (Calico
 * 3.30 felix/dataplane/driver.go): accept, pass, drop (new in 3.30: a Deny rule sets it, then
 * DROPs on it), two scratch bits.
 */
export const MARKS = {
  accept: 0x10000,
  pass: 0x20000,
  drop: 0x40000,
  scratch0: 0x80000,
  scratch1: 0x100000,
  /** allCalicoMarkBits: accept, pass and the scratch bits (not the drop bit). */
  all: 0x1b0000,
} as const;
