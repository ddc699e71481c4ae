import { describe, expect, it } from 'vitest';
import type { EndpointInput, ProxierConfig } from '../types.js';
import { ep, fakeProxierConfig, testNodeName } from './__fixtures__/upstream.js';
import { categorizeEndpoints, normalizeEndpoints } from './endpoints.js';

const info = { spn: 'ns1/svc1:p80', protocol: 'tcp' };
const clusterOnly = { usesClusterEndpoints: true, usesLocalEndpoints: false };
const localOnly = { usesClusterEndpoints: false, usesLocalEndpoints: true };
const both = { usesClusterEndpoints: true, usesLocalEndpoints: true };

function categorize(list: EndpointInput[], uses: typeof both, config: ProxierConfig = fakeProxierConfig()) {
  const c = categorizeEndpoints(normalizeEndpoints(info, list, config), uses, config);
  const strs = (eps: readonly { str: string }[]) => eps.map((e) => e.str);
  return { cluster: strs(c.cluster), local: strs(c.local), all: strs(c.allReachable), any: c.hasAnyEndpoints };
}

describe('normalizeEndpoints', () => {
  it('sorts by the IP:port string as text (upstream TestUpdateEndpointsMap "complex add and remove")', () => {
    const eps = normalizeEndpoints(info, [ep('10.1.1.1', 11), ep('10.1.1.11', 11)], fakeProxierConfig());
    expect(eps.map((e) => e.str)).toEqual(['10.1.1.11:11', '10.1.1.1:11']);
  });

  it('de-duplicates by IP:port, preferring the non-terminating copy', () => {
    const eps = normalizeEndpoints(
      info,
      [ep('10.1.1.1', 80, { ready: false, terminating: true }), ep('10.1.1.1', 80), ep('10.1.1.1', 80, { ready: false, terminating: true })],
      fakeProxierConfig(),
    );
    expect(eps.map((e) => [e.str, e.ready])).toEqual([['10.1.1.1:80', true]]);
  });

  it('keeps only the proxier family and canonicalises addresses', () => {
    const eps = normalizeEndpoints(info, [ep('10.180.00.001', 80), ep('fd00::0001', 80)], fakeProxierConfig());
    expect(eps.map((e) => e.str)).toEqual(['10.180.0.1:80']);
    const v6 = normalizeEndpoints(info, [ep('10.180.0.1', 80), ep('fd00::0001', 80)], fakeProxierConfig({ family: 6 }));
    expect(v6.map((e) => e.str)).toEqual(['[fd00::1]:80']);
  });

  it('marks endpoints on this node local', () => {
    const eps = normalizeEndpoints(info, [ep('10.0.0.1', 80, { nodeName: testNodeName }), ep('10.0.0.2', 80)], fakeProxierConfig());
    expect(eps.map((e) => e.isLocal)).toEqual([true, false]);
  });
});

describe('categorizeEndpoints', () => {
  const st = { ready: false, serving: true, terminating: true };

  it('Cluster: ready endpoints only', () => {
    const r = categorize([ep('10.0.0.1', 80), ep('10.0.0.2', 80, st)], clusterOnly);
    expect(r).toEqual({ cluster: ['10.0.0.1:80'], local: [], all: ['10.0.0.1:80'], any: true });
  });

  it('Cluster: falls back to serving terminating endpoints', () => {
    const r = categorize([ep('10.0.0.2', 80, st), ep('10.0.0.3', 80, { ...st, serving: false })], clusterOnly);
    expect(r).toEqual({ cluster: ['10.0.0.2:80'], local: [], all: ['10.0.0.2:80'], any: true });
  });

  it('Local: no local endpoints, but usable remote ones still count as endpoints', () => {
    const r = categorize([ep('10.0.0.1', 80, { nodeName: 'other' })], localOnly);
    expect(r).toEqual({ cluster: [], local: [], all: [], any: true });
  });

  it('Local: local terminating fallback is merged into allReachable', () => {
    const r = categorize([ep('10.0.0.1', 80, { nodeName: 'other' }), ep('10.0.0.2', 80, { ...st, nodeName: testNodeName })], both);
    expect(r).toEqual({ cluster: ['10.0.0.1:80'], local: ['10.0.0.2:80'], all: ['10.0.0.1:80', '10.0.0.2:80'], any: true });
  });

  it('PreferSameZone: cluster endpoints restricted to hinted ones when every ready endpoint has hints', () => {
    const config = fakeProxierConfig({ topology: { zone: 'a' } });
    const list = [
      ep('10.0.0.1', 80, { zoneHints: ['a'], nodeName: 'n1' }),
      ep('10.0.0.2', 80, { zoneHints: ['b'], nodeName: testNodeName }),
    ];
    expect(categorize(list, both, config)).toEqual({
      cluster: ['10.0.0.1:80'],
      local: ['10.0.0.2:80'],
      all: ['10.0.0.1:80', '10.0.0.2:80'],
      any: true,
    });
    const partial = [ep('10.0.0.1', 80, { zoneHints: ['a'] }), ep('10.0.0.2', 80)];
    expect(categorize(partial, clusterOnly, config).cluster).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });

  it('PreferSameNode: only with the feature gate', () => {
    const list = [ep('10.0.0.1', 80, { nodeHints: [testNodeName] }), ep('10.0.0.2', 80, { nodeHints: ['other'] })];
    expect(categorize(list, clusterOnly, fakeProxierConfig({ topology: { preferSameNode: true } })).cluster).toEqual(['10.0.0.1:80']);
    expect(categorize(list, clusterOnly).cluster).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });

  it('no usable endpoints at all', () => {
    const r = categorize([ep('10.0.0.1', 80, { ready: false, serving: false, terminating: true })], both);
    expect(r).toEqual({ cluster: [], local: [], all: [], any: false });
  });
});
