/**
 * What the evaluator needs to know about a cluster, as structural types: the cluster layer's
 * Pod and Namespace objects fit them as they are, and tests can write them by hand.
 */
import type { Ip } from '../addr/index.js';
import type { AdminNetworkPolicySpecObject, BaselineAdminNetworkPolicySpecObject } from './admin-api.js';
import type { NetworkPolicySpecObject, PolicyLabels, PolicyProtocol } from './api.js';

/** A Namespace: NetworkPolicy namespace selectors see its labels only. */
export interface PolicyNamespace {
  readonly name: string;
  /** Including `kubernetes.io/metadata.name`, which the API server sets on every namespace. */
  readonly labels: PolicyLabels;
}

/** A container port: named ports in policies resolve against these. */
export interface PolicyContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: PolicyProtocol;
}

/** A Pod as policies see it. */
export interface PolicyPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: PolicyLabels;
  /** NetworkPolicy does not apply to hostNetwork pods: they are never selected, never peers by selector. */
  readonly hostNetwork: boolean;
  readonly containers: readonly { readonly ports: readonly PolicyContainerPort[] }[];
}

/** A Node as an AdminNetworkPolicy `nodes` peer sees it: labels and InternalIP addresses. */
export interface PolicyNode {
  readonly name: string;
  readonly labels: PolicyLabels;
  readonly internalIPs: readonly Ip[];
}

/**
 * The namespaces and the policies (defaults applied) of a cluster. The admin tiers are
 * optional: a world without them is judged by NetworkPolicy alone.
 */
export interface PolicyWorld {
  readonly namespaces: readonly PolicyNamespace[];
  readonly policies: readonly NetworkPolicySpecObject[];
  /** AdminNetworkPolicies, in any order (the evaluator sorts them by priority). */
  readonly adminPolicies?: readonly AdminNetworkPolicySpecObject[];
  /** The BaselineAdminNetworkPolicy `default`, when there is one. */
  readonly baselinePolicy?: BaselineAdminNetworkPolicySpecObject;
  /** Nodes, for egress `nodes` peers (absent: no node matches). */
  readonly nodes?: readonly PolicyNode[];
}

/**
 * One end of a connection: a pod (with the address the packet carries), or an address no pod
 * owns (a node, something outside the cluster), which only ipBlock peers can match. `ip` may
 * be absent for a pod whose address is not known yet; then no ipBlock matches it.
 */
export interface PolicyEndpoint {
  readonly pod?: PolicyPod;
  readonly ip?: Ip;
}

/** `namespace/name`. */
export function podKey(p: { readonly namespace: string; readonly name: string }): string {
  return `${p.namespace}/${p.name}`;
}

/** The labels of namespace `name`: declared, or the one label Kubernetes always sets. */
export function namespaceLabels(world: PolicyWorld, name: string): PolicyLabels {
  return world.namespaces.find((n) => n.name === name)?.labels ?? { [METADATA_NAME_LABEL]: name };
}

/** The label the API server puts on every namespace (GA in Kubernetes 1.22), immutable. */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
