/**
 * The outer headers of flannel's VXLAN, netsim against the kernel: scenarios/flannel-vxlan.yaml
 * is materialized (materialize.ts: flannel.1 with its FDB and neighbour entries, routes, rules),
 * a raw socket in the node network's namespace captures the first UDP 8472 frame while the client
 * pod opens a TCP connection to the pod on node-2, and the frame's headers are compared with the
 * `transmit` step of `netsim trace … -o json` on node-1's eth0: outer Ethernet (node MACs), outer
 * IPv4 (node IPs, TTL), UDP destination port, VNI, the inner Ethernet (the two VTEP MACs) and the
 * inner packet (addresses, ports, TTL 63). The UDP source port is the kernel's hash of the inner
 * flow (`udp_flow_src_port`, jhash of the flow keys); netsim hashes with its own function, so only
 * the range (32768–60999, `srcport 0 0` = the local port range) is compared. Skipped where the
 * kernel side cannot run; nothing is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelAvailable } from '../harness/available.js';
import { loadRunCli } from '../harness/netsim.js';
import { run } from '../harness/sh.js';
import { python3 } from '../harness/python.js';
import { buildScenario, scenarioSources } from './cluster.js';
import { type Materialized, materialize } from './materialize.js';
import { ownNamespaces } from './names.js';
import { settleDad } from './state-check.js';

const CAPTURE = fileURLToPath(new URL('./udp_capture.py', import.meta.url));
const kernel = kernelAvailable();
const cli = await loadRunCli();
const src = scenarioSources().find((s) => s.name === 'scenarios/flannel-vxlan.yaml');
const skip = !kernel.ok ? `kernel side unavailable: ${kernel.why}` : 'missing' in cli ? cli.missing : src === undefined ? 'scenarios/flannel-vxlan.yaml is missing' : undefined;
if (skip !== undefined) console.warn(`[vxlan-diff] SKIPPED: ${skip}`);

interface Captured {
  readonly eth: { src: string; dst: string };
  readonly ip: { src: string; dst: string; ttl: number; df: boolean };
  readonly udp: { sport: number; dport: number };
  readonly vxlanFlags: number;
  readonly vni: number;
  readonly innerEth: { src: string; dst: string };
  readonly inner: { src: string; dst: string; ttl: number; sport: number; dport: number };
}

/** Starts the capture in a namespace; resolves with its JSON line (or a reason) when it exits. */
function capture(ns: string): { ready: Promise<void>; done: Promise<Captured | string>; proc: ChildProcess } {
  const proc = spawn('ip', ['netns', 'exec', ns, python3(), CAPTURE, '--port', '8472', '--timeout', '8']);
  let out = '';
  let err = '';
  const ready = new Promise<void>((resolve) => proc.stdout.on('data', (d: Buffer) => ((out += String(d)), out.includes('ready') && resolve())));
  proc.stderr.on('data', (d: Buffer) => (err += String(d)));
  const done = new Promise<Captured | string>((resolve) =>
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve(line !== undefined ? (JSON.parse(line) as Captured) : `capture exited ${code}: ${err.trim()}`);
    }),
  );
  return { ready, done, proc };
}

/** netsim's view: the first transmit step carrying an encapsulated packet, on the client's node. */
async function netsimOuter(fileArgs: readonly string[]): Promise<Record<string, unknown>> {
  if ('missing' in cli) throw new Error(cli.missing);
  let stdout = '';
  const io = { stdout: (s: string) => (stdout += s), stderr: () => undefined, readFile: (p: string) => run('cat', [p]).stdout, readDir: () => [], writeFile: () => undefined, isTTY: false, env: {} };
  await (cli.runCli as unknown as (a: readonly string[], io: unknown) => Promise<number>)(['trace', 'default/client', 'default/web-1', '--port', '8080', '--no-reply', '-o', 'json', ...fileArgs], io);
  const doc = JSON.parse(stdout) as { forward: { hops: { ns: string; steps: Record<string, unknown>[] }[] } };
  for (const hop of doc.forward.hops) for (const s of hop.steps) if (s['type'] === 'transmit' && s['eth'] !== undefined && hop.ns === 'node-1') return s;
  throw new Error('netsim traced no encapsulated transmit on node-1');
}

describe.skipIf(skip !== undefined)('flannel VXLAN outer headers: kernel vs netsim', () => {
  let m: Materialized | undefined;
  afterAll(() => {
    expect(m?.dispose() ?? [], 'namespaces that could not be deleted').toEqual([]);
    expect(ownNamespaces(), 'namespaces left behind').toEqual([]);
  });

  it('pod → remote pod: the captured outer Ethernet, IP, UDP and VXLAN headers are netsim’s', async () => {
    if (src === undefined) throw new Error('no scenario');
    const b = buildScenario(src);
    if ('problem' in b) throw new Error(b.problem);
    m = materialize(b.built.world);
    await settleDad(Object.values(m.names));
    const cap = capture(m.names['node-network'] as string);
    await cap.ready;
    const connect = "import socket; s=socket.socket(); s.settimeout(1); s.bind(('0.0.0.0', 40000)); s.connect_ex(('10.244.1.2', 8080))";
    run('ip', ['netns', 'exec', m.names['default.client'] as string, python3(), '-c', connect]);
    const k = await cap.done;
    if (typeof k === 'string') throw new Error(k);
    const n = await netsimOuter(src.fileArgs);
    const pkt = n['packet'] as { src: string; dst: string; ttl: number; sport: number; dport: number; encap: { src: string; dst: string; ttl: number; sport: number; dport: number; vni: number; innerSrcMac: string; innerDstMac: string }[] };
    const o = pkt.encap[0]!;
    expect({ eth: k.eth, ip: { src: k.ip.src, dst: k.ip.dst, ttl: k.ip.ttl }, dport: k.udp.dport, vni: k.vni, innerEth: k.innerEth }).toEqual({
      eth: n['eth'],
      ip: { src: o.src, dst: o.dst, ttl: o.ttl },
      dport: o.dport,
      vni: o.vni,
      innerEth: { src: o.innerSrcMac, dst: o.innerDstMac },
    });
    expect({ src: k.inner.src, dst: k.inner.dst, ttl: k.inner.ttl, sport: k.inner.sport, dport: k.inner.dport }).toEqual({ src: pkt.src, dst: pkt.dst, ttl: pkt.ttl, sport: pkt.sport, dport: pkt.dport });
    expect(k.vxlanFlags, 'VXLAN flags: the I bit (a valid VNI)').toBe(0x08);
    for (const sport of [k.udp.sport, o.sport]) expect(sport >= 32768 && sport <= 60999, `source port ${sport} in the local port range`).toBe(true);
    console.warn(`[vxlan-diff] outer UDP source port: kernel ${k.udp.sport}, netsim ${o.sport} (hash functions differ); DF on the outer header: kernel ${k.ip.df}`);
  }, 60_000);
});
