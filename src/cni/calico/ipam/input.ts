/**
 * What calico-ipam is seeded with, as structural types: the cluster layer's `CalicoIPPool` and
 * `CalicoIPAMConfig` (src/cluster/objects.ts) fit them, and the cni layer may not import the
 * cluster layer (test/architecture/layers.test.ts), not even for types.
 */
import type { Cidr } from '../../../addr/cidr.js';

/** `ipipMode` / `vxlanMode` of an IPPool. */
export type IpamEncapMode = 'Always' | 'CrossSubnet' | 'Never';

/** A Calico `IPPool` (`projectcalico.org/v3` spec, after defaults). */
export interface IpamPoolInput {
  readonly name: string;
  readonly cidr: Cidr;
  /** Prefix length of the pool's blocks (26 for IPv4 and 122 for IPv6 by default). */
  readonly blockSize: number;
  readonly ipipMode: IpamEncapMode;
  readonly vxlanMode: IpamEncapMode;
  readonly natOutgoing: boolean;
  /** Calico selector text; `all()` (or empty) selects every node. */
  readonly nodeSelector: string;
  readonly disabled: boolean;
}

/** Calico's `IPAMConfig` (the `default` object). */
export interface IpamConfigInput {
  readonly strictAffinity: boolean;
  /** 0 = calico-ipam's built-in cap ({@link DEFAULT_MAX_BLOCKS_PER_HOST}). */
  readonly maxBlocksPerHost: number;
}

/** A node as the IPAM sees it: its name and labels (what `nodeSelector` reads). */
export interface IpamNodeInput {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The cap libcalico-go's `autoAssign` applies when neither the request nor the IPAMConfig sets
 * `maxBlocksPerHost`, a guard against a node claiming blocks without end (added to libcalico-go in
 * February 2021; 20 in every release checked, v3.22 to v3.31).
 */
export const DEFAULT_MAX_BLOCKS_PER_HOST = 20;
