/**
 * Upstream kube-proxy test cases reproduced with the same inputs and expected dumps.
 *
 * Source: kubernetes/kubernetes, pkg/proxy/iptables/proxier_test.go, the version stored in the
 * code index with id 191206484 (main branch of the v1.32/v1.33 era: discovery/v1, ptr.To,
 * klog ktesting, nfacct counters, LoadBalancerIPMode emulation at 1.31). The index did not
 * record that version's commit hash; the expected dumps below are copied verbatim from it.
 *
 * As upstream does, both sides are compared after sortedForTest, since kube-proxy emits
 * services in Go map order.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EndpointInput } from '../types.js';
import { OVERALL_ENDPOINTS, OVERALL_SERVICES, ep, fakeProxierConfig, svcPort } from './__fixtures__/upstream.js';
import { checkRuleJumps } from './consistency.js';
import { buildIptablesPayload } from './payload.js';
import { sortedForTest } from './sorted.js';

const goldenDir = fileURLToPath(new URL('../../../test/golden/proxy/upstream/', import.meta.url));
const golden = (name: string) => readFileSync(`${goldenDir}${name}.iptables`, 'utf8');

function chainRules(text: string, table: string, chain: string): string[] {
  const section = text.split('COMMIT\n').find((t) => t.trimStart().startsWith(`*${table}`)) ?? '';
  return section.split('\n').filter((l) => l.startsWith(`-A ${chain} `));
}

describe('TestOverallIPTablesRules', () => {
  const services = [...OVERALL_SERVICES];
  const endpoints = OVERALL_ENDPOINTS;

  it('reproduces the expected dump', () => {
    const { text } = buildIptablesPayload(fakeProxierConfig(), services, endpoints);
    expect(sortedForTest(text)).toBe(golden('TestOverallIPTablesRules'));
    expect(checkRuleJumps(text)).toEqual([]);
  });

  it('does not depend on service order', () => {
    const a = buildIptablesPayload(fakeProxierConfig(), services, endpoints).text;
    const b = buildIptablesPayload(fakeProxierConfig(), [...services].reverse(), endpoints).text;
    expect(sortedForTest(b)).toBe(sortedForTest(a));
  });
});

describe('TestSyncProxyRulesRepeated (initial full sync)', () => {
  it('reproduces the expected dump', () => {
    const services = [
      svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
      svcPort('ns2', 'svc2', { clusterIP: '172.30.0.42', portName: 'p8080', port: 8080 }),
    ];
    const endpoints = { 'ns1/svc1:p80': [ep('10.0.1.1', 80)], 'ns2/svc2:p8080': [ep('10.0.2.1', 8080)] };
    const { text } = buildIptablesPayload(fakeProxierConfig(), services, endpoints);
    expect(sortedForTest(text)).toBe(golden('TestSyncProxyRulesRepeated-initial'));
    expect(checkRuleJumps(text)).toEqual([]);
  });
});

describe('TestSyncProxyRulesRepeated (full resync after svc4 is deleted)', () => {
  it('reproduces the expected dump, deleting the stale chains', () => {
    const services = [
      svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
      svcPort('ns3', 'svc3', { clusterIP: '172.30.0.43' }),
    ];
    const endpoints = { 'ns1/svc1:p80': [ep('10.0.1.1', 80)], 'ns3/svc3:p80': [ep('10.0.3.2', 80), ep('10.0.3.3', 80)] };
    // What iptables-save lists before the sync: the chains of svc1, svc3 and the deleted svc4,
    // plus chains that are not kube-proxy's per-service chains (never deleted).
    const existingNatChains = [
      'KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'DOCKER',
      'KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SEP-SNQ3ZNILQDEJNDQO',
      'KUBE-SVC-X27LE4BHSL4DOUIK', 'KUBE-SEP-DKCFIS26GWF2WLWC', 'KUBE-SEP-JVVZVJ7BSEPPRNBS',
      'KUBE-SVC-4SW47YFZTEDKD3PK', 'KUBE-SEP-AYCN5HPXMIRJNJXU',
    ];
    const { text } = buildIptablesPayload(fakeProxierConfig(), services, endpoints, { existingNatChains });
    expect(sortedForTest(text)).toBe(golden('TestSyncProxyRulesRepeated-final'));
    expect(checkRuleJumps(text)).toEqual([]);
  });
});

describe('TestBadIPs', () => {
  it('rewrites leading-zero IPs and CIDRs canonically', () => {
    const services = [
      svcPort('ns1', 'svc1', {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.041',
        nodePort: 3001,
        loadBalancerIPs: ['1.2.3.004'],
        externalIPs: ['192.168.099.022'],
        loadBalancerSourceRanges: ['203.0.113.000/025'],
      }),
    ];
    const endpoints = { 'ns1/svc1:p80': [ep('10.180.00.001', 80)] };
    const { text } = buildIptablesPayload(fakeProxierConfig(), services, endpoints);
    expect(sortedForTest(text)).toBe(golden('TestBadIPs'));
  });
});

describe('TestSyncProxyRulesLargeClusterMode (full syncs)', () => {
  const threshold = 1000;
  const range = (n: number, f: (i: number) => EndpointInput) => Array.from({ length: n }, (_, i) => f(i));
  const services = [
    svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' }),
    svcPort('ns2', 'svc2', { clusterIP: '172.30.0.42', portName: 'p8080', port: 8080 }),
    svcPort('ns3', 'svc3', { clusterIP: '172.30.0.43', portName: 'p8081', port: 8081 }),
  ];
  const base: Record<string, EndpointInput[]> = {
    'ns1/svc1:p80': range(threshold / 2 - 1, (i) => ep(`10.0.${i % 256}.${Math.floor(i / 256)}`, 80)),
    'ns2/svc2:p8080': range(threshold / 2 - 1, (i) => ep(`10.1.${i % 256}.${Math.floor(i / 256)}`, 8080)),
  };
  const dnatLines = (text: string) => text.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('-j DNAT'));
  const config = fakeProxierConfig({ masqueradeAll: true });

  it('keeps comments at 998 endpoints', () => {
    const lines = dnatLines(buildIptablesPayload(config, services, base).text);
    expect(lines).toHaveLength(998);
    expect(lines.filter((l) => l.includes('--comment'))).toHaveLength(998);
    expect(lines).toContain('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
  });

  it('drops the comments above 1000 endpoints', () => {
    const more = { ...base, 'ns3/svc3:p8081': [ep('203.0.113.4', 8081), ep('203.0.113.8', 8081), ep('203.0.113.12', 8081)] };
    const lines = dnatLines(buildIptablesPayload(config, services, more).text);
    expect(lines).toHaveLength(1001);
    expect(lines.filter((l) => l.includes('--comment'))).toHaveLength(0);
    expect(lines).toContain('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
    expect(lines).toContain('-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081');
  });
});

describe('TestMasqueradeRule', () => {
  it.each([
    [false, ''],
    [true, ' --random-fully'],
  ])('randomFully %s', (randomFully, suffix) => {
    const { text } = buildIptablesPayload(fakeProxierConfig({ randomFully }), [], {});
    expect(chainRules(text, 'nat', 'KUBE-POSTROUTING')).toEqual([
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${suffix}`,
    ]);
  });
});

describe('TestDropInvalidRule', () => {
  const tail = [
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ];
  it.each([
    [false, false, ['-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP']],
    [true, false, ['-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP']],
    [false, true, []],
  ])('nfacct %s, tcpLiberal %s', (nfacct, conntrackTCPLiberal, head) => {
    const { text } = buildIptablesPayload(fakeProxierConfig({ nfacct, conntrackTCPLiberal }), [], {});
    expect(chainRules(text, 'filter', 'KUBE-FORWARD')).toEqual([...head, ...tail]);
  });
});

describe('TestNodePorts (KUBE-FIREWALL and the NodePort catch-all)', () => {
  const firewall =
    '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP';
  const last = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
  it.each([
    ['ipv4, localhost-nodeports enabled', 4, true, undefined, [firewall], [`${last} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]],
    ['ipv4, localhost-nodeports disabled', 4, false, undefined, [], [`${last} -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS`]],
    [
      'ipv4, localhost-nodeports disabled, localhost in nodeport-addresses',
      4,
      false,
      ['192.168.0.0/24', '127.0.0.1/32'],
      [],
      [`${last} -d 192.168.0.2 -j KUBE-NODEPORTS`],
    ],
    [
      'ipv4, multiple nodeport-addresses',
      4,
      false,
      ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'],
      [],
      [`${last} -d 192.168.0.2 -j KUBE-NODEPORTS`, `${last} -d 192.168.1.2 -j KUBE-NODEPORTS`],
    ],
    ['ipv6, localhost-nodeports enabled', 6, true, undefined, [], [`${last} -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS`]],
    [
      'ipv6, multiple nodeport-addresses',
      6,
      false,
      ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'],
      [],
      [`${last} -d 2001:db8::1 -j KUBE-NODEPORTS`],
    ],
  ] as const)('%s', (_name, family, localhostNodePorts, nodePortAddresses, wantFirewall, wantLast) => {
    const config = fakeProxierConfig({ family, localhostNodePorts, ...(nodePortAddresses ? { nodePortAddresses } : {}) });
    const { text } = buildIptablesPayload(config, [], {});
    expect(chainRules(text, 'filter', 'KUBE-FIREWALL')).toEqual(wantFirewall);
    expect(chainRules(text, 'nat', 'KUBE-SERVICES')).toEqual(wantLast);
  });
});
