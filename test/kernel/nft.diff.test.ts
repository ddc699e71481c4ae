/**
 * netsim's nftables model against the kernel's (nft 1.0.6 here), as root in nsNF- namespaces:
 * 1. every fixture loads with `nft -f`, and `nft list ruleset` prints exactly netsim's print of
 *    the parsed input; netsim's print loads back and lists identically;
 * 2. real packets traced with `meta nftrace set 1` and `nft monitor trace` meet the same rules,
 *    with the same verdicts, as netsim's trace of kube-proxy's ruleset (numgen: any of netsim's
 *    paths). Skipped, with the reason, without root or nft.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ip } from '../../src/addr/ip.js';
import { parseNft, printNft } from '../../src/kernel/netfilter/index.js';
import type { Packet } from '../../src/packet/packet.js';
import { nftTraceLine } from '../../src/render/nft-trace.js';
import { traceHostAllPaths } from '../../src/trace/iptables-trace.js';
import { inNs, onPath, run } from './harness/sh.js';
import { python3 } from './harness/python.js';
import { buildNftLab, kernelNftList, type NftLab, startTrace } from './nft/lab.js';

const DIR = fileURLToPath(new URL('../fixtures/nftables/', import.meta.url));
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.nft'));

function why(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  for (const t of ['ip', 'nft', 'conntrack', 'python3', 'stdbuf']) if (!onPath(t)) return `${t} is missing`;
  return undefined;
}
const skip = why();
if (skip !== undefined) console.warn(`[nft-diff] SKIPPED: ${skip}`);

/** Loads text into a fresh namespace and returns what `nft list ruleset` prints. */
function kernelList(text: string): string {
  return kernelNftList(`nsNF-${process.pid}-list`, text);
}

describe.skipIf(skip !== undefined)('nft list ruleset: netsim vs the kernel', () => {
  it.each(FIXTURES)('%s', (name) => {
    const input = readFileSync(`${DIR}${name}`, 'utf8');
    const ours = printNft(parseNft(input, { file: name }).value);
    expect(kernelList(input)).toBe(ours);
    expect(kernelList(ours)).toBe(ours);
  });
});

const KUBE_PROXY = readFileSync(`${DIR}kube-proxy-overall.list`, 'utf8');

interface Flow {
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly local?: boolean;
}

const FLOWS: readonly Flow[] = [
  { name: 'cluster IP, masqueraded client', src: '192.168.0.9', dst: '172.30.0.41', dport: 80 },
  { name: 'service without endpoints: reject', src: '192.168.0.9', dst: '172.30.0.46', dport: 80 },
  { name: 'unallocated cluster IP: drop', src: '192.168.0.9', dst: '172.30.0.50', dport: 80 },
  { name: 'wrong port of a cluster IP: reject', src: '192.168.0.9', dst: '172.30.0.41', dport: 443 },
  { name: 'numgen over two endpoints', src: '192.168.0.9', dst: '172.30.0.44', dport: 80 },
  { name: 'NodePort without local endpoints: drop', src: '192.168.0.9', dst: '192.168.0.2', dport: 3001, local: true },
  { name: 'NodePort, Cluster policy', src: '203.0.113.2', dst: '192.168.0.2', dport: 3003, local: true },
  { name: 'LoadBalancer IP outside the source ranges: drop', src: '203.0.113.130', dst: '5.6.7.8', dport: 80 },
  { name: 'LoadBalancer IP inside the source ranges', src: '203.0.113.2', dst: '5.6.7.8', dport: 80 },
];

const TRACE_TABLE = 'nsnf-trace';

/** The rule and policy lines of the first traced packet, without trace id and our trace table. */
function kernelLines(monitor: string): string[] {
  const lines = monitor.split('\n').filter((l) => l.startsWith('trace id '));
  const id = lines[0]?.split(' ')[2];
  return lines
    .filter((l) => l.split(' ')[2] === id)
    .map((l) => l.split(' ').slice(3).join(' ').trim())
    .filter((l) => !l.startsWith(`ip ${TRACE_TABLE} `) && !/^\S+ \S+ \S+ packet: /.test(l));
}

function netsimPaths(f: Flow): string[][] {
  const packet: Packet = { ip: { family: 4, src: ip(f.src), dst: ip(f.dst), ttl: 64, length: 60, dontFragment: true }, l4: { proto: 'tcp', sport: 40000, dport: f.dport, flags: ['SYN'] }, encap: [] };
  const nft = parseNft(KUBE_PROXY, { file: 'kube-proxy-overall.list' }).value;
  return traceHostAllPaths({ rulesets: [], nft, packet, inDev: 'eth1', outDev: 'eth1', localAddrs: [ip('192.168.0.2')] }).map((p) =>
    (p.nft ?? []).filter((e) => e.kind !== 'nft-hook').map((e) => nftTraceLine(e).split(' ').slice(3).join(' ').trim()),
  );
}

describe.skipIf(skip !== undefined)('nft monitor trace: netsim vs the kernel (kube-proxy ruleset)', () => {
  let lab: NftLab;
  beforeAll(() => {
    lab = buildNftLab();
    inNs(lab.host, 'nft', ['-f', '-'], KUBE_PROXY);
  });
  afterAll(() => {
    const errors = lab?.dispose() ?? [];
    expect(errors).toEqual([]);
  });

  it.each(FLOWS.map((f) => [f.name, f] as const))('%s', async (_n, f) => {
    run('ip', ['netns', 'exec', lab.host, 'conntrack', '-F']);
    run('ip', ['netns', 'exec', lab.host, 'nft', 'delete', 'table', 'ip', TRACE_TABLE]);
    inNs(lab.host, 'nft', ['-f', '-'], `table ip ${TRACE_TABLE} {\n\tchain pre {\n\t\ttype filter hook prerouting priority -350; policy accept;\n\t\tip saddr ${f.src} ip daddr ${f.dst} tcp dport ${f.dport} meta nftrace set 1\n\t}\n}\n`);
    const mon = await startTrace(lab.host);
    let text = '';
    try {
      const py = `import socket\ns=socket.socket()\ns.settimeout(0.3)\ns.bind(("${f.src}",0))\ntry:\n    s.connect(("${f.dst}",${f.dport}))\nexcept Exception:\n    pass\n`;
      run('ip', ['netns', 'exec', lab.sender, python3(), '-c', py]);
      await mon.waitFor('trace id', 200, 2000);
    } finally {
      text = mon.stop();
    }
    const got = kernelLines(text);
    if (process.env['NFT_DIFF_SHOW'] === '1') console.log(got.join('\n'));
    expect(got.length, `the kernel traced nothing:\n${text}`).toBeGreaterThan(0);
    const paths = netsimPaths(f);
    const match = paths.some((p) => JSON.stringify(p) === JSON.stringify(got));
    if (!match) expect(got, `netsim paths:\n${paths.map((p) => p.join('\n')).join('\n--\n')}`).toEqual(paths[0]);
  });
});
