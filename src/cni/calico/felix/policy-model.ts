/**
 * A Calico policy as Felix receives it from the datastore: libcalico-go's v1 `model.Policy`
 * after the NetworkPolicy update processor (updateprocessors/networkpolicyprocessor.go,
 * rules.go), for the subset a converted Kubernetes NetworkPolicy uses: allow rules only, a
 * protocol, selectors already combined with the namespace, nets and not-nets, destination ports.
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

/** model.Rule with action Allow (the only action Kubernetes' conversion writes). */
export interface FelixPolicyRule {
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

/** model.Policy with its key (model.PolicyKey). */
export interface FelixPolicy {
  /** PolicyKey.Name: `<namespace>/<name>` for a namespaced policy (`x/knp.default.allow-web`). */
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
