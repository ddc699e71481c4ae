/**
 * What kube-router's network policy controller reads from its informers, as structural types:
 * the cluster layer fills them from its objects; nothing here imports the cluster layer.
 */
import type { Cidr, Ip } from '../../addr/index.js';
import type { NetworkPolicySpecObject } from '../api.js';
import type { PolicyNamespace, PolicyPod } from '../world.js';

/** A pod as the pod lister gives it: its spec's labels and ports, its status' node and IPs. */
export interface KrPod extends PolicyPod {
  /** `spec.nodeName` (kube-router compares `status.hostIP` with its node's addresses: the same thing). */
  readonly nodeName: string;
  /** `status.podIPs`, in order; the first is `status.podIP`. Empty while the pod has none. */
  readonly ips: readonly Ip[];
}

/** kube-router's input for one node and one family. */
export interface KubeRouterInput {
  readonly nodeName: string;
  readonly family: 4 | 6;
  /** Every pod of the cluster, in the lister's order. */
  readonly pods: readonly KrPod[];
  /** Every namespace, with its labels. */
  readonly namespaces: readonly PolicyNamespace[];
  /** Every NetworkPolicy, in the lister's order, defaults applied. */
  readonly policies: readonly NetworkPolicySpecObject[];
  /** `--service-cluster-ip-range` (every family; each goes to its own family's chain). */
  readonly serviceClusterIPRanges: readonly Cidr[];
  /** `--service-node-port-range`, as validateNodePortRange leaves it (`30000:32767`). */
  readonly nodePortRange: string;
  /**
   * The sync's version, hashed into the pod and policy chain names: kube-router uses the sync's
   * start time in Unix nanoseconds; the cluster layer passes the simulated time instead.
   */
  readonly syncVersion: string;
}

/** kube-router's default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE = '30000:32767';

/**
 * isNetPolActionable: a pod that has an address and is not hostNetwork (finished pods are not
 * modelled). Only these are selected, become peers or get a firewall chain.
 */
export function isActionable(pod: KrPod): boolean {
  return !pod.hostNetwork && pod.ips.length > 0;
}

/** The pod's first address of `family` (getPodIPForFamily), or undefined. */
export function podIpOf(pod: KrPod, family: 4 | 6): Ip | undefined {
  return pod.ips.find((ip) => ip.family === family);
}
