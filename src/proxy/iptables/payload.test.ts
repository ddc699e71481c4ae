import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SECTION9_CONFIG, SECTION9_ENDPOINTS, SECTION9_SERVICES } from './__fixtures__/section9.js';
import { describe, expect, it } from 'vitest';
import { type PacketFlowTest, tracePacket } from './__fixtures__/tracer.js';
import { ep, fakeProxierConfig, svcPort, testNodeName } from './__fixtures__/upstream.js';
import { builtinJumpSpecs, builtinJumps } from './builtin-jumps.js';
import { checkRuleJumps } from './consistency.js';
import { buildIptablesPayload } from './payload.js';
import { sortedForTest } from './sorted.js';

const goldenDir = '../../../test/golden/proxy/';
const goldenPath = (name: string) => fileURLToPath(new URL(`${goldenDir}${name}`, import.meta.url));

function rulesOf(text: string, table: 'filter' | 'nat'): string[] {
  const section = text.split('COMMIT\n').find((t) => t.trimStart().startsWith(`*${table}`)) ?? '';
  return section.split('\n').filter((l) => l.startsWith('-A '));
}

describe('reference note §9 worked example', () => {
  const config = SECTION9_CONFIG;
  const services = [...SECTION9_SERVICES];
  const endpoints = SECTION9_ENDPOINTS;

  it('is reproduced byte for byte (sorted form)', () => {
    const { text } = buildIptablesPayload(config, services, endpoints);
    expect(sortedForTest(text)).toBe(readFileSync(goldenPath('reference-section9.iptables'), 'utf8'));
    expect(checkRuleJumps(text)).toEqual([]);
  });

  it.each([
    ['pod to ClusterIP', '10.180.0.9', '172.30.0.10', 80, '10.180.0.5:8080, 10.180.1.7:8080', false],
    ['node to ClusterIP', '192.168.0.2', '172.30.0.10', 80, '10.180.0.5:8080, 10.180.1.7:8080', true],
    ['external to NodePort', '203.0.113.2', '192.168.0.2', 30443, '10.180.1.9:8443', true],
    ['allowed external to LB (eTP Local)', '203.0.113.2', '1.2.3.4', 443, '10.180.0.8:8443', false],
    ['blocked external to LB', '203.0.113.130', '1.2.3.4', 443, 'DROP', false],
    ['pod to LB (source range checked first)', '10.180.0.9', '1.2.3.4', 443, 'DROP', false],
    ['pod to NodePort (eTP Local short-circuit)', '10.180.0.9', '192.168.0.2', 31443, '10.180.0.8:8443, 10.180.1.8:8443', false],
    ['localhost to NodePort', '127.0.0.1', '127.0.0.1', 30443, '10.180.1.9:8443', true],
    ['health check node port', '203.0.113.2', '192.168.0.2', 32000, 'ACCEPT', false],
  ] as const)('traces %s as the reference table says', (name, sourceIP, destIP, destPort, output, masq) => {
    const { text } = buildIptablesPayload(config, services, endpoints);
    const flow: PacketFlowTest = { name, sourceIP, destIP, destPort, output };
    expect(tracePacket(text, flow, ['192.168.0.2'])).toEqual({ output, masq });
  });

  it('lets UDP to a TCP ClusterIP through untouched', () => {
    const { text } = buildIptablesPayload(config, services, endpoints);
    const flow: PacketFlowTest = { name: 'udp', sourceIP: '10.180.0.9', protocol: 'UDP', destIP: '172.30.0.10', destPort: 80, output: '' };
    expect(tracePacket(text, flow, ['192.168.0.2'])).toEqual({ output: '', masq: false });
  });

  it('emits in kube-proxy order: top-level chains and fixed rules first, the NodePort catch-all last', async () => {
    const payload = buildIptablesPayload(config, services, endpoints);
    expect(payload.filter[0]).toBe('*filter');
    expect(payload.filter.at(-1)).toBe('COMMIT');
    expect(payload.nat.slice(1, 5)).toEqual([
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-POSTROUTING - [0:0]',
      ':KUBE-MARK-MASQ - [0:0]',
    ]);
    expect(payload.text).toBe(`${[...payload.filter, ...payload.nat].join('\n')}\n`);
    await expect(payload.text).toMatchFileSnapshot(goldenPath('reference-section9.payload.iptables'));
  });
});

describe('ClusterIP services', () => {
  const config = fakeProxierConfig({ nfacct: false });
  const svc = svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41' });
  const eps = (n: number) => Array.from({ length: n }, (_, i) => ep(`10.180.0.${i + 1}`, 80));

  it.each([1, 2, 3])('%d endpoint(s)', async (n) => {
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': eps(n) });
    expect(checkRuleJumps(text)).toEqual([]);
    await expect(sortedForTest(text)).toMatchFileSnapshot(goldenPath(`clusterip-${n}-endpoints.iptables`));
  });

  it('3 endpoints: probabilities 1/3, 1/2, then unconditional', () => {
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': eps(3) });
    const jumps = rulesOf(text, 'nat').filter((l) => l.startsWith('-A KUBE-SVC-') && l.includes('-j KUBE-SEP-'));
    expect(jumps.map((l) => /--probability (\S+)/.exec(l)?.[1] ?? 'last')).toEqual(['0.3333333333', '0.5000000000', 'last']);
  });

  it('no endpoints: REJECT in filter KUBE-SERVICES, nothing in nat', async () => {
    const { text } = buildIptablesPayload(config, [svc], {});
    expect(rulesOf(text, 'filter')).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
    );
    expect(rulesOf(text, 'nat').some((l) => l.includes('ns1/svc1'))).toBe(false);
    expect(checkRuleJumps(text)).toEqual([]);
    await expect(sortedForTest(text)).toMatchFileSnapshot(goldenPath('clusterip-no-endpoints.iptables'));
  });

  it('ClientIP affinity: rcheck in SVC, set in SEP', async () => {
    const sticky = { ...svc, sessionAffinity: 'ClientIP' as const, sessionAffinityTimeoutSeconds: 600 };
    const { text } = buildIptablesPayload(config, [sticky], { 'ns1/svc1:p80': eps(2) });
    const nat = rulesOf(text, 'nat');
    expect(nat.filter((l) => l.includes('--rcheck --seconds 600 --reap'))).toHaveLength(2);
    expect(nat.filter((l) => / -m recent --name KUBE-SEP-\S+ --set -m tcp -p tcp -j DNAT/.test(l))).toHaveLength(2);
    expect(checkRuleJumps(text)).toEqual([]);
    await expect(sortedForTest(text)).toMatchFileSnapshot(goldenPath('clusterip-affinity.iptables'));
  });

  it('masqueradeAll: the ClusterIP masquerade rule has no source match', () => {
    const { text } = buildIptablesPayload({ ...config, masqueradeAll: true }, [svc], { 'ns1/svc1:p80': eps(1) });
    expect(rulesOf(text, 'nat')).toContain(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ',
    );
  });

  it('no detector: no ClusterIP masquerade rule at all', () => {
    const noDetector = { ...config, detectLocal: { mode: 'None' as const } };
    const { text } = buildIptablesPayload(noDetector, [svc], { 'ns1/svc1:p80': eps(1) });
    expect(rulesOf(text, 'nat').filter((l) => l.startsWith('-A KUBE-SVC-'))).toEqual([
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    ]);
  });

  it.each([
    [{ mode: 'BridgeInterface', value: 'cbr0' }, '! -i cbr0'],
    [{ mode: 'InterfaceNamePrefix', value: 'veth' }, '! -i veth+'],
    [{ mode: 'NodeCIDR', value: '10.0.1.0/24' }, '! -s 10.0.1.0/24'],
  ] as const)('detector %o masquerades with %s', (detectLocal, match) => {
    const { text } = buildIptablesPayload({ ...config, detectLocal }, [svc], { 'ns1/svc1:p80': eps(1) });
    expect(rulesOf(text, 'nat').filter((l) => l.includes(`--dport 80 ${match} -j KUBE-MARK-MASQ`))).toHaveLength(1);
  });

  it('skips headless services and ClusterIPs of the other family', () => {
    const ignored = [svcPort('ns1', 'headless', { clusterIP: 'None' }), svcPort('ns1', 'v6', { clusterIP: 'fd00::1' })];
    const { text } = buildIptablesPayload(config, ignored, {});
    expect(text).not.toContain('headless');
    expect(text).not.toContain('ns1/v6');
  });
});

describe('traffic policies', () => {
  const config = fakeProxierConfig({ nfacct: false });
  const remote = [ep('10.180.1.1', 80, { nodeName: 'node-b' })];

  it('iTP Local without local endpoints: DROP the ClusterIP in filter, no nat rule', () => {
    const svc = svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41', internalTrafficPolicy: 'Local' });
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': remote });
    expect(rulesOf(text, 'filter')).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP',
    );
    expect(rulesOf(text, 'nat').some((l) => l.includes('ns1/svc1'))).toBe(false);
    expect(checkRuleJumps(text)).toEqual([]);
  });

  it('iTP Local with a local endpoint: ClusterIP → KUBE-SVL, masquerade rule in SVL', () => {
    const svc = svcPort('ns1', 'svc1', { clusterIP: '172.30.0.41', internalTrafficPolicy: 'Local' });
    const local = [...remote, ep('10.180.0.1', 80, { nodeName: testNodeName })];
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': local });
    const nat = rulesOf(text, 'nat');
    expect(nat.some((l) => l.startsWith('-A KUBE-SERVICES') && l.endsWith('-j KUBE-SVL-XPGD46QRK7WJZT7O'))).toBe(true);
    expect(nat.some((l) => l.startsWith('-A KUBE-SVL-XPGD46QRK7WJZT7O') && l.includes('! -s 10.0.0.0/8 -j KUBE-MARK-MASQ'))).toBe(true);
    expect(nat.some((l) => l.startsWith('-A KUBE-SVC-'))).toBe(false);
    expect(nat.filter((l) => l.includes('-j DNAT'))).toEqual([
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    ]);
    expect(checkRuleJumps(text)).toEqual([]);
  });

  it('only terminating endpoints: the serving ones are used (cluster and local)', () => {
    const svc = svcPort('ns1', 'svc1', { clusterIP: '172.30.1.1', type: 'LoadBalancer', loadBalancerIPs: ['1.2.3.4'], externalTrafficPolicy: 'Local' });
    const terminating = { ready: false, serving: true, terminating: true };
    const list = [
      ep('10.0.1.2', 80, { ...terminating, nodeName: testNodeName }),
      ep('10.0.1.4', 80, { ready: false, serving: false, terminating: true, nodeName: testNodeName }),
      ep('10.0.1.5', 80, { nodeName: 'node-1' }),
    ];
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': list });
    const dnat = rulesOf(text, 'nat').filter((l) => l.includes('-j DNAT')).map((l) => l.split(' ').at(-1));
    expect(dnat).toEqual(['10.0.1.2:80', '10.0.1.5:80']);
    expect(checkRuleJumps(text)).toEqual([]);
  });
});

describe('IPv6', () => {
  const config = fakeProxierConfig({ family: 6, nfacct: false });
  const svc = svcPort('ns1', 'svc1', { clusterIP: 'fd00:172:30::41', type: 'NodePort', nodePort: 3001 });
  const eps = [ep('fd00:10:180::2:1', 80, { nodeName: testNodeName }), ep('fd00:10:180::1', 80), ep('10.180.0.9', 80)];

  it('brackets endpoints, uses the v6 pod CIDR and excludes ::1 from NodePorts', async () => {
    const { text } = buildIptablesPayload(config, [svc], { 'ns1/svc1:p80': eps });
    const nat = rulesOf(text, 'nat');
    expect(nat.filter((l) => l.includes('-j DNAT')).map((l) => l.split(' ').at(-1))).toEqual([
      '[fd00:10:180::1]:80',
      '[fd00:10:180::2:1]:80',
    ]);
    expect(nat.some((l) => l.includes('-s fd00:10:180::1 -j KUBE-MARK-MASQ'))).toBe(true);
    expect(nat.some((l) => l.includes('! -s fd00:10::/64 -j KUBE-MARK-MASQ'))).toBe(true);
    expect(nat.at(-1)).toContain('-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS');
    expect(rulesOf(text, 'filter').some((l) => l.startsWith('-A KUBE-FIREWALL'))).toBe(false);
    expect(text).not.toContain(':KUBE-FIREWALL');
    expect(checkRuleJumps(text)).toEqual([]);
    await expect(sortedForTest(text)).toMatchFileSnapshot(goldenPath('ipv6-nodeport.iptables'));
  });
});

describe('checkRuleJumps', () => {
  it('reports jumps to missing or empty chains and unused chains', () => {
    const bad = ['*filter', 'COMMIT', '*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-SVC-A - [0:0]', ':KUBE-SVC-B - [0:0]',
      '-A KUBE-SERVICES -j KUBE-SVC-A', '-A KUBE-SERVICES -j KUBE-SVC-C', 'COMMIT', ''].join('\n');
    expect(checkRuleJumps(bad)).toEqual([
      'nat: KUBE-SVC-C is used but not created',
      'nat: KUBE-SVC-A is jumped to but has no rules',
      'nat: KUBE-SVC-C is jumped to but has no rules',
      'nat: KUBE-SVC-B is created but not used',
    ]);
  });
});

describe('builtinJumps', () => {
  it('ensures 14 rules, prepending, so the kernel order is the reverse', () => {
    const specs = builtinJumpSpecs();
    expect(specs).toHaveLength(14);
    expect(builtinJumps()).toEqual([...specs].reverse());
    expect(specs[0]).toEqual({
      table: 'filter',
      chain: 'INPUT',
      target: 'KUBE-EXTERNAL-SERVICES',
      rule: '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    });
  });

  it('leaves filter INPUT as KUBE-FIREWALL, PROXY-FIREWALL, NODEPORTS, EXTERNAL-SERVICES', () => {
    const input = builtinJumps().filter((j) => j.table === 'filter' && j.chain === 'INPUT');
    expect(input.map((j) => j.target)).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES']);
    expect(input[0]?.rule).toBe('-A INPUT -j KUBE-FIREWALL');
  });

  it('hooks nat PREROUTING and OUTPUT to KUBE-SERVICES and POSTROUTING to KUBE-POSTROUTING', () => {
    const nat = builtinJumps().filter((j) => j.table === 'nat').map((j) => j.rule);
    expect(nat).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
  });
});
