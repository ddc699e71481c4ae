/**
 * Benchmark of BGP convergence (`runBgp`, events off): Calico's node-to-node full mesh of 500
 * nodes (499 protocols per node, ≈250k protocol instances) and a 5,000-node route-reflector
 * design (two RRs sharing one cluster id; every node peers with both RRs only, so sessions are
 * O(N)). Every node originates one /26 block. Reports the run time and the heap the result
 * holds (after a forced GC when `--expose-gc` is on).
 */
import { performance } from 'node:perf_hooks';
import { cidr } from '../src/addr/cidr.js';
import { ipFromValue, type Ip } from '../src/addr/ip.js';
import { runBgp } from '../src/bgp/sim.js';
import type { BgpPeerConfig, BgpResult, BgpSpeakerConfig } from '../src/bgp/types.js';
import type { Measure } from './measure.js';

const BASE = 0xc0a80000n; // 192.168.0.0
const nodeIp = (i: number): Ip => ipFromValue(4, BASE + BigInt(256 + i));
const blockOf = (i: number) => cidr(`10.${(i >> 10) & 255}.${(i >> 2) & 255}.${(i & 3) * 64}/26`);
const EXPORT = [{ match: 'within' as const, cidr: cidr('10.0.0.0/8'), action: 'accept' as const }];

function peerCfg(protocol: string, peerIp: Ip, src: Ip, over: Partial<BgpPeerConfig>): BgpPeerConfig {
  return {
    protocol,
    peerType: 'node-to-node mesh',
    peerIp,
    peerAs: 64512,
    localAs: 64512,
    sourceAddress: src,
    passive: false,
    multihop: true,
    rrClient: false,
    nextHopSelf: false,
    nextHopKeep: false,
    holdTime: 240,
    keepaliveTime: 80,
    connectDelayTime: 2,
    connectRetryTime: 5,
    gracefulRestart: true,
    restartTime: 120,
    ...over,
  };
}

function node(i: number, peers: BgpPeerConfig[], rr: boolean): BgpSpeakerConfig {
  const a = nodeIp(i);
  return {
    name: `node-${i}`,
    kind: 'node',
    routerId: a,
    asNumber: 64512,
    addresses: [a],
    ...(rr ? { rrClusterId: ipFromValue(4, 0xf4000001n) } : {}),
    peers,
    originate: [{ prefix: blockOf(i), protocol: 'static1', blackhole: true }],
    exportRules: EXPORT,
    kernelRules: [],
  };
}

/** Calico's full mesh of `n` nodes (the lower address of each pair is passive). */
export function meshSpeakers(n: number): BgpSpeakerConfig[] {
  return Array.from({ length: n }, (_, i) => {
    const peers: BgpPeerConfig[] = [];
    for (let j = 0; j < n; j++) if (j !== i) peers.push(peerCfg(`Mesh_${j}`, nodeIp(j), nodeIp(i), { passive: j > i }));
    return node(i, peers, false);
  });
}

/** `n` nodes, node-0 and node-1 route reflectors (one cluster id), every other node their client. */
export function rrSpeakers(n: number): BgpSpeakerConfig[] {
  return Array.from({ length: n }, (_, i) => {
    const rr = i < 2;
    const peers: BgpPeerConfig[] = [];
    for (const j of [0, 1]) if (j !== i) peers.push(peerCfg(`Node_${j}`, nodeIp(j), nodeIp(i), { peerType: 'global' }));
    if (rr) for (let j = 2; j < n; j++) peers.push(peerCfg(`Node_${j}`, nodeIp(j), nodeIp(i), { peerType: 'global', rrClient: true, passive: true }));
    return node(i, peers, rr);
  });
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function runOne(label: string, speakers: BgpSpeakerConfig[], check: (r: BgpResult) => void): Measure[] {
  progress(`bgp: ${label}…`);
  const before = heapMiB();
  const t0 = performance.now();
  const result = runBgp({ speakers, reachable: () => true, recordEvents: false });
  const ms = performance.now() - t0;
  const heap = heapMiB() - before;
  check(result);
  return [
    { name: `BGP ${label}: runBgp to convergence`, value: ms, unit: 'ms' },
    { name: `BGP ${label}: heap held by the result`, value: heap, unit: 'MiB' },
    { name: `BGP ${label}: simulated convergence time`, value: result.convergedAt * 1000, unit: 'ms simulated' },
  ];
}

function expectRoutes(r: BgpResult, name: string, n: number): void {
  const v = r.speakers[name];
  const best = v?.routes.filter((x) => x.best).length ?? 0;
  if (best !== n) throw new Error(`bench bgp: ${name} has ${best} best routes, want ${n}`);
}

/** The two BGP benchmarks. */
export function benchBgp(meshNodes = 500, rrNodes = 5000): Measure[] {
  const mesh = meshSpeakers(meshNodes);
  const protocols = mesh.reduce((s, x) => s + x.peers.length, 0);
  const out = runOne(`full mesh, ${meshNodes} nodes (${protocols.toLocaleString('en')} protocols)`, mesh, (r) => expectRoutes(r, `node-${meshNodes - 1}`, meshNodes));
  const rr = rrSpeakers(rrNodes);
  const sessions = rr.reduce((s, x) => s + x.peers.length, 0);
  out.push(...runOne(`route reflectors, ${rrNodes.toLocaleString('en')} nodes (${sessions.toLocaleString('en')} protocols)`, rr, (r) => expectRoutes(r, `node-${rrNodes - 1}`, rrNodes)));
  return out;
}
