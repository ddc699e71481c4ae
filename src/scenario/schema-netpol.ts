/** The JSON Schema definitions of NetworkPolicy documents and `Cluster.spec.networkPolicy` (see schema.ts). */
import * as F from './fields.js';
import { ENFORCERS } from './read-enforcer.js';
import { PROTOCOLS } from './read-pod.js';
import { type Schema, cidrText, enm, int, list, object, ref, str } from './schema-kit.js';
import { textFieldSchema } from './validate/index.js';

const selectorRef = (d: string): Schema => ref('LabelSelector', d);

/** Definitions: NetworkPolicy and its parts, LabelSelector, NetworkPolicyConfig. */
export function netpolDefs(): Record<string, Schema> {
  return {
    NetworkPolicy: object(F.NETWORK_POLICY, {
      apiVersion: { const: 'networking.k8s.io/v1', description: 'API group and version' },
      kind: { const: 'NetworkPolicy', description: 'object kind' },
      metadata: ref('ObjectMeta'),
      spec: ref('NetworkPolicySpec'),
    }, 'A NetworkPolicy: read and validated; see docs/netpol.md for what enforces it', ['apiVersion', 'kind', 'metadata']),
    NetworkPolicySpec: object(F.NETWORK_POLICY_SPEC, {
      podSelector: selectorRef('Pods of this namespace the policy applies to; {} selects all'),
      policyTypes: list(enm(['Ingress', 'Egress'], 'direction'), 'Directions the policy isolates; default Ingress, plus Egress when egress rules are given'),
      ingress: list(ref('NetworkPolicyIngressRule'), 'Allowed incoming traffic; [] allows none'),
      egress: list(ref('NetworkPolicyEgressRule'), 'Allowed outgoing traffic; [] allows none'),
    }, 'NetworkPolicySpec'),
    NetworkPolicyIngressRule: object(F.NETWORK_POLICY_INGRESS, {
      from: list(ref('NetworkPolicyPeer'), 'Sources (any of them); empty: every source'),
      ports: list(ref('NetworkPolicyPort'), 'Ports (any of them); empty: every port'),
    }, 'An ingress rule: from AND ports'),
    NetworkPolicyEgressRule: object(F.NETWORK_POLICY_EGRESS, {
      to: list(ref('NetworkPolicyPeer'), 'Destinations (any of them); empty: every destination'),
      ports: list(ref('NetworkPolicyPort'), 'Ports (any of them); empty: every port'),
    }, 'An egress rule: to AND ports'),
    NetworkPolicyPeer: object(F.NETWORK_POLICY_PEER, {
      podSelector: selectorRef('Pods (in the policy\'s namespace unless namespaceSelector is given)'),
      namespaceSelector: selectorRef('Namespaces by label (kubernetes.io/metadata.name is set on every one)'),
      ipBlock: ref('IPBlock'),
    }, 'A peer: ipBlock alone, or podSelector and/or namespaceSelector (both together: pods matching both)'),
    IPBlock: object(F.IP_BLOCK, {
      cidr: cidrText('Addresses allowed'),
      except: list(cidrText('prefix strictly inside cidr'), 'Addresses carved out of cidr'),
    }, 'An address block', ['cidr']),
    NetworkPolicyPort: object(F.NETWORK_POLICY_PORT, {
      protocol: enm(PROTOCOLS, 'L4 protocol', 'TCP'),
      port: { oneOf: [int('port number', 1, 65535), str('container port name, resolved on the destination pod', { ...textFieldSchema('NetworkPolicy ports[].port (a name)') })], description: 'Destination port (after DNAT); absent: every port' },
      endPort: int('Last port of a range starting at port (numeric port only)', 1, 65535),
    }, 'A port, a named port, or a range'),
    LabelSelector: object(F.LABEL_SELECTOR, {
      matchLabels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels that must all be equal' },
      matchExpressions: list(object(F.SELECTOR_REQUIREMENT, {
        key: str('label key'),
        operator: enm(['In', 'NotIn', 'Exists', 'DoesNotExist'], 'operator'),
        values: list(str('label value'), 'Required for In and NotIn; forbidden for Exists and DoesNotExist'),
      }, 'A requirement', ['key', 'operator']), 'Requirements that must all hold'),
    }, 'A label selector; {} selects everything'),
    NetworkPolicyConfig: object(F.NETWORK_POLICY_CONFIG, {
      enforcer: enm(ENFORCERS, 'What enforces NetworkPolicy: calico (Felix, with cni calico; its default), canal (Felix beside flannel), kube-router, or none (the default for flannel and bridge)'),
    }, 'Who enforces NetworkPolicy (netsim reads it; the datapath does not apply policies yet)'),
  };
}
