/**
 * The `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy (ANP) and
 * BaselineAdminNetworkPolicy (BANP) APIs (kubernetes-sigs/network-policy-api,
 * apis/v1alpha1/{adminnetworkpolicy,baselineadminnetworkpolicy,shared}_types.go) as plain,
 * validated data, with the API's field names (`subject`, `priority`, `action`, `portNumber`,
 * `portRange`, `namedPort`, `networks`, `nodes`).
 *
 * Both kinds are cluster-scoped. An ANP has a priority (0–1000, lower first) and ordered rules
 * whose action is Allow, Deny or Pass; the single BANP (named `default`) has ordered Allow/Deny
 * rules and is consulted only when neither an ANP nor a NetworkPolicy decided.
 */
import type { Cidr } from '../addr/index.js';
import type { LabelSelector, PolicyProtocol } from './api.js';

/** `AdminNetworkPolicyRuleAction`; a BANP rule is never `Pass` (its enum is Allow, Deny). */
export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/** `NamespacedPod`: pods matching `podSelector` in namespaces matching `namespaceSelector`. */
export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/**
 * `AdminNetworkPolicySubject`, also a peer's shape: exactly one of `namespaces` (every pod of
 * the namespaces) or `pods`. Host-networked pods are never selected.
 */
export type AdminSelection =
  | { readonly namespaces: LabelSelector; readonly pods?: never }
  | { readonly pods: NamespacedPod; readonly namespaces?: never };

/**
 * `AdminNetworkPolicyEgressPeer` (an ingress peer is one of the first two): pods by namespace
 * or by namespace and pod, `nodes` (the nodes' addresses, by node labels), `networks` (up to 25
 * CIDRs, any address), or `domainNames`, which netsim does not resolve: such a peer matches
 * nothing (the loader warns).
 */
export type AdminPeer =
  | AdminSelection
  | { readonly nodes: LabelSelector }
  | { readonly networks: readonly Cidr[] }
  | { readonly domainNames: readonly string[] };

/**
 * `AdminNetworkPolicyPort`: exactly one of a port number, a named port (looked up on the
 * destination pod), or an inclusive range. Protocols are already defaulted to TCP.
 */
export type AdminPort =
  | { readonly portNumber: { readonly protocol: PolicyProtocol; readonly port: number } }
  | { readonly namedPort: string }
  | { readonly portRange: { readonly protocol: PolicyProtocol; readonly start: number; readonly end: number } };

/**
 * An ingress or egress rule of either kind: `peers` is `from` (ingress) or `to` (egress), never
 * empty; an absent `ports` (undefined) matches every port and protocol.
 */
export interface AdminRule {
  readonly name: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  readonly ports?: readonly AdminPort[];
}

/** An AdminNetworkPolicy: cluster-scoped, so a name and no namespace. */
export interface AdminNetworkPolicySpecObject {
  readonly name: string;
  /** 0–1000; lower numbers are checked first. */
  readonly priority: number;
  readonly subject: AdminSelection;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

/** The BaselineAdminNetworkPolicy (`metadata.name` is always `default`); rules are Allow or Deny. */
export interface BaselineAdminNetworkPolicySpecObject {
  readonly name: string;
  readonly subject: AdminSelection;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

/** The API's bounds, shared by the loader and the tests (kubebuilder markers in the types). */
export const ADMIN_LIMITS = { minPriority: 0, maxPriority: 1000, maxRules: 100, maxPeers: 100, maxPorts: 100, maxNetworks: 25, maxRuleName: 100 } as const;

/**
 * The order ANPs are checked in: by priority, then by name. The API leaves two policies of one
 * priority in an unspecified order; Calico orders policies of one tier by `order`, then by
 * name, and this follows it so a verdict is deterministic.
 */
export function adminOrder(a: AdminNetworkPolicySpecObject, b: AdminNetworkPolicySpecObject): number {
  return a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
