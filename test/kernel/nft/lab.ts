/**
 * The namespace lab of the nft differential test (names start with nsNF-, deleted by name):
 *
 *   nsNF-<pid>-send  eth0 ──veth── eth1  nsNF-<pid>-host
 *   192.168.0.9/24, 203.0.113.130/24      192.168.0.2/24, ip_forward=1, rp_filter=0
 *
 * The sender routes the Service ranges through the host; the host routes endpoints and clients
 * back through the sender (which does not forward), so nothing leaves the lab.
 */
import { inNs, must, run } from '../harness/sh.js';

/** A built lab. */
export interface NftLab {
  readonly host: string;
  readonly sender: string;
  dispose(): string[];
}

const SENDER_ROUTES = ['172.30.0.0/16', '5.6.7.8/32', '1.2.3.4/32', '192.168.99.0/24'];
const HOST_ROUTES = ['10.180.0.0/16', '172.30.0.0/16', '203.0.113.0/24', '10.0.0.0/8'];

/** Builds the lab; on failure deletes what it made and rethrows. */
export function buildNftLab(): NftLab {
  const host = `nsNF-${process.pid}-host`;
  const sender = `nsNF-${process.pid}-send`;
  const made: string[] = [];
  const dispose = (): string[] => made.map((n) => run('ip', ['netns', 'delete', n])).flatMap((r) => (r.code === 0 ? [] : [r.stderr.trim()]));
  try {
    for (const ns of [host, sender]) {
      must('ip', ['netns', 'add', ns]);
      made.push(ns);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    must('ip', ['-n', host, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sender]);
    must('ip', ['-n', host, 'link', 'set', 'eth1', 'up']);
    must('ip', ['-n', sender, 'link', 'set', 'eth0', 'up']);
    must('ip', ['-n', host, 'addr', 'add', '192.168.0.2/24', 'dev', 'eth1']);
    for (const a of ['192.168.0.9/24', '203.0.113.130/24', '203.0.113.2/24']) must('ip', ['-n', sender, 'addr', 'add', a, 'dev', 'eth0']);
    for (const r of SENDER_ROUTES) must('ip', ['-n', sender, 'route', 'add', r, 'via', '192.168.0.2']);
    for (const r of HOST_ROUTES) must('ip', ['-n', host, 'route', 'add', r, 'via', '192.168.0.9']);
    for (const k of ['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.eth1.rp_filter=0']) must('ip', ['netns', 'exec', host, 'sysctl', '-qw', k]);
    return { host, sender, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/**
 * `nft monitor trace` in the host, line-buffered; `stop` kills it at once (nft monitor does not
 * exit on SIGTERM promptly) and returns what it printed.
 */
export async function startTrace(ns: string): Promise<{ waitFor(marker: string, quietMs: number, maxMs: number): Promise<void>; stop(): string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn('ip', ['netns', 'exec', ns, 'stdbuf', '-oL', 'nft', 'monitor', 'trace'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  let last = Date.now();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    last = Date.now();
  });
  await new Promise((r) => setTimeout(r, 250));
  return {
    async waitFor(marker, quietMs, maxMs) {
      const end = Date.now() + maxMs;
      while (Date.now() < end && !(out.includes(marker) && Date.now() - last >= quietMs)) await new Promise((r) => setTimeout(r, 25));
    },
    stop() {
      child.kill('SIGKILL');
      return out;
    },
  };
}

/**
 * `nft -f` of `text` into a fresh namespace `ns` (deleted again, by name), and what
 * `nft list ruleset` prints there.
 */
export function kernelNftList(ns: string, text: string): string {
  run('ip', ['netns', 'add', ns]);
  try {
    inNs(ns, 'nft', ['-f', '-'], text);
    return inNs(ns, 'nft', ['list', 'ruleset']);
  } finally {
    run('ip', ['netns', 'delete', ns]);
  }
}
