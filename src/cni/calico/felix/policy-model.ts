/**
 * A Calico policy as Felix receives it from the datastore: libcalico-go's v1 `model.Policy`
 * after the update processors (updateprocessors/networkpolicyprocessor.go,
 * globalnetworkpolicyprocessor.go, rules.go), for the subset converted Kubernetes
 * NetworkPolicies and (Baseline)AdminNetworkPolicies use: allow, deny and pass rules, a
 * protocol, selectors already combined with the namespace, nets and not-nets, destination
 * ports, the rule's name annotation; and the Tier resources that order them.
 *
 * Structural: the cluster layer converts Kubernetes objects into it (as calico-kube-controllers
 * and libcalico-go's k8s/conversion do); nothing here knows Kubernetes' API.
 */
import type { Cidr } from '../../../addr/cidr.js';
import type { CalicoSelector } from './selector.js';

/** A numeric port range `first:last` (numorstring.Port; a single port has first = last). */
export interface FelixPortRange {
  readonly first: number;
  readonly last: number;
}

/** A destination port: a range, or a named port resolved per endpoint through an ipset. */
export type FelixPort = FelixPortRange | { readonly name: string };

/** model.Rule's action in v1 spelling (ruleActionAPIV3ToBackend: Pass is `next-tier`). */
export type FelixRuleAction = 'allow' | 'deny' | 'next-tier';

/** model.Rule: an Allow unless `action` says otherwise (a converted NetworkPolicy has only allows). */
export interface FelixPolicyRule {
  /** Absent: `allow`. */
  readonly action?: FelixRuleAction;
  /**
   * `metadata.annotations`, rendered as `key=value` comments on each of the rule's iptables
   * rules (an admin policy's rule name: `name=<rule name>`, AdminPolicyRuleNameLabel).
   */
  readonly annotations?: ReadonlyArray<readonly [string, string]>;
  /** `protocol` in v1 spelling; absent matches every protocol. */
  readonly protocol?: 'tcp' | 'udp' | 'sctp';
  /** SrcSelector / DstSelector: already ANDed with the namespace part (getEndpointSelector). */
  readonly srcSelector?: CalicoSelector;
  readonly dstSelector?: CalicoSelector;
  readonly srcNets?: readonly Cidr[];
  readonly notSrcNets?: readonly Cidr[];
  readonly dstNets?: readonly Cidr[];
  readonly notDstNets?: readonly Cidr[];
  readonly dstPorts?: readonly FelixPort[];
}

/**
 * A Tier resource: its order (lower first) and what happens to a packet that no policy of the
 * tier decided: `Deny` drops it ("End of tier … Drop if no policies passed packet"), `Pass`
 * goes on to the next tier. libcalico-go's clientv3 ensures `default` (1,000,000, Deny),
 * `adminnetworkpolicy` (1,000, Pass) and `baselineadminnetworkpolicy` (10,000,000, Pass).
 */
export interface FelixTier {
  readonly name: string;
  readonly order: number;
  readonly defaultAction: 'Deny' | 'Pass';
}

/** The `default` tier (api/pkg/apis/projectcalico/v3/tier.go DefaultTierOrder). */
export const DEFAULT_TIER: FelixTier = { name: 'default', order: 1_000_000, defaultAction: 'Deny' };

/** model.Policy with its key (model.PolicyKey). */
export interface FelixPolicy {
  /**
   * PolicyKey.Name: `<namespace>/<name>` for a namespaced policy (`x/knp.default.allow-web`),
   * the bare name for a global one (`kanp.adminnetworkpolicy.deny-x`).
   */
  readonly name: string;
  readonly tier: string;
  readonly order: number;
  /** The endpoints it applies to (the namespace already ANDed in). */
  readonly selector: CalicoSelector;
  /** `types`: which of the two rule lists apply. */
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly inbound: readonly FelixPolicyRule[];
  readonly outbound: readonly FelixPolicyRule[];
}

/** Calico's own labels on a workload endpoint (apiv3.LabelNamespace …). */
export const CALICO_LABELS = {
  namespace: 'projectcalico.org/namespace',
  orchestrator: 'projectcalico.org/orchestrator',
  serviceAccount: 'projectcalico.org/serviceaccount',
  /** conversion.NameLabel: the profile's `pcns.projectcalico.org/name` carries the namespace's name. */
  name: 'projectcalico.org/name',
} as const;

/** conversion.NamespaceLabelPrefix. */
export const NAMESPACE_LABEL_PREFIX = 'pcns.';
