/**
 * fast-check arbitraries for NetworkPolicy worlds over the e2e model's namespaces and pods:
 * small label and value universes so that selectors often match, ports 80/81 and the model's
 * port names, ipBlocks around the model's pod addresses.
 */
import fc from 'fast-check';
import { cidr } from '../../src/addr/index.js';
import {
  type LabelSelector, type MatrixPod, type NetworkPolicyPeer, type NetworkPolicyPort, type NetworkPolicySpecObject, type PolicyNamespace,
  type PolicyType, type SelectorRequirement, defaultPolicyTypes,
} from '../../src/policy/index.js';
import { modelNamespaces, modelPod } from './netpol.js';

const KEYS = ['pod', 'tier', 'kubernetes.io/metadata.name'] as const;
const VALUES = ['a', 'b', 'c', 'x', 'y', 'web'] as const;

const labels = fc.dictionary(fc.constantFrom('tier', 'env'), fc.constantFrom(...VALUES), { maxKeys: 2 });

const requirement: fc.Arbitrary<SelectorRequirement> = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([]) }),
);

/** A label selector; `{}` about a fifth of the time. */
export const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 1 }),
  matchExpressions: fc.array(requirement, { maxLength: 1 }),
});

const ipBlockPeer: fc.Arbitrary<NetworkPolicyPeer> = fc.constantFrom(
  { ipBlock: { cidr: cidr('10.244.0.0/16'), except: [cidr('10.244.2.0/24')] } },
  { ipBlock: { cidr: cidr('10.244.1.11/32'), except: [] } },
  { ipBlock: { cidr: cidr('0.0.0.0/0'), except: [cidr('10.244.1.12/32')] } },
);

/** A peer: podSelector, namespaceSelector, both, or an ipBlock. */
export const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  selector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(selector, selector).map(([n, p]) => ({ namespaceSelector: n, podSelector: p })),
  ipBlockPeer,
);

/** A port entry over 80/81, names, ranges and protocols. */
export const policyPort: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const) }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom(80, 81) }),
  fc.record({ protocol: fc.constant('TCP' as const), port: fc.constant(80), endPort: fc.constantFrom(80, 81) }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom('serve-80-tcp', 'serve-81-udp', 'nope') }),
);

const rule = fc.record({ peers: fc.array(peer, { maxLength: 2 }), ports: fc.array(policyPort, { maxLength: 2 }) });

/** A policy in one of x, y, z. */
export const networkPolicy: fc.Arbitrary<NetworkPolicySpecObject> = fc
  .record({
    namespace: fc.constantFrom('x', 'y', 'z'),
    name: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    podSelector: selector,
    types: fc.subarray<PolicyType>(['Ingress', 'Egress']),
    ingress: fc.array(rule, { maxLength: 2 }),
    egress: fc.array(rule, { maxLength: 2 }),
  })
  .map((p) => ({
    namespace: p.namespace,
    name: p.name,
    podSelector: p.podSelector,
    policyTypes: defaultPolicyTypes(p.types, p.egress.length),
    ingress: p.ingress.map((r) => ({ from: r.peers, ports: r.ports })),
    egress: p.egress.map((r) => ({ to: r.peers, ports: r.ports })),
  }));

/** Namespaces x, y, z with random extra labels, and some of the nine model pods with random labels. */
export const cluster: fc.Arbitrary<{ namespaces: PolicyNamespace[]; pods: MatrixPod[] }> = fc
  .record({
    nsLabels: fc.record({ x: labels, y: labels, z: labels }),
    pods: fc.uniqueArray(fc.constantFrom('x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c'), { minLength: 2, maxLength: 6 }),
    podLabels: fc.array(labels, { minLength: 6, maxLength: 6 }),
  })
  .map((c) => ({ namespaces: modelNamespaces(c.nsLabels), pods: c.pods.map((k, i) => modelPod(k, c.podLabels[i])) }));
