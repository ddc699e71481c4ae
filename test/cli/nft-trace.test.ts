import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const RULES = 'test/fixtures/nftables/kube-proxy-overall.list';
const podToService = ['nft', 'trace', '--rules', RULES, '--in', 'eth0', '--src', '10.0.0.5', '--dst', '172.30.0.41', '--dport', '80', '--local-addr', '192.168.0.2'];

describe('netsim nft trace', () => {
  it('walks a pod → ClusterIP packet through the service-ips vmap to an endpoint DNAT', async () => {
    const r = await cli([...podToService, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('ACCEPT');
    expect(doc.hooks).toEqual(['PREROUTING', 'FORWARD', 'POSTROUTING']);
    expect(doc.packet.dst).toBe('10.180.0.1');
    expect(doc.nat).toEqual([{ hook: 'PREROUTING', field: 'dst', from: '172.30.0.41', to: '10.180.0.1', by: 'DNAT' }]);
    const lines: string[] = doc.nft;
    expect(lines.some((l) => l.includes('vmap @service-ips (verdict goto service-ULMVA6XW-ns1/svc1/tcp/p80)'))).toBe(true);
    expect(lines.some((l) => l.includes('dnat to 10.180.0.1:80 (verdict accept)'))).toBe(true);
  });

  it('prints nft monitor trace lines as text, the same for the same seed', async () => {
    const a = await cli([...podToService, '--seed', '3']);
    const b = await cli([...podToService, '--seed', '3']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^trace id [0-9a-f]{8} ip kube-proxy nat-prerouting rule jump services \(verdict jump services\)$/m);
    expect(a.stdout).toContain('verdict ACCEPT');
  });

  it('rejects a packet to a Service without endpoints through no-endpoint-services', async () => {
    const r = await cli(['nft', 'trace', '--rules', RULES, '--in', 'eth0', '--src', '203.0.113.7', '--dst', '172.30.0.46', '--dport', '80', '--local-addr', '192.168.0.2', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('REJECT');
    expect(doc.nft.at(-1)).toMatch(/reject-chain rule reject/);
  });

  it('says why a masquerade dropped when no output device was given, and masquerades with one', async () => {
    const base = ['nft', 'trace', '--rules', RULES, '--in', 'eth0', '--src', '203.0.113.7', '--dst', '5.6.7.8', '--dport', '80', '--local-addr', '192.168.0.2'];
    const without = await cli(base);
    expect(without.stdout).toContain('verdict DROP by ip kube-proxy/masquerading#3');
    expect(without.stdout).toContain('hint: MASQUERADE dropped the packet because no output device was given');
    const withOut = JSON.parse((await cli([...base, '--out', 'eth1', '-o', 'json'])).stdout);
    expect(withOut.verdict).toBe('ACCEPT');
    expect(withOut.packet.src).toBe('192.168.0.2');
    expect(withOut.hints).toBeUndefined();
  });

  it('refuses bad arguments with a usage message that names nft trace', async () => {
    const r = await cli(['nft', 'trace', '--rules', RULES, '--src', '10.0.0.5', '--dst', '172.30.0.41', '--local-addr', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("netsim: --local-addr: not an IP address: nope\nRun 'netsim nft trace --help' for usage.\n");
    const icmp = await cli(['nft', 'trace', '--rules', RULES, '--src', '10.0.0.5', '--dst', '172.30.0.41', '--proto', 'icmp', '--dport', '80']);
    expect(icmp.code).toBe(2);
    expect(icmp.stderr).toContain('ICMP has no ports');
  });

  it('words its help in nft terms (lower-case hooks, numgen)', async () => {
    const r = await cli(['nft', 'trace', '--help']);
    expect(r.stdout).toContain('numgen random');
    expect(r.stdout).toContain('(prerouting)');
    expect(r.stdout).not.toContain('-m statistic');
  });
});
