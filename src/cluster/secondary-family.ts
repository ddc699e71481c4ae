import type { Cidr } from '../addr/index.js';

/** A dual-stack cluster's networks of its second family (kube-controller-manager and API server flags' second entries). */
export interface SecondaryFamily {
  readonly clusterCIDR: Cidr;
  readonly serviceCIDR: Cidr;
  readonly nodeNetwork: Cidr;
  /** `--node-cidr-mask-size-ipv4` / `-ipv6` for this family. */
  readonly nodeCIDRMaskSize: number;
}
