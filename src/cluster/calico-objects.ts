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
}
