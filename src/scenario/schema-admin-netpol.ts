/** The JSON Schema definitions of AdminNetworkPolicy and BaselineAdminNetworkPolicy documents (see schema.ts). */
import { ADMIN_LIMITS } from '../cluster/objects.js';
import * as F from './fields.js';
import { PROTOCOLS } from './read-pod.js';
import { type Schema, cidrText, enm, int, list, object, ref, str } from './schema-kit.js';

const API = { const: 'policy.networking.k8s.io/v1alpha1', description: 'API group and version (network-policy-api v0.1)' };
const bounded = (s: Schema, min: number, max: number): Schema => ({ ...s, minItems: min, maxItems: max });
const selection = (d: string): Schema => object(F.ADMIN_SUBJECT, {
  namespaces: ref('LabelSelector', 'Every pod of the namespaces with these labels'),
  pods: ref('AdminNamespacedPod', 'Pods with these labels in namespaces with those'),
}, `${d}: exactly one of namespaces or pods`);

/** Definitions: both kinds, their specs, rules, peers and ports. */
export function adminNetpolDefs(): Record<string, Schema> {
  const common = (actions: readonly string[]): { name: Schema; action: Schema; ports: Schema } => ({
    name: str('Rule name (shown in traces and status)', { maxLength: ADMIN_LIMITS.maxRuleName }),
    action: enm(actions, 'What a matching connection gets'),
    ports: bounded(list(ref('AdminNetworkPolicyPort'), 'Destination ports (any of them); absent: every port'), 1, ADMIN_LIMITS.maxPorts),
  });
  const peers = (peer: string): Schema => bounded(list(ref(peer), 'Peers (any of them)'), 1, ADMIN_LIMITS.maxPeers);
  const ingressRule = (actions: readonly string[], d: string): Schema => object(F.ADMIN_INGRESS_RULE, { ...common(actions), from: peers('AdminIngressPeer') }, d, ['action', 'from']);
  const egressRule = (actions: readonly string[], d: string): Schema => object(F.ADMIN_EGRESS_RULE, { ...common(actions), to: peers('AdminEgressPeer') }, d, ['action', 'to']);
  const rules = (r: string, d: string): Schema => bounded(list(ref(r), d), 0, ADMIN_LIMITS.maxRules);
  return {
    AdminNetworkPolicy: object(F.ADMIN_NETWORK_POLICY, { apiVersion: API, kind: { const: 'AdminNetworkPolicy', description: 'object kind' }, metadata: ref('ObjectMeta'), spec: ref('AdminNetworkPolicySpec') },
      'A cluster-wide policy checked before NetworkPolicy, by priority; see docs/netpol.md', ['apiVersion', 'kind', 'metadata', 'spec']),
    AdminNetworkPolicySpec: object(F.ADMIN_NETWORK_POLICY_SPEC, {
      priority: int('Lower numbers are checked first', ADMIN_LIMITS.minPriority, ADMIN_LIMITS.maxPriority),
      subject: ref('AdminSubject'),
      ingress: rules('AdminNetworkPolicyIngressRule', 'Ingress rules, in order'),
      egress: rules('AdminNetworkPolicyEgressRule', 'Egress rules, in order'),
    }, 'AdminNetworkPolicySpec', ['priority', 'subject']),
    BaselineAdminNetworkPolicy: object(F.ADMIN_NETWORK_POLICY, { apiVersion: API, kind: { const: 'BaselineAdminNetworkPolicy', description: 'object kind' }, metadata: ref('ObjectMeta'), spec: ref('BaselineAdminNetworkPolicySpec') },
      'The cluster default, checked after NetworkPolicy; named default', ['apiVersion', 'kind', 'metadata', 'spec']),
    BaselineAdminNetworkPolicySpec: object(F.BASELINE_ADMIN_NETWORK_POLICY_SPEC, {
      subject: ref('AdminSubject'),
      ingress: rules('BaselineAdminNetworkPolicyIngressRule', 'Ingress rules, in order'),
      egress: rules('BaselineAdminNetworkPolicyEgressRule', 'Egress rules, in order'),
    }, 'BaselineAdminNetworkPolicySpec', ['subject']),
    AdminSubject: selection('The pods the policy applies to (never hostNetwork pods)'),
    AdminIngressPeer: selection('A source'),
    AdminNamespacedPod: object(F.ADMIN_NAMESPACED_POD, { namespaceSelector: ref('LabelSelector'), podSelector: ref('LabelSelector') }, 'NamespacedPod', ['namespaceSelector', 'podSelector']),
    AdminEgressPeer: object(F.ADMIN_EGRESS_PEER, {
      namespaces: ref('LabelSelector', 'Every pod of the namespaces with these labels'),
      pods: ref('AdminNamespacedPod'),
      nodes: ref('LabelSelector', 'The InternalIP addresses of nodes with these labels'),
      networks: bounded(list(cidrText('IPv4 or IPv6 prefix'), 'Addresses'), 1, ADMIN_LIMITS.maxNetworks),
      domainNames: bounded(list(str('DNS name'), 'Names (netsim resolves none: matches nothing)'), 1, ADMIN_LIMITS.maxNetworks),
    }, 'A destination: exactly one field'),
    AdminNetworkPolicyIngressRule: ingressRule(['Allow', 'Deny', 'Pass'], 'An ingress rule: Pass hands the connection to NetworkPolicy'),
    AdminNetworkPolicyEgressRule: egressRule(['Allow', 'Deny', 'Pass'], 'An egress rule: Pass hands the connection to NetworkPolicy'),
    BaselineAdminNetworkPolicyIngressRule: ingressRule(['Allow', 'Deny'], 'A baseline ingress rule'),
    BaselineAdminNetworkPolicyEgressRule: egressRule(['Allow', 'Deny'], 'A baseline egress rule'),
    AdminNetworkPolicyPort: object(F.ADMIN_PORT, {
      portNumber: object(F.ADMIN_PORT_NUMBER, { protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'), port: int('Port', 1, 65535) }, 'One port', ['port']),
      namedPort: str('A container port name on the destination pod'),
      portRange: object(F.ADMIN_PORT_RANGE, { protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'), start: int('First port', 1, 65535), end: int('Last port', 1, 65535) }, 'An inclusive range', ['start', 'end']),
    }, 'A port: exactly one field'),
  };
}
