/**
 * Differential test of packet size against MTU: the same three namespaces (a — r — b, and a
 * direct veth a — c whose far end has a smaller MTU) in the kernel and in netsim's model, and
 * pings of sizes around each limit, with DF (`ping -M do`) and without (`-M dont`). Each case
 * must end the same way: delivered; refused at the sender (EMSGSIZE, "message too long"); dropped
 * by the router with ICMP "fragmentation needed"; or dropped silently at L2 (the receiving
 * device's rx_dropped grows).
 *
 * Root only; needs `ping` from iputils-ping. Skipped with a printed reason otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cidr } from '../../src/addr/cidr.js';
import { ip } from '../../src/addr/ip.js';
import { addVeth, setLinkUp } from '../../src/kernel/link/link.js';
import { setMtu } from '../../src/kernel/link/port.js';
import { addRoute } from '../../src/kernel/route/table.js';
import { setSysctl } from '../../src/kernel/sysctl.js';
import { type World, getNetns } from '../../src/kernel/world.js';
import { addr, ping, walk, worldWith } from '../helpers/kernel.js';
import { kernelAvailable } from './harness/available.js';
import { deleteNamespace, newPrefix } from './harness/namespaces.js';
import { must, onPath, run } from './harness/sh.js';

const avail = kernelAvailable();
const why = !avail.ok ? avail.why : !onPath('ping') ? 'missing ping (apt-get install iputils-ping)' : '';
if (why !== '') console.warn(`[mtu-diff] SKIPPED the MTU differential test: ${why}`);

/** The lab: a(eth0 1500) — (ra 1500) r (rb 1400) — (eth0 1400) b, and a(ec 1500) — (eth0 1400) c. */
const LINKS = [
  { ns: 'a', dev: 'eth0', peerNs: 'r', peer: 'ra', addr: '10.0.0.1/24', peerAddr: '10.0.0.254/24', mtu: 1500, peerMtu: 1500 },
  { ns: 'b', dev: 'eth0', peerNs: 'r', peer: 'rb', addr: '10.1.0.1/24', peerAddr: '10.1.0.254/24', mtu: 1400, peerMtu: 1400 },
  { ns: 'a', dev: 'ec', peerNs: 'c', peer: 'eth0', addr: '10.2.0.1/24', peerAddr: '10.2.0.2/24', mtu: 1500, peerMtu: 1400 },
] as const;
const ROUTES = [
  { ns: 'a', dst: '10.1.0.0/24', via: '10.0.0.254', dev: 'eth0' },
  { ns: 'b', dst: '0.0.0.0/0', via: '10.1.0.254', dev: 'eth0' },
] as const;

/** One ping: to `dst`, `size` bytes of IP packet, DF or not, and how both must see it end. */
const CASES = [
  { name: 'router: 1400 bytes with DF fit the 1400 link', dst: '10.1.0.1', size: 1400, df: true },
  { name: 'router: 1401 bytes with DF: fragmentation needed', dst: '10.1.0.1', size: 1401, df: true },
  { name: 'router: 1401 bytes without DF are fragmented', dst: '10.1.0.1', size: 1401, df: false },
  { name: 'sender: 1501 bytes with DF: message too long', dst: '10.1.0.1', size: 1501, df: true },
  { name: 'sender: 3000 bytes without DF are fragmented', dst: '10.1.0.1', size: 3000, df: false },
  { name: 'L2: 1404 bytes pass a veth end of mtu 1400 (the VLAN slack)', dst: '10.2.0.2', size: 1404, df: true },
  { name: 'L2: 1405 bytes are dropped silently by a veth end of mtu 1400', dst: '10.2.0.2', size: 1405, df: true },
] as const;

type Outcome = 'delivered' | 'refused at the sender' | 'fragmentation needed' | 'dropped silently';

function netsimWorld(): World {
  const w = worldWith('a', 'r', 'b', 'c');
  for (const l of LINKS) {
    addVeth(w, { ns: l.ns, name: l.dev, peer: l.peer, peerNs: l.peerNs });
    setLinkUp(w, l.ns, l.dev);
    setLinkUp(w, l.peerNs, l.peer);
    addr(w, l.ns, l.dev, l.addr);
    addr(w, l.peerNs, l.peer, l.peerAddr);
    setMtu(getNetns(w, l.ns), l.dev, l.mtu);
    setMtu(getNetns(w, l.peerNs), l.peer, l.peerMtu);
  }
  for (const r of ROUTES) addRoute(getNetns(w, r.ns), { dst: cidr(r.dst), via: ip(r.via), dev: r.dev });
  setSysctl(getNetns(w, 'r'), 'net.ipv4.ip_forward', '1');
  return w;
}

function netsimOutcome(dst: string, size: number, df: boolean): Outcome {
  const p = ping('0.0.0.0', dst);
  const t = walk(netsimWorld(), { at: 'local-out', ns: 'a', packet: { ...p, ip: { ...p.ip, length: size, dontFragment: df } } });
  if (t.end.kind === 'delivered') return 'delivered';
  if (t.end.kind === 'dropped' && t.end.reason === 'FRAME_TOO_BIG') return 'dropped silently';
  if (t.end.kind === 'dropped' && t.end.reason === 'MTU_EXCEEDED') return t.end.ns === 'a' ? 'refused at the sender' : 'fragmentation needed';
  return `other: ${t.end.kind}` as Outcome;
}

describe.skipIf(why !== '')('MTU: netsim against the kernel', () => {
  const prefix = newPrefix();
  const name = (ns: string) => `${prefix}${ns}`;

  beforeAll(() => {
    for (const ns of ['a', 'r', 'b', 'c']) {
      must('ip', ['netns', 'add', name(ns)]);
      must('ip', ['-n', name(ns), 'link', 'set', 'lo', 'up']);
    }
    for (const l of LINKS) {
      must('ip', ['-n', name(l.ns), 'link', 'add', l.dev, 'mtu', String(l.mtu), 'type', 'veth', 'peer', 'name', l.peer, 'netns', name(l.peerNs), 'mtu', String(l.peerMtu)]);
      must('ip', ['-n', name(l.ns), 'addr', 'add', l.addr, 'dev', l.dev]);
      must('ip', ['-n', name(l.peerNs), 'addr', 'add', l.peerAddr, 'dev', l.peer]);
      must('ip', ['-n', name(l.ns), 'link', 'set', l.dev, 'up']);
      must('ip', ['-n', name(l.peerNs), 'link', 'set', l.peer, 'up']);
    }
    for (const r of ROUTES) must('ip', ['-n', name(r.ns), 'route', 'add', r.dst, 'via', r.via, 'dev', r.dev]);
    must('ip', ['netns', 'exec', name('r'), 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  });

  afterAll(() => {
    for (const ns of ['a', 'r', 'b', 'c']) deleteNamespace(name(ns));
  });

  function kernelOutcome(dst: string, size: number, df: boolean): Outcome {
    const before = rxDropped();
    const r = run('ip', ['netns', 'exec', name('a'), 'ping', '-n', '-c', '1', '-W', '1', '-M', df ? 'do' : 'dont', '-s', String(size - 28), dst]);
    const out = r.stdout + r.stderr;
    if (/ 1 received/.test(out)) return 'delivered';
    if (/message too long/.test(out)) return 'refused at the sender';
    if (/Frag needed/.test(out)) return 'fragmentation needed';
    if (rxDropped() > before) return 'dropped silently';
    return `other: ${out.trim().split('\n').slice(-2).join(' / ')}` as Outcome;
  }

  function rxDropped(): number {
    let sum = 0;
    for (const [ns, dev] of [['b', 'eth0'], ['c', 'eth0'], ['r', 'ra'], ['r', 'rb']] as const) {
      const text = must('ip', ['-n', name(ns), '-s', 'link', 'show', dev]);
      const rx = text.split('\n').findIndex((l) => l.trim().startsWith('RX:'));
      sum += Number(text.split('\n')[rx + 1]?.trim().split(/\s+/)[3] ?? 0);
    }
    return sum;
  }

  it.each(CASES)('$name', ({ dst, size, df }) => {
    const kernel = kernelOutcome(dst, size, df);
    expect({ netsim: netsimOutcome(dst, size, df) }).toEqual({ netsim: kernel });
  });
});
