/**
 * How netsim names the namespaces it builds, and how hops are labelled for people. A node's
 * namespace is the node's name; a pod's is `NAMESPACE.NAME` (a Kubernetes namespace cannot
 * contain a dot, so this never collides between pods); the node network is a hidden segment.
 * With an underlay, each network's segment and each router are named after them.
 */
import type { Pod } from '../objects.js';

/** The hidden namespace holding the node network's L2 segment. */
export const NODE_SEGMENT = 'node-network';

/** The node network's default gateway (a router with nothing modelled behind it). */
export const NODE_GATEWAY = 'gateway';

/** The namespace of a pod (hostNetwork pods live in their node's). */
export function podNetnsName(pod: Pick<Pod, 'namespace' | 'name' | 'hostNetwork' | 'nodeName'>): string {
  return pod.hostNetwork ? pod.nodeName : `${pod.namespace}.${pod.name}`;
}

/** What a namespace is, for trace output (`node node-1`, `pod default/pod-a`). */
export interface NetnsOwner {
  readonly kind: 'node' | 'pod' | 'segment' | 'gateway' | 'router' | 'external';
  readonly name: string;
  /** For a pod: its node. */
  readonly node?: string;
}

/** A label for a hop: `node node-1`, `pod default/pod-a (node-1)`. */
export function ownerLabel(owner: NetnsOwner | undefined, ns: string): string {
  if (owner === undefined) return `netns ${ns}`;
  if (owner.kind === 'pod') return `pod ${owner.name}${owner.node !== undefined ? ` on ${owner.node}` : ''}`;
  if (owner.kind === 'segment') return owner.name === NODE_SEGMENT ? 'node network' : `network ${owner.name}`;
  if (owner.kind === 'router') return `router ${owner.name}`;
  if (owner.kind === 'gateway') return 'default gateway of the node network';
  if (owner.kind === 'external') return `external host ${owner.name}`;
  return `node ${owner.name}`;
}
