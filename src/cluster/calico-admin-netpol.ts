/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy as the Calico policies Felix receives
 * (Calico 3.30), in the two steps Calico takes:
 *
 * 1. libcalico-go `k8s/conversion` K8sAdminNetworkPolicyToCalico /
 *    K8sBaselineAdminNetworkPolicyToCalico: a GlobalNetworkPolicy `kanp.adminnetworkpolicy.<name>`
 *    in tier `adminnetworkpolicy` with order = the ANP's priority, or
 *    `kbanp.baselineadminnetworkpolicy.default` in tier `baselineadminnetworkpolicy` (order
 *    1000); its selector the subject's pod part (with the orchestrator term) and its namespace
 *    part as `namespaceSelector`; types Ingress / Egress only where rules are left (the admin
 *    tiers default to Pass, so an empty direction need not be applied). Each rule becomes one
 *    Calico rule per protocol (sorted) and per peer (combinePortsWith…Peers), with the action
 *    (Pass is `next-tier` to Felix) and the rule's name as annotation `name=<rule name>`.
 *    Peers: `namespaces` → a namespace selector alone, `pods` → namespace and pod selectors,
 *    `networks` → nets. Ports (unpackANPPorts): a number or a range (protocol defaulted to TCP),
 *    merged per protocol by SimplifyPorts.
 * 2. the GlobalNetworkPolicy update processor: the policy selector `(<pod part>) && <pcns. +
 *    namespace part>` with `all()` → `has(projectcalico.org/namespace)`; each rule selector by
 *    getEndpointSelector, the policy being global (no namespace of its own).
 *
 * Calico's gaps, followed here because the datapath is Calico's (docs/netpol.md lists them):
 * a `namedPort` entry carries no protocol and no port, which unpackANPPorts reads as "every
 * port of every protocol" for the whole rule ("TODO: Add support for NamedPorts"); a `nodes`
 * or `domainNames` peer fails the whole rule, and a failed Deny or Pass rule is replaced by a
 * bare Deny (fail closed: k8sANPHandleFailedRules), a failed Allow rule is left out.
 */
import { type Cidr, canonicalCidr } from '../addr/cidr.js';
import { type CalicoSelector, DEFAULT_TIER, type FelixPort, type FelixRuleAction, type FelixTier, andOf } from '../cni/calico/felix/index.js';
import type { AdminAction, AdminPeer, AdminPort, AdminRule, AdminSelection, AdminNetworkPolicySpecObject, BaselineAdminNetworkPolicySpecObject } from '../policy/admin-api.js';
import type { ConvertedPolicy, ConvertedRule } from './calico-netpol.js';
import { k8sNetworkPolicyToFelix, k8sSelectorTerms, namespaceSelectorPart, simplifyPorts } from './calico-netpol.js';
import type { NetworkPolicySpecObject } from '../policy/api.js';

/** names.K8sAdminNetworkPolicyNamePrefix / K8sBaselineAdminNetworkPolicyNamePrefix. */
export const ANP_POLICY_PREFIX = 'kanp.adminnetworkpolicy.';
export const BANP_POLICY_PREFIX = 'kbanp.baselineadminnetworkpolicy.';

/** The tiers libcalico-go's clientv3 ensures (ensureTierExists), with their default actions. */
export const CALICO_TIERS: readonly FelixTier[] = [
  { name: 'adminnetworkpolicy', order: 1_000, defaultAction: 'Pass' },
  DEFAULT_TIER,
  { name: 'baselineadminnetworkpolicy', order: 10_000_000, defaultAction: 'Pass' },
];

/** The order K8sBaselineAdminNetworkPolicyToCalico gives the BANP. */
export const BANP_ORDER = 1000;

const ACTION: Readonly<Record<AdminAction, FelixRuleAction>> = { Allow: 'allow', Deny: 'deny', Pass: 'next-tier' };

/** unpackANPPorts: per protocol (sorted), its ports; `''` with no ports = every protocol and port. */
function unpackPorts(ports: readonly AdminPort[] | undefined): Array<[string, FelixPort[]]> | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  const byProto = new Map<string, FelixPort[]>();
  for (const p of ports) {
    // A named port converts to nothing, which reads as "all": every port, the other entries forgotten.
    if ('namedPort' in p) return undefined;
    const [proto, port] = 'portNumber' in p ? [p.portNumber.protocol, { first: p.portNumber.port, last: p.portNumber.port }] : [p.portRange.protocol, { first: p.portRange.start, last: p.portRange.end }];
    byProto.set(proto, [...(byProto.get(proto) ?? []), port]);
  }
  return [...byProto.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A peer's selector or nets, or undefined when Calico cannot convert it (nodes, domainNames). */
function peerMatch(peer: AdminPeer): { readonly selector: CalicoSelector } | { readonly nets: readonly Cidr[] } | undefined {
  if ('namespaces' in peer && peer.namespaces !== undefined) return { selector: namespaceSelectorPart(peer.namespaces) };
  if ('pods' in peer && peer.pods !== undefined) return { selector: { op: '&&', operands: [namespaceSelectorPart(peer.pods.namespaceSelector), andOf(k8sSelectorTerms(peer.pods.podSelector, 'pod'))] } };
  if ('networks' in peer) return { nets: peer.networks.map(canonicalCidr) };
  return undefined;
}

/** combinePortsWithANPIngressPeers / …EgressPeers, or k8sANPHandleFailedRules when a peer fails. */
export function adminRuleToCalico(rule: AdminRule, ingress: boolean, k8sRule: number): ConvertedRule[] {
  const peers = rule.peers.map(peerMatch);
  if (peers.some((p) => p === undefined)) return rule.action === 'Allow' ? [] : [{ k8sRule, action: 'deny' }];
  const base = { k8sRule, action: ACTION[rule.action], ...(rule.name === '' ? {} : { annotations: [['name', rule.name]] as const }) };
  const out: ConvertedRule[] = [];
  for (const [proto, ports] of unpackPorts(rule.ports) ?? [['', undefined] as const]) {
    const proto3 = proto === '' ? {} : { protocol: proto.toLowerCase() as 'tcp' | 'udp' | 'sctp', dstPorts: simplifyPorts(ports ?? []) };
    for (const m of peers) {
      if (m === undefined) continue;
      const side = 'selector' in m ? (ingress ? { srcSelector: m.selector } : { dstSelector: m.selector }) : { dstNets: m.nets };
      out.push({ ...base, ...proto3, ...side });
    }
  }
  return out;
}

/** The GlobalNetworkPolicy selector after the update processor: `(<pod part>) && <namespace part>`. */
export function subjectSelector(subject: AdminSelection): CalicoSelector {
  const pod = andOf(k8sSelectorTerms(subject.pods?.podSelector, 'pod'));
  const ns = namespaceSelectorPart(subject.namespaces ?? subject.pods?.namespaceSelector ?? { matchLabels: {}, matchExpressions: [] });
  return { op: '&&', operands: [pod, ns] };
}

function toFelix(p: AdminNetworkPolicySpecObject | BaselineAdminNetworkPolicySpecObject, name: string, tier: string, order: number): ConvertedPolicy {
  const inbound = p.ingress.flatMap((r, i) => adminRuleToCalico(r, true, i));
  const outbound = p.egress.flatMap((r, i) => adminRuleToCalico(r, false, i));
  return { name, tier, order, selector: subjectSelector(p.subject), ingress: inbound.length > 0, egress: outbound.length > 0, inbound, outbound, k8sName: p.name };
}

/** K8sAdminNetworkPolicyToCalico, then the update processor. */
export function adminNetworkPolicyToFelix(anp: AdminNetworkPolicySpecObject): ConvertedPolicy {
  return toFelix(anp, ANP_POLICY_PREFIX + anp.name, 'adminnetworkpolicy', anp.priority);
}

/** K8sBaselineAdminNetworkPolicyToCalico, then the update processor. */
export function baselineAdminNetworkPolicyToFelix(banp: BaselineAdminNetworkPolicySpecObject): ConvertedPolicy {
  return toFelix(banp, BANP_POLICY_PREFIX + banp.name, 'baselineadminnetworkpolicy', BANP_ORDER);
}

/** The policy objects Felix's policies come from (a cluster's, calico's or canal's). */
export interface CalicoPolicySources {
  readonly networkPolicies?: readonly NetworkPolicySpecObject[];
  readonly adminNetworkPolicies?: readonly AdminNetworkPolicySpecObject[];
  readonly baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicySpecObject;
}

/**
 * What Felix's input gets for these objects: every converted policy (ANPs, NetworkPolicies,
 * the BANP) and the tiers; nothing when there are no policies.
 */
export function calicoPolicyInput(src: CalicoPolicySources): { readonly policies: ConvertedPolicy[]; readonly tiers: readonly FelixTier[] } | undefined {
  const banp = src.baselineAdminNetworkPolicy;
  const policies = [
    ...(src.adminNetworkPolicies ?? []).map(adminNetworkPolicyToFelix),
    ...(src.networkPolicies ?? []).map(k8sNetworkPolicyToFelix),
    ...(banp === undefined ? [] : [baselineAdminNetworkPolicyToFelix(banp)]),
  ];
  return policies.length === 0 ? undefined : { policies, tiers: CALICO_TIERS };
}
