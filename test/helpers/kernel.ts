/**
 * Builders for kernel-model tests: short verbs over World, and the golden scenario of
 * test/golden/kernel/golden.sh rebuilt step by step with the same commands.
 */
import { cidr } from '../../src/addr/cidr.js';
import { ip } from '../../src/addr/ip.js';
import type { Mac } from '../../src/addr/mac.js';
import { addAddress } from '../../src/kernel/addr.js';
import { addBridge, addDummy, addVeth, addVxlan, setLinkUp } from '../../src/kernel/link/link.js';
import { setHairpin, setMac, setMaster, setMtu } from '../../src/kernel/link/port.js';
import { addNeigh } from '../../src/kernel/neigh.js';
import { addVxlanFdbEntry } from '../../src/kernel/link/fdb.js';
import type { Netns } from '../../src/kernel/netns.js';
import { addRoute } from '../../src/kernel/route/table.js';
import { addRule } from '../../src/kernel/route/rule.js';
import { setSysctl } from '../../src/kernel/sysctl.js';
import { type World, addNetns, createWorld, getNetns } from '../../src/kernel/world.js';
import { packetFor } from '../../src/packet/build.js';
import type { Packet } from '../../src/packet/packet.js';
import type { KernelEvent } from '../../src/kernel/events.js';
import { simContext } from '../../src/sim/context.js';
import { type Location, type StepResult, step } from '../../src/kernel/stack/step.js';

/** A MAC literal. */
export const mac = (s: string) => s as Mac;

/** A world with the named namespaces, each with `lo` up. */
export function worldWith(...names: string[]): World {
  const w = createWorld();
  for (const n of names) {
    addNetns(w, n);
    setLinkUp(w, n, 'lo');
  }
  return w;
}

/** `ip -n NS addr add CIDR dev DEV` in one call. */
export function addr(w: World, ns: string, dev: string, c: string): void {
  addAddress(getNetns(w, ns), { dev, cidr: cidr(c) });
}

/**
 * Two namespaces `a` and `b` joined by a veth (`a:eth0` 10.0.0.1/24 ↔ `b:eth0` 10.0.0.2/24), up.
 */
export function vethPair(): World {
  const w = worldWith('a', 'b');
  addVeth(w, { ns: 'a', name: 'eth0', peer: 'eth0', peerNs: 'b' });
  setLinkUp(w, 'a', 'eth0');
  setLinkUp(w, 'b', 'eth0');
  addr(w, 'a', 'eth0', '10.0.0.1/24');
  addr(w, 'b', 'eth0', '10.0.0.2/24');
  return w;
}

/** a (10.0.0.1) — r (10.0.0.254 | 10.1.0.254) — b (10.1.0.1): two veths and a router namespace with forwarding on. */
export function routedWorld(): World {
  const w = worldWith('a', 'r', 'b');
  addVeth(w, { ns: 'a', name: 'eth0', peer: 'ra', peerNs: 'r' });
  addVeth(w, { ns: 'b', name: 'eth0', peer: 'rb', peerNs: 'r' });
  for (const [ns, dev] of [['a', 'eth0'], ['b', 'eth0'], ['r', 'ra'], ['r', 'rb']] as const) setLinkUp(w, ns, dev);
  addr(w, 'a', 'eth0', '10.0.0.1/24');
  addr(w, 'r', 'ra', '10.0.0.254/24');
  addr(w, 'r', 'rb', '10.1.0.254/24');
  addr(w, 'b', 'eth0', '10.1.0.1/24');
  addRoute(getNetns(w, 'a'), { dst: cidr('0.0.0.0/0'), via: ip('10.0.0.254'), dev: 'eth0' });
  addRoute(getNetns(w, 'b'), { dst: cidr('0.0.0.0/0'), via: ip('10.1.0.254'), dev: 'eth0' });
  setSysctl(getNetns(w, 'r'), 'net.ipv4.ip_forward', '1');
  return w;
}

/** The golden scenario (golden.sh), namespaces `nsB-host`, `nsB-pod`, `nsB-lan`. */
export function goldenWorld(): World {
  const w = worldWith();
  for (const n of ['nsB-host', 'nsB-pod', 'nsB-lan']) addNetns(w, n);
  const H = getNetns(w, 'nsB-host');
  const P = getNetns(w, 'nsB-pod');
  setLinkUp(w, 'nsB-host', 'lo');
  setLinkUp(w, 'nsB-pod', 'lo');
  addBridge(H, 'cni0');
  setMac(H, 'cni0', mac('0a:00:00:00:00:01'));
  addVeth(w, { ns: 'nsB-host', name: 'veth1', peer: 'eth0', peerNs: 'nsB-pod' });
  setMac(H, 'veth1', mac('0a:00:00:00:00:02'));
  setMac(P, 'eth0', mac('0a:00:00:00:00:03'));
  setMaster(w, 'nsB-host', 'veth1', 'cni0');
  setLinkUp(w, 'nsB-host', 'veth1');
  setLinkUp(w, 'nsB-host', 'cni0');
  setLinkUp(w, 'nsB-pod', 'eth0');
  addr(w, 'nsB-host', 'cni0', '10.244.1.1/24');
  addr(w, 'nsB-pod', 'eth0', '10.244.1.2/24');
  addRoute(P, { dst: cidr('0.0.0.0/0'), via: ip('10.244.1.1'), dev: 'eth0' });
  addRoute(P, { dst: cidr('10.244.0.0/16'), via: ip('10.244.1.1'), dev: 'eth0' });
  addVeth(w, { ns: 'nsB-host', name: 'eth0', peer: 'lan0', peerNs: 'nsB-lan' });
  setMac(H, 'eth0', mac('0a:00:00:00:00:04'));
  setMac(getNetns(w, 'nsB-lan'), 'lan0', mac('0a:00:00:00:00:05'));
  setLinkUp(w, 'nsB-lan', 'lan0');
  setLinkUp(w, 'nsB-host', 'eth0');
  addr(w, 'nsB-host', 'eth0', '192.168.1.11/24');
  addr(w, 'nsB-host', 'eth0', '192.168.1.50/24');
  addr(w, 'nsB-host', 'eth0', '10.0.0.0/8');
  addAddress(H, { dev: 'eth0', cidr: cidr('fd00::1/64'), nodad: true });
  goldenRoutes(H);
  addBridge(H, 'cni1');
  setMac(H, 'cni1', mac('0a:00:00:00:00:06'));
  setLinkUp(w, 'nsB-host', 'cni1');
  setHairpin(H, 'veth1', true);
  addVxlan(H, 'flannel.1', { vni: 1, local: ip('192.168.1.11'), dev: 'eth0', dstport: 8472, learning: false });
  setMac(H, 'flannel.1', mac('0a:00:00:00:00:07'));
  setMtu(H, 'flannel.1', 1450);
  setLinkUp(w, 'nsB-host', 'flannel.1');
  addr(w, 'nsB-host', 'flannel.1', '10.244.1.0/32');
  addVxlanFdbEntry(H, { dev: 'flannel.1', mac: mac('5e:1a:2b:3c:4d:02'), dst: ip('192.168.1.12') });
  addNeigh(H, { dev: 'flannel.1', ip: ip('10.244.2.0'), mac: mac('5e:1a:2b:3c:4d:02') });
  return w;
}

function goldenRoutes(H: Netns): void {
  addRoute(H, { dst: cidr('10.0.0.0/24'), via: ip('192.168.1.1') });
  addRoute(H, { dst: cidr('0.0.0.0/0'), via: ip('192.168.1.1'), dev: 'eth0', proto: 'static', metric: 100 });
  addRoute(H, { type: 'blackhole', dst: cidr('10.244.120.64/26'), proto: 'bird' });
  addRoute(H, { dst: cidr('10.244.33.128/26'), via: ip('192.168.1.12'), dev: 'eth0', proto: 'bird', onlink: true });
  addRoute(H, { type: 'unreachable', dst: cidr('172.16.0.0/12') });
  addRoute(H, { type: 'prohibit', dst: cidr('172.31.0.0/16'), metric: 5 });
  addRoute(H, { dst: cidr('172.20.0.0/16'), dev: 'eth0', scope: 'link', src: ip('192.168.1.11'), table: 100 });
  addRoute(H, { dst: cidr('172.20.0.0/16'), dev: 'eth0', metric: 10 });
  addRoute(H, { dst: cidr('172.20.0.0/16'), dev: 'cni0', metric: 5 });
  addRoute(H, { dst: cidr('172.21.0.0/16'), dev: 'eth0', table: 7 });
  addRoute(H, { dst: cidr('fd01::/48'), via: ip('fd00::2'), dev: 'eth0' });
  addRoute(H, { dst: cidr('fd00::/48'), dev: 'eth0' });
  addRoute(H, { dst: cidr('::/0'), via: ip('fd00::5'), dev: 'eth0' });
  addRule(H, { family: 4, fwmark: 0x10, fwmask: 0xff, table: 100, priority: 100 });
  addRule(H, { family: 4, from: cidr('10.244.0.0/16'), to: cidr('10.96.0.0/12'), iif: 'cni0', table: 100, priority: 200 });
  addRule(H, { family: 4, oif: 'eth0', table: 254, priority: 300 });
  addRule(H, { family: 4, table: 7 });
  addNeigh(H, { dev: 'eth0', ip: ip('192.168.1.12'), mac: mac('5e:1a:2b:3c:4d:01') });
  addNeigh(H, { dev: 'eth0', ip: ip('192.168.1.13'), state: 'FAILED' });
}


/** A ping (ICMP echo request) from `src` to `dst`. */
export function ping(src: string, dst: string, ttl = 64): Packet {
  const s = ip(src);
  return packetFor({ family: s.family, proto: s.family === 4 ? 'icmp' : 'icmpv6', src: s, dst: ip(dst), type: s.family === 4 ? 8 : 128, code: 0, id: 1 }, { ttl });
}

/** What {@link walk} saw: the steps of the chosen path, and every event of every branch. */
export interface Walk {
  readonly hops: { ns: string; result: StepResult }[];
  readonly events: KernelEvent[];
  /** How the chosen path ended: a delivery or exit if any branch has one, else a drop that is not OTHERHOST. */
  readonly end: StepResult;
}

function rank(r: StepResult): number {
  if (r.kind === 'delivered' || r.kind === 'exits') return 0;
  if (r.kind === 'dropped') return r.reason === 'OTHERHOST' ? 2 : 1;
  return 3;
}

/**
 * A minimal driver for tests (the real tracer lives in `trace/`): follows every branch depth
 * first, at most `max` steps deep, and reports the best-ranked ending with its path.
 */
export function walk(w: World, start: Location, max = 32): Walk {
  const events: KernelEvent[] = [];
  const env = { ctx: simContext(1), emit: (e: KernelEvent) => void events.push(e) };
  let best: { ns: string; result: StepResult }[] | undefined;
  const visit = (loc: Location, path: { ns: string; result: StepResult }[]): void => {
    const result = step(w, loc, env);
    const here = [...path, { ns: loc.ns, result }];
    if (result.kind === 'next' && here.length < max) {
      for (const n of result.next) visit(n, here);
      return;
    }
    const last = best?.[best.length - 1];
    if (last === undefined || rank(result) < rank(last.result)) best = here;
  };
  visit(start, []);
  const hops = best ?? [];
  const end = hops[hops.length - 1];
  if (end === undefined) throw new Error('no step');
  return { hops, events, end: end.result };
}

/**
 * Every namespace of `w` as text, in key order: its own keys, devices, addresses, tables,
 * sysctls, counters, neighbours and FDB (bigints, Maps and Sets spelled out), for properties
 * that compare a fast kernel verb's world with the verbs' one.
 */
export function dumpLinkState(w: World): string {
  return JSON.stringify(
    Object.entries(w.netns).map(([n, ns]) => [n, Object.keys(ns), ns.links, ns.addrs, ns.tables, ns.sysctl, ns.counters, ns.neigh, ns.fdb]),
    (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Map ? { map: [...x.entries()] } : x instanceof Set ? { set: [...x] } : x),
  );
}

/**
 * The world the kernel-verb properties start from: namespaces `h` (the host, with
 * `net.ipv6.conf.all.forwarding=1` when asked and dummies `d0…`, each up as its flag says) and `o`
 * (where veths' far ends go), `lo` up in both.
 */
export function hostAndOther(v6Forwarding: boolean, dummiesUp: readonly boolean[]): { readonly w: World; readonly h: Netns } {
  const w = createWorld();
  for (const n of ['h', 'o']) {
    addNetns(w, n);
    setLinkUp(w, n, 'lo');
  }
  const h = getNetns(w, 'h');
  if (v6Forwarding) setSysctl(h, 'net.ipv6.conf.all.forwarding', '1');
  dummiesUp.forEach((up, i) => {
    addDummy(h, `d${i}`);
    if (up) setLinkUp(w, 'h', `d${i}`);
  });
  return { w, h };
}
