/**
 * Benchmark of the NetworkPolicy evaluator: the reachability matrix of 1,000 pods in 10
 * namespaces under 30 policies (deny-all, namespace and pod selectors, named ports, ipBlocks),
 * every pod to every pod on TCP 80: the 1,000 × 1,000 scale, evaluator side.
 */
import { cidr } from '../src/addr/cidr.js';
import { ipFromValue } from '../src/addr/ip.js';
import { EVERYTHING, type MatrixPod, type NetworkPolicySpecObject, type PolicyWorld, policyMatrix } from '../src/policy/index.js';
import { type Measure, measure } from './measure.js';

/** The world: namespaces ns0…ns9, 100 pods each labelled app/tier, 3 policies per namespace. */
export function netpolWorld(pods = 1000, namespaces = 10): { world: PolicyWorld; pods: MatrixPod[] } {
  const nss = Array.from({ length: namespaces }, (_, i) => ({ name: `ns${i}`, labels: { 'kubernetes.io/metadata.name': `ns${i}`, team: `t${i % 3}` } }));
  const list: MatrixPod[] = Array.from({ length: pods }, (_, i) => ({
    namespace: `ns${i % namespaces}`,
    name: `pod-${i}`,
    labels: { app: `app${i % 7}`, tier: i % 2 === 0 ? 'web' : 'db' },
    hostNetwork: false,
    containers: [{ ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' as const }] }],
    ip: ipFromValue(4, (10n << 24n) | (244n << 16n) | BigInt(i + 2)),
  }));
  const policies: NetworkPolicySpecObject[] = nss.flatMap((ns, i) => [
    { namespace: ns.name, name: 'deny-all', podSelector: EVERYTHING, policyTypes: ['Ingress'], ingress: [], egress: [] },
    {
      namespace: ns.name, name: 'allow-team', podSelector: { matchLabels: { tier: 'web' }, matchExpressions: [] }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${i % 3}` }, matchExpressions: [] }, podSelector: { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: ['app1', 'app2', 'app3'] }] } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
      egress: [],
    },
    {
      namespace: ns.name, name: 'egress', podSelector: { matchLabels: { tier: 'db' }, matchExpressions: [] }, policyTypes: ['Egress'], ingress: [],
      egress: [{ to: [{ ipBlock: { cidr: cidr('10.244.0.0/22'), except: [cidr('10.244.1.0/24')] } }, { podSelector: EVERYTHING }], ports: [{ protocol: 'TCP', port: 80, endPort: 90 }] }],
    },
  ]);
  return { world: { namespaces: nss, policies }, pods: list };
}

/** Times the 1,000 × 1,000 matrix. */
export function benchNetpol(): Measure[] {
  const { world, pods } = netpolWorld();
  const m = measure(`NetworkPolicy evaluator: ${pods.length.toLocaleString('en')} × ${pods.length.toLocaleString('en')} matrix, ${world.policies.length} policies`, 3, () => policyMatrix(world, pods, { protocol: 'TCP', port: 80 }), { unit: 'ms' });
  return [m];
}
