/**
 * A kube-proxy node in real network namespaces, to check packet-flow rows against the kernel:
 *
 *   ext ns ──veth── eth0 ┐
 *   pod ns ──veth── cni0 ├ host ns: the node's IPv4 addresses, kube-proxy's jumps + payload
 *   sink ns ──veth─ out0 ┘          (iptables-restore --noflush), default route → sink
 *
 * Names start with `nsG-<6 hex>-<pid>-`. The first node IP sits on out0 (MASQUERADE takes the
 * out device's address), the others on eth0. Sysctls as on a kube-proxy node: ip_forward=1,
 * route_localnet=1, rp_filter=0, plus accept_local=1 so any source is accepted. The sink has no
 * address and does not forward, so nothing leaves the namespaces. Packets are sent as frames
 * from ext/pod, or from a raw socket in the host (locally generated); the answer is read from the
 * rule counters (`iptables-save -c`, before and after) and `conntrack -L`. A payload with `-m nfacct` rules gets
 * kube-proxy's two nfacct objects first (the `nfacct` tool must be installed).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { builtinJumps, type ProxierConfig } from '../../../src/proxy/index.js';
import { inNs, must, run } from '../../kernel/harness/sh.js';
import { python3 } from '../../kernel/harness/python.js';
import type { Origin } from '../../helpers/proxy-flow.js';

const SENDER = fileURLToPath(new URL('./send_many.py', import.meta.url));
const GATEWAY = '169.254.77.2';

/** The nfacct objects kube-proxy creates (pkg/proxy/metrics); `-m nfacct` needs them to exist. */
const NFACCT_COUNTERS = ['ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts'] as const;

/** A built node. Call {@link KernelNode.dispose} in a `finally` / `afterAll`. */
export interface KernelNode {
  readonly host: string;
  /** Sends `count` first packets (source ports 40000, 40001, …); resolves when they are out. */
  send(origin: Origin, p: { src: string; dst: string; proto: 'tcp' | 'udp'; dport: number; count: number }): Promise<void>;
  /** Flushes conntrack, so every packet sent next is a first packet. */
  reset(): void;
  /** `iptables-save -c` and `conntrack -L` of the host. */
  read(): { save: string; conntrack: string };
  dispose(): string[];
}

/** kube-proxy's built-in-chain jumps as an iptables-restore --noflush text, in their final order. */
export function jumpsText(config: ProxierConfig): string {
  const jumps = builtinJumps(config);
  return (['filter', 'nat'] as const)
    .map((table) => {
      const mine = jumps.filter((j) => j.table === table);
      const chains = [...new Set(mine.map((j) => j.target))].map((c) => `:${c} - [0:0]`);
      return [`*${table}`, ...chains, ...mine.map((j) => j.rule), 'COMMIT'].join('\n');
    })
    .join('\n')
    .concat('\n');
}

/** Builds the node; on failure deletes what it made and rethrows. */
export function buildKernelNode(config: ProxierConfig, payload: string): KernelNode {
  const prefix = `nsG-${randomBytes(3).toString('hex')}-${process.pid}-`;
  const [host, ext, pod, sink] = ['host', 'ext', 'pod', 'sink'].map((r) => `${prefix}${r}`) as [string, string, string, string];
  const made: string[] = [];
  const dispose = () => made.flatMap((n) => {
    const r = run('ip', ['netns', 'delete', n]);
    return r.code === 0 ? [] : [`${n}: ${r.stderr.trim()}`];
  });
  try {
    for (const ns of [host, ext, pod, sink]) {
      must('ip', ['netns', 'add', ns]);
      made.push(ns);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const sysctls = ['ip_forward=1', ...['all', 'default'].flatMap((d) => [`conf.${d}.rp_filter=0`, `conf.${d}.accept_local=1`, `conf.${d}.route_localnet=1`])];
    inNs(host, 'sysctl', ['-q', '-w', ...sysctls.map((s) => `net.ipv4.${s}`)]);
    wire(host, 'eth0', ext);
    wire(host, 'cni0', pod);
    wire(host, 'out0', sink);
    const v4 = config.nodeIPs.filter((a) => !a.includes(':'));
    v4.forEach((a, i) => must('ip', ['-n', host, 'addr', 'add', `${a}/24`, 'dev', i === 0 ? 'out0' : 'eth0']));
    must('ip', ['-n', host, 'route', 'add', 'default', 'via', GATEWAY, 'dev', 'out0', 'onlink']);
    must('ip', ['-n', host, 'neigh', 'replace', GATEWAY, 'lladdr', mac(sink, 'eth0'), 'dev', 'out0', 'nud', 'permanent']);
    if (payload.includes('-m nfacct')) for (const name of NFACCT_COUNTERS) inNs(host, 'nfacct', ['add', name]);
    inNs(host, 'iptables-restore', ['--noflush'], jumpsText(config));
    inNs(host, 'iptables-restore', ['--noflush'], payload);
  } catch (e) {
    dispose();
    throw e;
  }
  const macs = { eth0: { ns: ext, peerMac: mac(ext, 'eth0'), hostMac: mac(host, 'eth0') }, cni0: { ns: pod, peerMac: mac(pod, 'eth0'), hostMac: mac(host, 'cni0') } };
  const servers = new Map<string, Sender>();
  const server = (ns: string) => {
    let s = servers.get(ns);
    if (s === undefined) servers.set(ns, (s = startSender(ns)));
    return s;
  };
  return {
    host,
    async send(origin, p) {
      const packet = { src: p.src, dst: p.dst, proto: p.proto, dport: p.dport, count: p.count };
      if (origin === 'node') await server(host).request({ mode: 'local', ...packet });
      else {
        const m = macs[origin];
        await server(m.ns).request({ mode: 'frame', iface: 'eth0', src_mac: m.peerMac, dst_mac: m.hostMac, ...packet });
      }
    },
    reset() {
      run('ip', ['netns', 'exec', host, 'conntrack', '-F']);
    },
    read() {
      return { save: inNs(host, 'iptables-save', ['-c']), conntrack: run('ip', ['netns', 'exec', host, 'conntrack', '-L']).stdout };
    },
    dispose() {
      for (const s of servers.values()) s.stop();
      return dispose();
    },
  };
}

/** A `send_many.py --serve` process in a namespace: one JSON request a line, one answer line each. */
interface Sender {
  request(req: Readonly<Record<string, string | number>>): Promise<string>;
  stop(): void;
}

function startSender(ns: string): Sender {
  const child = spawn('ip', ['netns', 'exec', ns, python3(), SENDER, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  lines.on('line', (line) => waiting.shift()?.(line));
  return {
    request(req) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sender in ${ns} did not answer: ${stderr}`)), 20_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
        child.stdin.write(`${JSON.stringify(req)}\n`);
      });
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

function wire(host: string, dev: string, peerNs: string): void {
  must('ip', ['-n', host, 'link', 'add', dev, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peerNs]);
  must('ip', ['-n', host, 'link', 'set', dev, 'up']);
  must('ip', ['-n', peerNs, 'link', 'set', 'eth0', 'up']);
}

function mac(ns: string, dev: string): string {
  const parsed = JSON.parse(must('ip', ['-n', ns, '-j', 'link', 'show', 'dev', dev])) as { address?: string }[];
  const addr = parsed[0]?.address;
  if (addr === undefined) throw new Error(`no MAC for ${dev} in ${ns}`);
  return addr;
}
