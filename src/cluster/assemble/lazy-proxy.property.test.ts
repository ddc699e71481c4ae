/**
 * Property: on random clusters the deferred build, whose kube-proxy syncs go through the payload
 * every node shares (proxy-parts.ts), equals the eager build, which restores each node's payload
 * text: every namespace's `show` output, every node's rulesets and payload, and traces. The
 * clusters: 2–4 nodes, one or two families, kube-proxy's local detector by cluster or by node
 * CIDR, masquerade-all or not; pods of three apps on random nodes; Services of every type with
 * random traffic policies, affinity and source ranges, selecting the apps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesets, shown, traces } from '../../../test/helpers/lazy-build.js';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { type BuiltCluster, buildCluster } from './cluster.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

const serviceArb = fc.record({
  app: fc.constantFrom('a', 'b', 'c', 'none'),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  etp: fc.constantFrom('Cluster', 'Local'),
  itp: fc.constantFrom('Cluster', 'Local'),
  affinity: fc.boolean(),
  ranges: fc.boolean(),
});

const clusterArb = fc.record({
  nodes: fc.integer({ min: 2, max: 4 }),
  dual: fc.boolean(),
  detect: fc.constantFrom('ClusterCIDR', 'NodeCIDR'),
  masqueradeAll: fc.boolean(),
  pods: fc.array(fc.record({ app: fc.constantFrom('a', 'b', 'c'), node: fc.nat(3) }), { minLength: 1, maxLength: 8 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 4 }),
});

type ClusterCase = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

function scenario(c: ClusterCase): string {
  const out = [
    'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: random}\nspec:',
    `  clusterCIDR: 10.244.0.0/16${c.dual ? ',fd00:10:244::/56' : ''}`,
    `  serviceCIDR: 10.96.0.0/12${c.dual ? ',fd00:10:96::/112' : ''}`,
    `  nodeNetwork: 192.168.56.0/24${c.dual ? ',fd00:192:168:56::/64' : ''}`,
    `  kubeProxy: {detectLocalMode: ${c.detect}, masqueradeAll: ${c.masqueradeAll}}`,
    `  nodes: [${Array.from({ length: c.nodes }, (_, i) => `{name: node-${i + 1}}`).join(', ')}]`,
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
      ...(s.ranges && s.type === 'LoadBalancer' ? ['loadBalancerSourceRanges: [192.168.56.0/30, 203.0.113.0/24]'] : []),
      ...(c.dual ? ['ipFamilyPolicy: PreferDualStack'] : []),
      'ports: [{name: http, port: 80, targetPort: http}]',
    ];
    out.push(`---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}}\nspec: {${fields.join(', ')}}`);
  });
  return `${out.join('\n')}\n`;
}

function build(text: string, eager: boolean): BuiltCluster {
  const spec = loadScenario([{ path: 'random.yaml', text }]);
  expect(spec.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
  const built = buildCluster(spec.value!, { cni, ctx: simContext(1), eager });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

describe('deferred, shared kube-proxy syncs equal the eager build (property)', () => {
  it('on random clusters', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const text = scenario(c);
        const eager = build(text, true);
        const lazy = build(text, false);
        expect(traces(lazy)).toEqual(traces(eager));
        expect(shown(lazy)).toBe(shown(eager));
        for (const n of lazy.spec.nodes) expect(rulesets(lazy, n.name)).toEqual(rulesets(eager, n.name));
        expect({ ...lazy.proxyPayloads }).toEqual({ ...eager.proxyPayloads });
      }),
      { numRuns: 25 },
    );
  });
});
