/**
 * The `networking.k8s.io/v1 NetworkPolicy` API as plain, validated data: the shapes the
 * evaluator reads, with Kubernetes' field names (`podSelector`, `ipBlock.except`, `endPort`, …)
 * so a reader of `kubectl get netpol -o yaml` recognises them. Defaults are already applied:
 * `policyTypes` is never empty (SetDefaults_NetworkPolicy), a port's `protocol` is set (TCP).
 *
 * A field that Kubernetes distinguishes as nil vs empty keeps the distinction: an absent
 * `podSelector` in a peer is `undefined`, `podSelector: {}` is a selector with no terms.
 *
 * Layer `policy`: imports `addr` only here. The cluster layer re-exports these types
 * (src/cluster/netpol-objects.ts) and adds where each object was written.
 */
import type { Cidr } from '../addr/index.js';

/** `metadata.labels`: keys to values. */
export type PolicyLabels = Readonly<Record<string, string>>;

/** L4 protocols a NetworkPolicy port names (the same as a Service's). */
export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';

/** `LabelSelectorRequirement.operator` (apimachinery `metav1.LabelSelectorOperator`). */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One `matchExpressions` entry. `values` is empty for Exists and DoesNotExist. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** `metav1.LabelSelector`: matchLabels and matchExpressions, ANDed. Empty selects everything. */
export interface LabelSelector {
  readonly matchLabels: PolicyLabels;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** `IPBlock`: addresses in `cidr` and in none of `except` (each strictly inside `cidr`). */
export interface IPBlock {
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
}

/**
 * `NetworkPolicyPeer`: exactly one of ipBlock or (podSelector and/or namespaceSelector), as
 * ValidateNetworkPolicyPeer insists.
 */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

/**
 * `NetworkPolicyPort`: a protocol, optionally a port (a number, or a container port name
 * resolved on the destination pod) and, with a numeric port, an inclusive `endPort`.
 */
export interface NetworkPolicyPort {
  readonly protocol: PolicyProtocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** `NetworkPolicyIngressRule`: empty `from` means every source, empty `ports` every port. */
export interface NetworkPolicyIngressRule {
  readonly from: readonly NetworkPolicyPeer[];
  readonly ports: readonly NetworkPolicyPort[];
}

/** `NetworkPolicyEgressRule`: empty `to` means every destination, empty `ports` every port. */
export interface NetworkPolicyEgressRule {
  readonly to: readonly NetworkPolicyPeer[];
  readonly ports: readonly NetworkPolicyPort[];
}

/** `policyTypes` values. */
export type PolicyType = 'Ingress' | 'Egress';

/** A NetworkPolicy: its name, namespace and spec, defaults applied. */
export interface NetworkPolicySpecObject {
  readonly name: string;
  readonly namespace: string;
  /** `spec.podSelector`; `{}` selects every pod of the namespace. */
  readonly podSelector: LabelSelector;
  /** Never empty: the API server's default is `[Ingress]`, plus `Egress` when `egress` has rules. */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly NetworkPolicyIngressRule[];
  readonly egress: readonly NetworkPolicyEgressRule[];
}

/**
 * SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go): an empty `policyTypes` means
 * `[Ingress]`, plus `Egress` when the policy has egress rules.
 */
export function defaultPolicyTypes(given: readonly PolicyType[], egressRules: number): readonly PolicyType[] {
  if (given.length > 0) return given;
  return egressRules > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The selector with no terms: `{}`, which selects everything. */
export const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };
