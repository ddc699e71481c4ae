/**
 * Does a peer match the other end of a connection, does a port entry match the packet: the two
 * halves of a rule. Peers and ports are OR-lists within a rule and the two lists are ANDed
 * (NetworkPolicyIngressRule's documentation); an empty list matches everything.
 */
import { cidrContains, type Ip } from '../addr/index.js';
import type { IPBlock, NetworkPolicyPeer, NetworkPolicyPort, PolicyProtocol } from './api.js';
import { selectorMatches } from './selector.js';
import { type PolicyEndpoint, type PolicyPod, type PolicyWorld, namespaceLabels } from './world.js';

/** The packet's L4 destination as policy sees it: after DNAT, so the container's port. */
export interface PolicyPacket {
  readonly protocol: PolicyProtocol;
  readonly port: number;
}

/**
 * A peer against the other end, for a policy of namespace `policyNs`. Selectors match pods
 * only, never hostNetwork pods (they have no workload endpoint: Calico sees node traffic). An
 * absent namespaceSelector means the policy's namespace; an absent podSelector beside a
 * namespaceSelector means every pod there. ipBlock matches the address, pod or not (Calico
 * renders it as `nets`, which match any source or destination address).
 */
export function peerMatches(world: PolicyWorld, policyNs: string, peer: NetworkPolicyPeer, other: PolicyEndpoint): boolean {
  if (peer.ipBlock !== undefined) return other.ip !== undefined && ipBlockContains(peer.ipBlock, other.ip);
  const pod = other.pod;
  if (pod === undefined || pod.hostNetwork) return false;
  if (peer.namespaceSelector === undefined) {
    return pod.namespace === policyNs && peer.podSelector !== undefined && selectorMatches(peer.podSelector, pod.labels);
  }
  if (!selectorMatches(peer.namespaceSelector, namespaceLabels(world, pod.namespace))) return false;
  return peer.podSelector === undefined || selectorMatches(peer.podSelector, pod.labels);
}

/** In `cidr` and in no `except` (an address of the other family is in neither). */
export function ipBlockContains(block: IPBlock, ip: Ip): boolean {
  if (block.cidr.addr.family !== ip.family || !cidrContains(block.cidr, ip)) return false;
  return !block.except.some((e) => e.addr.family === ip.family && cidrContains(e, ip));
}

/**
 * A port entry against the packet. A named port is looked up on the destination pod (for
 * egress rules too): it matches when that pod declares a container port of that name and of
 * the entry's protocol whose number is the packet's port. `endPort` makes an inclusive range.
 */
export function portMatches(entry: NetworkPolicyPort, packet: PolicyPacket, dstPod: PolicyPod | undefined): boolean {
  if (entry.protocol !== packet.protocol) return false;
  const port = entry.port;
  if (port === undefined) return true;
  if (typeof port === 'number') return entry.endPort === undefined ? packet.port === port : packet.port >= port && packet.port <= entry.endPort;
  if (dstPod === undefined || dstPod.hostNetwork) return false;
  return dstPod.containers.some((c) => c.ports.some((p) => p.name === port && p.protocol === entry.protocol && p.containerPort === packet.port));
}
