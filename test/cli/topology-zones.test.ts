/**
 * trafficDistribution end to end in both kube-proxy modes (scenarios/topology-zones.yaml):
 * the controller's hints in `get endpointslices`, and each node's rules keeping only the
 * endpoints of its zone (CategorizeEndpoints), falling back to all when a node has no zone
 * or an endpoint has no hint. The iptables-mode rules are goldens in test/golden/topology-zones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const PATH = 'scenarios/topology-zones.yaml';
const IPTABLES = readFileSync(PATH, 'utf8');
const NFT = IPTABLES.replace(/^spec:\n/m, 'spec:\n  kubeProxy: {mode: nftables}\n');

/** The endpoints `default/web` (PreferClose) and `default/api` (one endpoint without a zone) reach from a node, per mode. */
async function reached(node: string, mode: 'iptables' | 'nft'): Promise<{ web: string[]; api: string[] }> {
  const r = await cli(['show', node, mode, '-f', PATH], { [PATH]: mode === 'nft' ? NFT : IPTABLES });
  expect(r.stderr).toBe('');
  const ips = (svc: string): string[] => {
    const pattern = mode === 'nft' ? new RegExp(`endpoint-\\w+-default/${svc}/tcp/__([\\d.]+)/\\d+ \\{`, 'g') : new RegExp(`-A KUBE-SVC-\\w+ -m comment --comment "default/${svc} -> ([\\d.]+):`, 'g');
    return [...r.stdout.matchAll(pattern)].map((m) => m[1] ?? '').sort();
  };
  return { web: ips('web'), api: ips('api') };
}

// web-a 10.244.1.2 (node-2, zone-a); web-b1, web-b2 10.244.2.2-3 (node-3, zone-b); api-a 10.244.1.3 (zone-a), api-x 10.244.3.2 (node-4, no zone).
describe.each(['iptables', 'nft'] as const)('trafficDistribution: PreferClose, kube-proxy %s', (mode) => {
  it.each([
    ['node-1', ['10.244.1.2']],
    ['node-3', ['10.244.2.2', '10.244.2.3']],
    ['node-4', ['10.244.1.2', '10.244.2.2', '10.244.2.3']],
  ])('%s reaches only its zone\'s web endpoints (all of them without a zone)', async (node, web) => {
    const got = await reached(node, mode);
    expect(got.web).toEqual(web);
    expect(got.api).toEqual(['10.244.1.3', '10.244.3.2']);
  });
});

describe('the hints the EndpointSlice controller writes', () => {
  it('shows zone and hints.forZones on PreferClose endpoints, zone only elsewhere', async () => {
    const r = await cli(['get', 'endpointslices', '-o', 'json', '-f', PATH]);
    const items = (JSON.parse(r.stdout) as { items: { metadata: { labels: Record<string, string> }; endpoints: { addresses: string[]; zone?: string; hints?: unknown }[] }[] }).items;
    const of = (svc: string) => items.filter((s) => s.metadata.labels['kubernetes.io/service-name'] === svc).flatMap((s) => s.endpoints.map((e) => [e.addresses[0], e.zone, e.hints]));
    expect(of('web')).toEqual([
      ['10.244.1.2', 'zone-a', { forZones: [{ name: 'zone-a' }] }],
      ['10.244.2.2', 'zone-b', { forZones: [{ name: 'zone-b' }] }],
      ['10.244.2.3', 'zone-b', { forZones: [{ name: 'zone-b' }] }],
    ]);
    expect(of('web-anywhere').map((e) => e[2])).toEqual([undefined, undefined, undefined]);
    expect(of('api')).toEqual([['10.244.1.3', 'zone-a', { forZones: [{ name: 'zone-a' }] }], ['10.244.3.2', undefined, undefined]]);
  });
});
