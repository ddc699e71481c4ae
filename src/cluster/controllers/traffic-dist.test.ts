import { describe, expect, it } from 'vitest';
import { ip } from '../../addr/index.js';
import type { Endpoint, Pod, Service } from '../objects.js';
import { reconcileEndpointSlices } from './endpoint-slice.js';
import { nodeZones, withTrafficHints } from './traffic-dist.js';

const ep = (extra: Partial<Endpoint> = {}): Endpoint => ({ addresses: [ip('10.244.0.2')], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', zone: 'zone-a', ...extra });

describe('trafficDistribution hints (trafficdist.ReconcileHints)', () => {
  it.each([
    ['PreferClose', { forZones: ['zone-a'], forNodes: [] }],
    ['PreferSameZone', { forZones: ['zone-a'], forNodes: [] }],
    ['PreferSameNode', { forZones: ['zone-a'], forNodes: ['n1'] }],
  ])('%s hints a ready endpoint with its own zone', (td, hints) => {
    expect(withTrafficHints(ep(), td).hints).toEqual(hints);
  });

  it('writes no hint without trafficDistribution, and removes a stale one', () => {
    expect(withTrafficHints(ep({ hints: { forZones: ['zone-b'], forNodes: [] } }), undefined).hints).toBeUndefined();
  });

  it('leaves endpoints that are not ready, and endpoints without a zone, unhinted', () => {
    expect(withTrafficHints(ep({ conditions: { ready: false, serving: true, terminating: true } }), 'PreferClose').hints).toBeUndefined();
    const { zone: _z, ...noZone } = ep();
    expect(withTrafficHints(noZone, 'PreferClose').hints).toBeUndefined();
    expect(withTrafficHints(noZone, 'PreferSameNode').hints).toEqual({ forZones: [], forNodes: ['n1'] });
  });

  it('reads zones from node labels, skipping empty ones', () => {
    const zones = nodeZones([{ name: 'a', labels: { 'topology.kubernetes.io/zone': 'z1' } }, { name: 'b', labels: { 'topology.kubernetes.io/zone': '' } }, { name: 'c', labels: {} }]);
    expect([...zones]).toEqual([['a', 'z1']]);
  });
});

describe('EndpointSlice controller with zones', () => {
  const pod = (name: string, node: string, addr: string): { pod: Pod; ips: ReturnType<typeof ip>[] } => ({
    pod: { name, namespace: 'default', labels: { app: 'b' }, nodeName: node, scheduledBy: 'spec', hostNetwork: false, podIPs: [], ready: true, terminating: false, containers: [{ name: 'c', ports: [] }] },
    ips: [ip(addr)],
  });
  const svc = (extra: Partial<Service>): Service => ({
    name: 'svc', namespace: 'default', labels: {}, type: 'ClusterIP', selector: { app: 'b' }, clusterIPs: [ip('10.96.0.2')], headless: false,
    ports: [{ name: '', protocol: 'TCP', port: 80, targetPort: 8080 }], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None', sessionAffinityTimeoutSeconds: 10800, externalIPs: [], loadBalancerSourceRanges: [], loadBalancerIngress: [], publishNotReadyAddresses: false, ...extra,
  });
  const pods = [pod('a', 'n1', '10.244.0.2'), pod('b', 'n2', '10.244.1.2'), pod('c', 'n3', '10.244.2.2')];
  const zones = new Map([['n1', 'zone-a'], ['n2', 'zone-b']]);

  it('copies the node zone into each endpoint and hints it for PreferClose', () => {
    const [slice] = reconcileEndpointSlices({ services: [svc({ trafficDistribution: 'PreferClose' })], pods, provided: [], zones });
    expect(slice?.endpoints.map((e) => [e.zone, e.hints?.forZones])).toEqual([['zone-a', ['zone-a']], ['zone-b', ['zone-b']], [undefined, undefined]]);
  });

  it('writes zones but no hints without trafficDistribution', () => {
    const [slice] = reconcileEndpointSlices({ services: [svc({})], pods, provided: [], zones });
    expect(slice?.endpoints.map((e) => [e.zone, e.hints])).toEqual([['zone-a', undefined], ['zone-b', undefined], [undefined, undefined]]);
  });
});
