/**
 * Property: the shared payload (one memo for every node's sync) renders exactly the text of
 * buildIptablesPayload, node by node, for random services (every type, traffic policy, affinity,
 * source ranges, external IPs), random endpoints on random nodes (ready, serving, terminating,
 * zone and node hints) and random node settings (node IPs, zones, local detectors of the
 * cluster or of the node, masquerade-all), whatever order the nodes are synced in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointInput, ProxierConfig, ServicePortInput } from '../types.js';
import { OVERALL_ENDPOINTS, OVERALL_SERVICES, ep, svcPort } from './__fixtures__/upstream.js';
import { buildIptablesPayload } from './payload.js';
import { buildPayloadParts, createPayloadMemo, renderPayloadParts } from './shared-payload.js';

const NODES = ['node-a', 'node-b', 'node-c'];
const ZONES = ['z1', 'z2'];

const policy = fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local');
const endpointArb = (family: 4 | 6): fc.Arbitrary<EndpointInput> =>
  fc.record({
    host: fc.integer({ min: 1, max: 6 }),
    port: fc.constantFrom(80, 8080),
    state: fc.constantFrom('ready', 'ready', 'terminating', 'serving-terminating', 'not-ready'),
    node: fc.option(fc.constantFrom(...NODES), { nil: undefined }),
    zones: fc.option(fc.subarray(ZONES, { minLength: 1 }), { nil: undefined, freq: 4 }),
    nodeHints: fc.option(fc.subarray(NODES, { minLength: 1 }), { nil: undefined, freq: 6 }),
  }).map((e) =>
    ep(family === 4 ? `10.0.0.${e.host}` : `fd00::${e.host}`, e.port, {
      ready: e.state === 'ready',
      serving: e.state === 'ready' || e.state === 'serving-terminating',
      terminating: e.state !== 'ready' && e.state !== 'not-ready',
      ...(e.node === undefined ? {} : { nodeName: e.node }),
      ...(e.zones === undefined ? {} : { zoneHints: e.zones }),
      ...(e.nodeHints === undefined ? {} : { nodeHints: e.nodeHints }),
    }),
  );

/** A source range outside the nodes, or one covering node IPs ending .2–.5 (KUBE-FW then allows the node). */
const sourceRange = (family: 4 | 6, nodes: boolean): string =>
  nodes ? (family === 4 ? '192.168.0.0/30' : '2001:db8::/126') : family === 4 ? '203.0.113.0/24' : '2001:db8:9::/64';

const serviceArb = (family: 4 | 6, i: number): fc.Arbitrary<{ svc: ServicePortInput; eps: EndpointInput[] }> =>
  fc.record({
    type: fc.constantFrom<'ClusterIP' | 'NodePort' | 'LoadBalancer'>('ClusterIP', 'NodePort', 'LoadBalancer'),
    etp: policy,
    itp: policy,
    affinity: fc.constantFrom<'None' | 'ClientIP'>('None', 'ClientIP'),
    ranges: fc.constantFrom('none', 'other', 'nodes'),
    externalIP: fc.boolean(),
    eps: fc.array(endpointArb(family), { maxLength: 5 }),
  }).map((s) => {
    const ip = (n: number): string => (family === 4 ? `172.30.${i}.${n}` : `fd30::${i}:${n}`);
    const svc = svcPort('ns', `svc${i}`, {
      type: s.type,
      clusterIP: ip(1),
      port: 80,
      ...(s.type === 'ClusterIP' ? {} : { nodePort: 30000 + i }),
      ...(s.type === 'LoadBalancer' ? { loadBalancerIPs: [ip(2)] } : {}),
      ...(s.ranges !== 'none' && s.type === 'LoadBalancer' ? { loadBalancerSourceRanges: [sourceRange(family, s.ranges === 'nodes')] } : {}),
      ...(s.externalIP ? { externalIPs: [ip(3)] } : {}),
      externalTrafficPolicy: s.etp,
      internalTrafficPolicy: s.itp,
      sessionAffinity: s.affinity,
      ...(s.type !== 'ClusterIP' && s.etp === 'Local' ? { healthCheckNodePort: 32000 + i } : {}),
    });
    return { svc, eps: s.eps };
  });

const nodeConfig = (family: 4 | 6, perNodeCidr: boolean, masqueradeAll: boolean) =>
  fc.record({ node: fc.constantFrom(...NODES, 'node-without-endpoints'), zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }), ipLast: fc.integer({ min: 2, max: 9 }) }).map(
    ({ node, zone, ipLast }): ProxierConfig => ({
      nodeName: node,
      family,
      nodeIPs: [family === 4 ? `192.168.0.${ipLast}` : `2001:db8::${ipLast}`],
      detectLocal: perNodeCidr
        ? { mode: 'NodeCIDR', value: family === 4 ? `10.0.${ipLast}.0/24` : `fd00:${ipLast}::/64` }
        : { mode: 'ClusterCIDR', value: family === 4 ? '10.0.0.0/16' : 'fd00::/48' },
      masqueradeAll,
      ...(zone === undefined ? {} : { topology: { zone } }),
    }),
  );

const caseArb = fc.constantFrom<4 | 6>(4, 6).chain((family) =>
  fc.record({
    family: fc.constant(family),
    services: fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => serviceArb(family, i)))),
    nodes: fc.tuple(fc.boolean(), fc.boolean()).chain(([cidr, masq]) => fc.array(nodeConfig(family, cidr, masq), { minLength: 1, maxLength: 6 })),
  }),
);

describe('shared kube-proxy payload (property)', () => {
  it('renders, node by node, exactly what buildIptablesPayload writes', () => {
    fc.assert(
      fc.property(caseArb, ({ family, services, nodes }) => {
        const ports = services.map((s) => s.svc);
        const endpoints = new Map(services.map((s) => [`ns/${s.svc.name}:${s.svc.portName}`, s.eps]));
        const memo = createPayloadMemo(family, ports, endpoints);
        for (const config of nodes) {
          expect(renderPayloadParts(buildPayloadParts(config, memo))).toBe(buildIptablesPayload(config, ports, endpoints).text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the KUBE-FW "allow from node" rule only to nodes inside the source range', () => {
    const ports = [svcPort('ns', 'svc0', { type: 'LoadBalancer', clusterIP: '172.30.0.1', nodePort: 30000, loadBalancerIPs: ['172.30.0.2'], loadBalancerSourceRanges: ['192.168.0.0/30'] })];
    const endpoints = new Map([['ns/svc0:p80', [ep('10.0.0.1', 80)]]]);
    const memo = createPayloadMemo(4, ports, endpoints);
    for (const last of [2, 5, 3]) {
      const config: ProxierConfig = { nodeName: `n${last}`, family: 4, nodeIPs: [`192.168.0.${last}`], clusterCIDR: '10.0.0.0/16' };
      const text = renderPayloadParts(buildPayloadParts(config, memo));
      expect(text).toBe(buildIptablesPayload(config, ports, endpoints).text);
      expect(text.includes('-s 172.30.0.2 -j KUBE-EXT')).toBe(last !== 5);
    }
  });

  it('renders upstream\'s overall fixture on every node as buildIptablesPayload does', () => {
    const memo = createPayloadMemo(4, OVERALL_SERVICES, OVERALL_ENDPOINTS);
    for (const nodeName of ['test-node', 'other', 'test-node']) {
      const config: ProxierConfig = { nodeName, family: 4, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
      expect(renderPayloadParts(buildPayloadParts(config, memo))).toBe(buildIptablesPayload(config, OVERALL_SERVICES, OVERALL_ENDPOINTS).text);
    }
    // The ports without an endpoint on the node were built once for all three syncs.
    const built = [...memo.fragments.values()].flat().filter((f) => f !== undefined).length;
    expect(built).toBeGreaterThan(0);
    expect(built).toBeLessThanOrEqual(OVERALL_SERVICES.length);
  });
});
