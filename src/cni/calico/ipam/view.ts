/**
 * What calico-ipam's datastore says, read back for the agents that program routes from it
 * (BIRD's static protocol and Felix's route manager): every block with the node it is affine
 * to and the addresses allocated in it. `calicoctl ipam show --show-blocks` reads the same.
 *
 * The IPAM implementation (./) writes the CRDs into the cluster's API objects; `readIpamView`
 * turns them into this shape. calico-node's route programming only depends on this type.
 */
import type { Cidr } from '../../../addr/cidr.js';
import type { Ip } from '../../../addr/ip.js';

/** One allocated address of a block. */
export interface IpamAllocation {
  readonly ip: Ip;
  /** The node the address is used on (the pod's node, or the node of a tunnel address). */
  readonly node: string;
  /** calico-ipam's handle: `k8s-pod-network.<containerID>`, `ipip-tunnel-addr-<node>`, `vxlan-tunnel-addr-<node>`. */
  readonly handle: string;
  /** `namespace/name` of the pod, for pod addresses. */
  readonly pod?: string;
}

/** One IPAM block (`ipamblocks.crd.projectcalico.org`). */
export interface IpamBlockView {
  readonly cidr: Cidr;
  /** The pool the block was cut from (by name). */
  readonly pool: string;
  /** The node the block is affine to (`affinity: host:<node>`); absent when no node holds it. */
  readonly node?: string;
  /** Allocated addresses in ordinal order. */
  readonly allocations: readonly IpamAllocation[];
}

/** Every block, in the order nodes claimed them. */
export interface CalicoIpamView {
  readonly blocks: readonly IpamBlockView[];
}
