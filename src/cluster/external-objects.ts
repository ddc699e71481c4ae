/**
 * What lies outside the cluster in a scenario: named hosts behind the network's exit and the
 * cloud load balancer in front of LoadBalancer Services (`Cluster.spec.externalHosts`,
 * `spec.loadBalancer`).
 */
import type { Ip } from '../addr/index.js';
import type { SourcePos } from '../diag/diagnostic.js';

/**
 * How the cloud load balancer of a LoadBalancer Service reaches the nodes (for ingress IPs in
 * `ipMode: VIP`): `vip` routes the packet to one node unchanged (GCP, Azure with floating IP,
 * MetalLB); `nodePort` rewrites it to NODE-IP:nodePort, spread over the nodes (an NLB's
 * instance targets), keeping the client's address.
 */
export interface CloudLoadBalancerConfig {
  readonly mode: 'vip' | 'nodePort';
}

/** A named host outside the cluster (`spec.externalHosts[]`): a namespace of its own behind the exit. */
export interface ExternalHost {
  readonly name: string;
  /** One address per family at most (dual-stack hosts have two). */
  readonly addresses: readonly Ip[];
  readonly pos?: SourcePos;
}
