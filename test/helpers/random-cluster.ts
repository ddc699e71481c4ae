/**
 * Random small clusters for the kube-proxy properties (lazy-proxy.property.test.ts,
 * proxy-delta.property.test.ts): 2–4 nodes in zones, one or two families, kube-proxy's local
 * detector by cluster or by node CIDR, masquerade-all or not, NodePorts on every address or on
 * the node's primary one; pods of three apps on random nodes; Services of every type with
 * random traffic policies, affinity, source ranges and traffic distribution, selecting the apps.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { type BuildOptions, type BuiltCluster, buildCluster } from '../../src/cluster/assemble/cluster.js';
import { loadScenario } from '../../src/scenario/index.js';
import { simContext } from '../../src/sim/context.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

export const serviceArb = fc.record({
  app: fc.constantFrom('a', 'b', 'c', 'none'),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  etp: fc.constantFrom('Cluster', 'Local'),
  itp: fc.constantFrom('Cluster', 'Local'),
  affinity: fc.boolean(),
  ranges: fc.boolean(),
  preferClose: fc.boolean(),
});

export const clusterArb = fc.record({
  nodes: fc.integer({ min: 2, max: 4 }),
  dual: fc.boolean(),
  detect: fc.constantFrom('ClusterCIDR', 'NodeCIDR'),
  masqueradeAll: fc.boolean(),
  primaryNodePorts: fc.boolean(),
  pods: fc.array(fc.record({ app: fc.constantFrom('a', 'b', 'c'), node: fc.nat(3) }), { minLength: 1, maxLength: 8 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 4 }),
});

export type ClusterCase = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

export function scenario(c: ClusterCase): string {
  const out = [
    'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: random}\nspec:',
    `  clusterCIDR: 10.244.0.0/16${c.dual ? ',fd00:10:244::/56' : ''}`,
    `  serviceCIDR: 10.96.0.0/12${c.dual ? ',fd00:10:96::/112' : ''}`,
    `  nodeNetwork: 192.168.56.0/24${c.dual ? ',fd00:192:168:56::/64' : ''}`,
    `  kubeProxy: {detectLocalMode: ${c.detect}, masqueradeAll: ${c.masqueradeAll}${c.primaryNodePorts ? ', nodePortAddresses: [primary]' : ''}}`,
    `  nodes: [${Array.from({ length: c.nodes }, (_, i) => `{name: node-${i + 1}, labels: {topology.kubernetes.io/zone: zone-${i % 2}}}`).join(', ')}]`,
  ];
  c.pods.forEach((p, i) => {
    out.push(`---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, labels: {app: ${p.app}}}\nspec: {nodeName: node-${(p.node % c.nodes) + 1}, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}`);
  });
  c.services.forEach((s, i) => {
    const fields = [
      `selector: {app: ${s.app}}`,
      `type: ${s.type}`,
      `internalTrafficPolicy: ${s.itp}`,
      ...(s.type === 'ClusterIP' ? [] : [`externalTrafficPolicy: ${s.etp}`]),
      ...(s.affinity ? ['sessionAffinity: ClientIP'] : []),
      ...(s.preferClose ? ['trafficDistribution: PreferClose'] : []),
      ...(s.ranges && s.type === 'LoadBalancer' ? ['loadBalancerSourceRanges: [192.168.56.0/30, 203.0.113.0/24]'] : []),
      ...(c.dual ? ['ipFamilyPolicy: PreferDualStack'] : []),
      'ports: [{name: http, port: 80, targetPort: http}]',
    ];
    out.push(`---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}}\nspec: {${fields.join(', ')}}`);
  });
  return `${out.join('\n')}\n`;
}

export function build(text: string, eager: boolean, opts: Partial<BuildOptions> = {}): BuiltCluster {
  const spec = loadScenario([{ path: 'random.yaml', text }]);
  expect(spec.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
  const built = buildCluster(spec.value!, { ...opts, cni, ctx: simContext(1), eager });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

