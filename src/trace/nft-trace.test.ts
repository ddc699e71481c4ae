/**
 * Packet flows through kube-proxy's nftables ruleset (upstream TestOverallNFTablesRules: node
 * 192.168.0.2, pods 10.0.0.0/8, ClusterIPs 172.30.0.0/16), kube-proxy's packet-flow style:
 * source, destination and port → endpoint (or DROP/REJECT) and whether it is masqueraded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ip } from '../addr/ip.js';
import { parseNft } from '../kernel/netfilter/index.js';
import type { Packet } from '../packet/packet.js';
import { rngChooser, seededRng } from '../sim/context.js';
import { traceHost, traceHostAllPaths } from './iptables-trace.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/nftables/kube-proxy-overall.list');
const NFT = parseNft(readFileSync(FIXTURE, 'utf8'), { file: 'kube-proxy-overall.list' }).value;
const NODE = '192.168.0.2';

function tcp(src: string, dst: string, dport: number): Packet {
  return { ip: { family: 4, src: ip(src), dst: ip(dst), ttl: 64, length: 60, dontFragment: true }, l4: { proto: 'tcp', sport: 40000, dport, flags: ['SYN'] }, encap: [] };
}

function run(src: string, dst: string, dport: number) {
  return traceHost({ rulesets: [], nft: NFT, packet: tcp(src, dst, dport), inDev: 'eth0', outDev: 'eth0', localAddrs: [ip(NODE)] }, rngChooser(seededRng(1)));
}

/** `10.180.0.1:80`, `DROP`, `REJECT`, and whether the source was masqueraded. */
function outcome(r: ReturnType<typeof run>): { output: string; masq: boolean } {
  if (r.verdict !== 'ACCEPT') return { output: r.verdict, masq: false };
  const l4 = r.packet.l4 as { dport: number };
  return { output: `${r.packet.ip.dst.value === ip(NODE).value ? NODE : fmt(r.packet.ip.dst.value)}:${l4.dport}`, masq: r.nat.some((n) => n.by === 'MASQUERADE') };
}

function fmt(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

describe('kube-proxy nftables ruleset: packet flows', () => {
  it.each([
    { name: 'pod to cluster IP', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: false },
    { name: 'external to cluster IP is masqueraded', src: '192.168.0.9', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: true },
    { name: 'hairpin: the endpoint itself', src: '10.180.0.1', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: true },
    { name: 'service without endpoints rejects', src: '10.0.0.2', dst: '172.30.0.46', port: 80, output: 'REJECT', masq: false },
    { name: 'unallocated cluster IP is dropped', src: '10.0.0.2', dst: '172.30.0.50', port: 80, output: 'DROP', masq: false },
    { name: 'wrong port of a cluster IP is rejected', src: '10.0.0.2', dst: '172.30.0.41', port: 443, output: 'REJECT', masq: false },
    { name: 'external IP of a Cluster-policy service', src: '203.0.113.2', dst: '192.168.99.33', port: 80, output: 'ANY', masq: true },
    { name: 'NodePort of a Cluster-policy service', src: '203.0.113.2', dst: NODE, port: 3003, output: '10.180.0.3:80', masq: true },
    { name: 'NodePort of a Local-policy service without local endpoints', src: '203.0.113.2', dst: NODE, port: 3001, output: 'DROP', masq: false },
    { name: 'LoadBalancer IP, source allowed', src: '203.0.113.2', dst: '5.6.7.8', port: 80, output: '10.180.0.3:80', masq: true },
    { name: 'LoadBalancer IP, source outside loadBalancerSourceRanges', src: '203.0.113.130', dst: '5.6.7.8', port: 80, output: 'DROP', masq: false },
    { name: 'Local-policy LB IP from outside, no local endpoint', src: '203.0.113.2', dst: '1.2.3.4', port: 80, output: 'DROP', masq: false },
  ])('$name', ({ src, dst, port, output, masq }) => {
    const got = outcome(run(src, dst, port));
    if (output === 'ANY') expect(got.output).toMatch(/^10\.180\.0\.[45]:80$/);
    else expect(got).toEqual({ output, masq });
  });

  it('numgen random mod 2: both endpoints, half each', () => {
    const paths = traceHostAllPaths({ rulesets: [], nft: NFT, packet: tcp('10.0.0.2', '172.30.0.44', 80), inDev: 'eth0', outDev: 'eth0', localAddrs: [ip(NODE)] });
    expect(paths.map((p) => [fmt(p.packet.ip.dst.value), p.probability])).toEqual([
      ['10.180.0.4', 0.5],
      ['10.180.0.5', 0.5],
    ]);
  });

  it('reports the rules the kernel traces, in order', () => {
    const r = run('10.0.0.2', '172.30.0.41', 80);
    const rules = (r.nft ?? []).filter((e) => e.kind === 'nft-rule').map((e) => `${e.chain}: ${e.verdict}`);
    expect(rules.slice(0, 4)).toEqual(['filter-prerouting-pre-dnat: jump firewall-check', 'nat-prerouting: jump services', 'services: goto service-ULMVA6XW-ns1/svc1/tcp/p80', 'service-ULMVA6XW-ns1/svc1/tcp/p80: goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80']);
  });
});
