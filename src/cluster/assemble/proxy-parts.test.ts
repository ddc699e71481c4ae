/**
 * A port's fragment parsed (proxy-parts.ts parseFragments): its own chains are parsed when first
 * read, all of the port's at once and none of another port's; then they equal the reference
 * parse of the fragment's lines (parseRule, line by line), and the nesting summary made from the
 * scanned jumps equals the one made from the parsed rules.
 */
import { describe, expect, it } from 'vitest';
import type { Chain, Rule } from '../../kernel/netfilter/index.js';
import { FILTER_TOP_CHAINS, KUBE_FIREWALL, NAT_TOP_CHAINS, type EndpointInput, type ProxierConfig, type ServicePortInput, buildPayloadParts, createPayloadMemo } from '../../proxy/index.js';
import { fragmentShape } from './proxy-nesting.js';
import { parseFragments, parseLine } from './proxy-parts.js';

const CONFIG: ProxierConfig = { nodeName: 'node-1', nodeIPs: ['192.168.56.11'], family: 4, clusterCIDR: '10.244.0.0/16', serviceCIDRs: ['10.96.0.0/12'] };

/** Services of every kind the payload writes differently: ClusterIP, NodePort Local, ClientIP affinity, a load balancer with source ranges. */
function inputs(): { services: ServicePortInput[]; endpoints: Map<string, EndpointInput[]> } {
  const services: ServicePortInput[] = [];
  const endpoints = new Map<string, EndpointInput[]>();
  for (let i = 0; i < 12; i++) {
    const base = { namespace: 'ns', name: `svc-${i}`, portName: 'http', protocol: 'TCP' as const, clusterIP: `10.96.0.${i + 1}`, port: 80 };
    const kind = i % 4;
    if (kind === 0) services.push({ ...base, type: 'ClusterIP' });
    else if (kind === 1) services.push({ ...base, type: 'NodePort', nodePort: 30000 + i, externalTrafficPolicy: 'Local' });
    else if (kind === 2) services.push({ ...base, type: 'ClusterIP', sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 10800 });
    else services.push({ ...base, type: 'LoadBalancer', nodePort: 30000 + i, loadBalancerIPs: [`203.0.113.${i}`], loadBalancerSourceRanges: ['198.51.100.0/24'] });
    endpoints.set(`ns/svc-${i}:http`, [1, 2, 3].map((k) => ({ ip: `10.244.${k}.${i + 1}`, port: 8080, ready: true, serving: true, terminating: false, nodeName: `node-${k}` })));
  }
  return { services, endpoints };
}

const unparsed = (c: Chain): boolean => Object.getOwnPropertyDescriptor(c, 'rules')?.get !== undefined;

describe('a port fragment’s own chains', () => {
  it('are parsed when first read, a port at a time, and equal the reference parse', () => {
    const { services, endpoints } = inputs();
    const memo = createPayloadMemo(4, services, endpoints);
    const parts = buildPayloadParts(CONFIG, memo);
    const parsed = parseFragments(parts.ports, 4);
    const lazy = parsed.filter((p) => p.natChains.some(unparsed));
    // Every port but those whose lines the scan leaves to the parser (ClientIP affinity: `--reap -j`).
    expect(lazy.length).toBeGreaterThanOrEqual(parts.ports.length - 3);
    const [first, second] = lazy;
    void first!.natChains[0]!.rules;
    expect(first!.natChains.some(unparsed)).toBe(false);
    expect(second!.natChains.every(unparsed)).toBe(true);
    const tops = new Set([...FILTER_TOP_CHAINS, ...NAT_TOP_CHAINS, KUBE_FIREWALL]);
    parts.ports.forEach((f, i) => {
      const p = parsed[i]!;
      // The summary from the scanned jumps, taken before the rules are read, equals the one from the rules.
      const shape = p.shape;
      const want = new Map<string, Rule[]>(f.natChains.map((c) => [c, []]));
      for (const t of f.natRules) {
        const l = parseLine(t, 4, 'nat');
        want.get(l.chain)!.push(...l.rules);
      }
      expect(p.natChains).toEqual([...want].map(([name, rules]) => ({ name, counters: { packets: 0n, bytes: 0n }, rules })));
      expect(shape).toEqual(fragmentShape(p.natChains, { filter: p.filter, nat: p.natDispatch }, tops));
      expect(p.filter).toEqual(f.filter.map((t) => parseLine(t, 4, 'filter')));
      expect(p.natDispatch).toEqual(f.natDispatch.map((t) => parseLine(t, 4, 'nat')));
    });
  });
});
