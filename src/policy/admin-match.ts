/**
 * The halves of an AdminNetworkPolicy or BaselineAdminNetworkPolicy rule: does the subject
 * select a pod, does a peer match the other end, does a port entry match the packet. Peers and
 * ports are OR-lists, ANDed together; an absent `ports` matches every port and protocol
 * (AdminNetworkPolicyIngressRule's documentation).
 */
import { cidrContains } from '../addr/index.js';
import type { AdminPeer, AdminPort, AdminSelection } from './admin-api.js';
import type { PolicyPacket } from './match.js';
import { selectorMatches } from './selector.js';
import { type PolicyEndpoint, type PolicyPod, type PolicyWorld, namespaceLabels } from './world.js';

/**
 * A subject (or a `namespaces`/`pods` peer) against a pod: `namespaces` selects every pod of
 * the matching namespaces, `pods` those that also match `podSelector`. Host-networked pods are
 * never selected ("Note that host-networked pods are not included in subject selection").
 */
export function selectionMatches(world: PolicyWorld, sel: AdminSelection, pod: PolicyPod): boolean {
  if (pod.hostNetwork) return false;
  const nsLabels = namespaceLabels(world, pod.namespace);
  if (sel.namespaces !== undefined) return selectorMatches(sel.namespaces, nsLabels);
  return selectorMatches(sel.pods.namespaceSelector, nsLabels) && selectorMatches(sel.pods.podSelector, pod.labels);
}

/**
 * A peer against the other end of the connection. `nodes` matches an address that is an
 * InternalIP of a node whose labels match (a hostNetwork pod carries its node's address, so it
 * matches too); `networks` matches any address in one of its CIDRs, pod or not; `domainNames`
 * matches nothing here (netsim resolves no names).
 */
export function adminPeerMatches(world: PolicyWorld, peer: AdminPeer, other: PolicyEndpoint): boolean {
  if ('networks' in peer) return other.ip !== undefined && peer.networks.some((c) => c.addr.family === other.ip?.family && cidrContains(c, other.ip));
  if ('nodes' in peer) {
    const ip = other.ip;
    if (ip === undefined) return false;
    return (world.nodes ?? []).some((n) => selectorMatches(peer.nodes, n.labels) && n.internalIPs.some((a) => a.family === ip.family && a.value === ip.value));
  }
  if ('domainNames' in peer) return false;
  return other.pod !== undefined && selectionMatches(world, peer, other.pod);
}

/**
 * A port entry against the packet (the destination's port after DNAT). A named port is looked
 * up on the destination pod: it matches a container port of that name whose protocol and
 * number are the packet's. A range is inclusive at both ends.
 */
export function adminPortMatches(entry: AdminPort, packet: PolicyPacket, dstPod: PolicyPod | undefined): boolean {
  if ('portNumber' in entry) return entry.portNumber.protocol === packet.protocol && entry.portNumber.port === packet.port;
  if ('portRange' in entry) return entry.portRange.protocol === packet.protocol && packet.port >= entry.portRange.start && packet.port <= entry.portRange.end;
  if (dstPod === undefined || dstPod.hostNetwork) return false;
  return dstPod.containers.some((c) => c.ports.some((p) => p.name === entry.namedPort && p.protocol === packet.protocol && p.containerPort === packet.port));
}
