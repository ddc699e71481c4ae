/**
 * Differential test of conntrack against Linux: the same flows (TCP handshake, UDP with and
 * without answer, ICMP echo) cross a router namespace with DNAT and MASQUERADE in the kernel and
 * in the engine, and `conntrack -L` must print the same entries (timeouts within a few seconds:
 * the kernel's clock runs while the test does). Skipped, with the reason, where the kernel side
 * cannot run (not root, tools missing). Namespaces are `nsd<random>-<pid>-*`, deleted in a finally.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelAvailable } from '../../../../test/kernel/harness/available.js';
import { deleteNamespace, newPrefix } from '../../../../test/kernel/harness/namespaces.js';
import { inNs, must, sleep } from '../../../../test/kernel/harness/sh.js';
import { python3 } from '../../../../test/kernel/harness/python.js';
import { icmp, tcp, testEnv, udp } from '../../../../test/helpers/nf.js';
import type { Packet } from '../../../packet/packet.js';
import { createNetfilter, FRESH_SKB, type HookEnv, loadRuleset, type NetfilterState, renderConntrack, runHook } from '../index.js';
import { parseIptablesSave } from '../syntax/index.js';

const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.99.0.100/32 -p udp -m udp --dport 80 -j DNAT --to-destination 10.9.1.1:8080
-A PREROUTING -d 10.99.0.100/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.9.1.1:8080
-A PREROUTING -d 10.99.0.100/32 -p icmp -j DNAT --to-destination 10.9.1.1
-A POSTROUTING -o r1 -j MASQUERADE
COMMIT
`;

const SERVER = `
import socket, threading, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('10.9.1.1', 8080)); u.settimeout(4)
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('10.9.1.1', 8080)); l.listen(); l.settimeout(4)
def tcp():
    try:
        c, _ = l.accept(); time.sleep(4)
    except Exception: pass
threading.Thread(target=tcp, daemon=True).start()
end = time.time() + 4
while time.time() < end:
    try:
        data, peer = u.recvfrom(100)
        if data != b'quiet': u.sendto(b'ok', peer)
    except Exception: break
`;

const CLIENT = `
import socket, struct, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('10.9.0.1', 5555)); u.settimeout(2)
u.sendto(b'hi', ('10.99.0.100', 80)); u.recvfrom(100)
q = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); q.bind(('10.9.0.1', 5556)); q.sendto(b'quiet', ('10.99.0.100', 80))
t = socket.socket(); t.bind(('10.9.0.1', 40812)); t.connect(('10.99.0.100', 80))
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
h = struct.pack('!BBHHH', 8, 0, 0, 4321, 1) + b'abcd'
s = sum(struct.unpack('!6H', h)); s = (s >> 16) + (s & 0xffff); s += s >> 16
r.sendto(h[:2] + struct.pack('!H', ~s & 0xffff) + h[4:], ('10.99.0.100', 0)); r.settimeout(2); r.recvfrom(100)
print('done', flush=True)
time.sleep(3)
`;

const kernel = kernelAvailable();
if (!kernel.ok) console.warn(`[conntrack-diff] SKIPPED: ${kernel.why}`);

/** Builds client — router — server; returns the namespace names. */
function buildLab(p: string): { c: string; r: string; s: string } {
  const ns = { c: `${p}c`, r: `${p}r`, s: `${p}s` };
  for (const n of Object.values(ns)) must('ip', ['netns', 'add', n]);
  must('ip', ['link', 'add', 'c0', 'netns', ns.c, 'type', 'veth', 'peer', 'name', 'r0', 'netns', ns.r]);
  must('ip', ['link', 'add', 's0', 'netns', ns.s, 'type', 'veth', 'peer', 'name', 'r1', 'netns', ns.r]);
  const cfg: [string, string, string][] = [[ns.c, 'c0', '10.9.0.1/24'], [ns.r, 'r0', '10.9.0.2/24'], [ns.r, 'r1', '10.9.1.2/24'], [ns.s, 's0', '10.9.1.1/24']];
  for (const [n, dev, addr] of cfg) {
    must('ip', ['-n', n, 'addr', 'add', addr, 'dev', dev]);
    must('ip', ['-n', n, 'link', 'set', dev, 'up']);
    must('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
  }
  must('ip', ['-n', ns.c, 'route', 'add', 'default', 'via', '10.9.0.2']);
  must('ip', ['-n', ns.s, 'route', 'add', 'default', 'via', '10.9.1.2']);
  inNs(ns.r, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  inNs(ns.r, 'iptables-restore', [], RULES);
  return ns;
}

function python(ns: string, script: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, python3(), '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitFor(proc: ChildProcess, text: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`client did not finish: ${out}`)), ms);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  });
}

/** The same flows through the engine. */
function engineListing(): string {
  const nf: NetfilterState = createNetfilter();
  loadRuleset(nf, parseIptablesSave(RULES, { file: 'diff' }).value);
  const there = testEnv({ inDev: 'r0', outDev: 'r1', masq: { r1: '10.9.1.2', r0: '10.9.0.2' } });
  const back = testEnv({ inDev: 'r1', outDev: 'r0', masq: { r1: '10.9.1.2', r0: '10.9.0.2' } });
  const fwd = (p: Packet, env: HookEnv) => {
    const a = runHook(nf, 'PREROUTING', p, FRESH_SKB, env);
    const b = runHook(nf, 'FORWARD', a.packet, a.skb, env);
    runHook(nf, 'POSTROUTING', b.packet, b.skb, env);
  };
  fwd(udp('10.9.0.1', 5555, '10.99.0.100', 80), there);
  fwd(udp('10.9.1.1', 8080, '10.9.1.2', 5555), back);
  fwd(udp('10.9.0.1', 5556, '10.99.0.100', 80), there);
  fwd(tcp('10.9.0.1', 40812, '10.99.0.100', 80), there);
  fwd(tcp('10.9.1.1', 8080, '10.9.1.2', 40812, ['SYN', 'ACK']), back);
  fwd(tcp('10.9.0.1', 40812, '10.99.0.100', 80, ['ACK']), there);
  fwd(icmp('10.9.0.1', '10.99.0.100', 8, 4321), there);
  fwd(icmp('10.9.1.1', '10.9.1.2', 0, 4321), back);
  return renderConntrack(nf);
}

/** Lines of our flows, sorted, with the timeout split off. */
function entries(listing: string): { line: string; timeout: number }[] {
  return listing
    .split('\n')
    .filter((l) => l.includes('src=10.9.0.1 '))
    .map((l) => {
      const w = l.trim().split(/\s+/);
      const timeout = Number(w[2]);
      return { line: [w[0], w[1], 'T', ...w.slice(3)].join(' '), timeout };
    })
    .sort((a, b) => a.line.localeCompare(b.line));
}

describe.skipIf(!kernel.ok)('conntrack -L: engine vs Linux', () => {
  const prefix = newPrefix();
  let ns: { c: string; r: string; s: string } | undefined;
  beforeAll(() => {
    ns = buildLab(prefix);
  });
  afterAll(() => {
    for (const n of ['c', 'r', 's']) deleteNamespace(`${prefix}${n}`);
  });

  it('TCP handshake, UDP with and without answer, ICMP echo through DNAT + MASQUERADE', async () => {
    if (ns === undefined) throw new Error('no lab');
    const server = python(ns.s, SERVER);
    await sleep(700);
    const client = python(ns.c, CLIENT);
    try {
      await waitFor(client, 'done', 8000);
      const kernelList = inNs(ns.r, 'conntrack', ['-L']);
      const k = entries(kernelList);
      const e = entries(engineListing());
      if (process.env['CONNTRACK_DIFF_SHOW'] !== undefined) console.warn(kernelList);
      expect(e.map((x) => x.line), `kernel said:\n${kernelList}`).toEqual(k.map((x) => x.line));
      for (const [i, x] of e.entries()) {
        const kt = k[i]?.timeout ?? -1;
        expect(x.timeout - kt, `${x.line}: netsim ${x.timeout}, kernel ${kt}`).toBeGreaterThanOrEqual(0);
        expect(x.timeout - kt).toBeLessThanOrEqual(5);
      }
    } finally {
      client.kill();
      server.kill();
    }
  });
});
