/**
 * One ICMP echo of a given IP size over a materialized scenario, in the kernel and in netsim,
 * reduced to where and how it ends, as one comparable line:
 *
 * - `delivered` — the echo and its reply both arrive (kernel: ping's "1 received");
 * - `refused at the sender (mtu N)` — the socket's send fails with EMSGSIZE ("message too long,
 *   mtu=N"), nothing is sent;
 * - `fragmentation needed from NS (mtu N)` — a router or node drops it and answers ICMP type 3
 *   code 4 (kernel: "From IP … Frag needed and DF set (mtu = N)", IP mapped to the model namespace
 *   that owns it);
 * - `dropped silently at NS/DEV` — no answer at all; the kernel side names the devices whose
 *   `rx_dropped` grew (is_skb_forwardable refused the frame), netsim the device its
 *   FRAME_TOO_BIG drop names.
 */
import { readFileSync } from 'node:fs';
import { formatIp } from '../../../src/addr/ip.js';
import type { World } from '../../../src/kernel/world.js';
import { must, run } from '../harness/sh.js';
import type { RunCli, TraceJson } from './netsim-side.js';

/** One ping: from a model namespace (its `netsim trace` argument) to another, `size` bytes of IP packet. */
export interface SizeCase {
  readonly srcNs: string;
  readonly srcArg: string;
  readonly dstArg: string;
  readonly size: number;
  readonly df: boolean;
}

/** `rx_dropped` of every device of every namespace, keyed `NS/DEV` (model names). */
function rxDropped(names: Readonly<Record<string, string>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [model, real] of Object.entries(names)) {
    const links = JSON.parse(must('ip', ['-n', real, '-j', '-s', 'link', 'show'])) as { ifname: string; stats64?: { rx?: { dropped?: number } } }[];
    for (const l of links) out.set(`${model}/${l.ifname}`, l.stats64?.rx?.dropped ?? 0);
  }
  return out;
}

/** The model namespace holding `addr` (the source of an ICMP error). */
function ownerOf(world: World, addr: string): string {
  for (const ns of Object.values(world.netns)) if (ns.addrs.some((a) => formatIp(a.cidr.addr) === addr)) return ns.name;
  return `(unknown ${addr})`;
}

/** `ping -c 1 -M do|dont -s SIZE-28 DST` in the source namespace, classified. */
export function kernelOutcome(world: World, names: Readonly<Record<string, string>>, c: SizeCase, dst: string): string {
  const before = rxDropped(names);
  const r = run('ip', ['netns', 'exec', names[c.srcNs] as string, 'ping', '-n', '-c', '1', '-W', '1', '-M', c.df ? 'do' : 'dont', '-s', String(c.size - 28), dst]);
  const out = r.stdout + r.stderr;
  if (/ 1 received/.test(out)) return 'delivered';
  const tooLong = /message too long, mtu=(\d+)/.exec(out);
  if (tooLong !== null) return `refused at the sender (mtu ${tooLong[1]})`;
  const frag = /From (\S+) icmp_seq=\d+ Frag needed and DF set \(mtu = (\d+)\)/.exec(out);
  if (frag !== null) return `fragmentation needed from ${ownerOf(world, frag[1] as string)} (mtu ${frag[2]})`;
  const after = rxDropped(names);
  const grew = [...after].filter(([k, v]) => v > (before.get(k) ?? 0)).map(([k]) => k);
  if (grew.length > 0) return `dropped silently at ${grew.sort().join(', ')}`;
  return `other: ${out.trim().split('\n').slice(-2).join(' / ')}`;
}

/** The parts of netsim's trace JSON read here. */
export interface NetsimSized {
  readonly flow: { readonly packet: { readonly dst: string } };
  readonly forward: TraceJson;
  readonly reply?: TraceJson;
}

/** `netsim trace SRC DST --protocol icmp --size N [--no-df] -f FILE -o json`, run in-process. */
export async function netsimTrace(runCli: RunCli, fileArgs: readonly string[], c: SizeCase): Promise<NetsimSized> {
  const argv = ['trace', c.srcArg, c.dstArg, '--protocol', 'icmp', '--size', String(c.size), ...(c.df ? [] : ['--no-df']), ...fileArgs, '-o', 'json'];
  let stdout = '';
  let stderr = '';
  await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readFile: (p) => readFileSync(p, 'utf8'), isTTY: false, env: { NO_COLOR: '1' } });
  try {
    return JSON.parse(stdout) as NetsimSized;
  } catch {
    throw new Error(`netsim ${argv.join(' ')}: no JSON (${stderr.trim() || stdout.slice(0, 300)})`);
  }
}

/** The ending of netsim's trace, in the kernel side's words. */
export function netsimOutcome(t: { forward: TraceJson; reply?: TraceJson }, srcNs: string): string {
  const e = t.forward.ending as TraceJson['ending'] & { reason?: string };
  if (e.disposition === 'DELIVERED') {
    if (t.reply === undefined || t.reply.ending.disposition === 'DELIVERED') return 'delivered';
    return netsimOutcome({ forward: t.reply }, t.reply.hops[0]?.ns ?? '?');
  }
  if (e.disposition !== 'MTU_EXCEEDED') return `other: ${e.disposition} at ${e.ns}: ${e.detail}`;
  if (e.reason === 'FRAME_TOO_BIG') {
    // "veth eth1 → port3 in rack-2: … exceeds mtu 1450 of port3; …" or "bridge seg → port port3: …"
    const dev = /exceeds mtu \d+ of (\S+);/.exec(e.detail)?.[1] ?? '?';
    const ns = /^veth \S+ → \S+ in (\S+):/.exec(e.detail)?.[1] ?? e.ns;
    return `dropped silently at ${ns}/${dev}`;
  }
  if (e.ns === srcNs) return `refused at the sender (mtu ${/mtu=(\d+)/.exec(e.detail)?.[1] ?? '?'})`;
  return `fragmentation needed from ${e.ns} (mtu ${/mtu (\d+)\)/.exec(e.detail)?.[1] ?? '?'})`;
}

/**
 * Devices whose MTU in the kernel (`ip -j link show`) is not the model's, as `NS/DEV kernel K
 * netsim N`: the materializer passes every MTU to `ip link add`, but the kernel may change one
 * afterwards (a bridge without an MTU set by the user follows its smallest port, br_mtu_auto_adjust).
 * Stand-in namespaces for dummies (not in the model) are skipped.
 */
export function mtuDiffs(world: World, names: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [model, real] of Object.entries(names)) {
    const ns = world.netns[model];
    if (ns === undefined) continue;
    const links = JSON.parse(must('ip', ['-n', real, '-j', 'link', 'show'])) as { ifname: string; mtu: number }[];
    for (const l of links) {
      const want = ns.links[l.ifname]?.mtu;
      if (want !== l.mtu) out.push(`${model}/${l.ifname}: kernel ${l.mtu}, netsim ${want ?? '(no such device)'}`);
    }
  }
  return out;
}
