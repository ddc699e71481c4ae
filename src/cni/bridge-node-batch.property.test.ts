/**
 * A node's batched ADDs (bridge-node-batch.ts), its first pod's among them, against the bridge
 * plugin's ADDs one by one through the registry, on random hosts the scenarios never make: the
 * bridge missing (mostly), there already (up or down, pinned or not, with the gateway address or
 * another), or a dummy of its name; a device awaiting its link-local address (the bridge verb
 * declines); a host end's name taken; pods in sandbox shells or in plain namespaces, asking for
 * addresses in or outside the range; one or two IPv4 range sets (two gateways: the first pod's
 * gateway may be refused) and IPv6 beside; every option of the config. The outcomes are the same,
 * and so is the world, shells filled, to the last detail (kernel/link state, the host's
 * netfilter, host-local's files).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { type Ip, formatIp, ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { addAddress, delAddress } from '../kernel/addr.js';
import { addSandboxShell, deferSandbox, inSandboxLater } from '../kernel/deferred-sandbox.js';
import { addBridge, addDummy, setLinkUp } from '../kernel/link/link.js';
import { setMac } from '../kernel/link/port.js';
import { addNetnsLoopbackUp } from '../kernel/netns-template.js';
import { type World, addNetns, createWorld, getNetns } from '../kernel/world.js';
import { simContext } from '../sim/context.js';
import { dumpLinkState } from '../../test/helpers/kernel.js';
import { BUILTIN_CNI_PLUGINS } from './builtins.js';
import { type PodAdd, bridgeNodeAdds } from './bridge-node-batch.js';
import { hostVethName } from './naming.js';
import { cniHost, createCniRegistry } from './registry.js';
import type { CniResult, NetConf, RuntimeConf } from './types.js';

const registry = createCniRegistry(BUILTIN_CNI_PLUGINS);
const MOSTLY = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false));

const HOST = fc.record({
  bridge: fc.oneof({ weight: 6, arbitrary: fc.constant('none') }, fc.constantFrom('bridge', 'dummy')),
  bridgeUp: MOSTLY,
  pin: fc.boolean(),
  bridgeAddr: fc.constantFrom(undefined, '10.244.1.1/24', '10.9.0.1/24'),
  /** A dummy down, without its link-local address: it awaits one. */
  waiting: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, fc.constant(true)),
  /** Pods whose host end's name a dummy holds. */
  taken: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(fc.nat({ max: 5 }), { maxLength: 2 })),
});
const CONF = fc.record({
  isGateway: fc.boolean(),
  isDefaultGateway: fc.boolean(),
  ipMasq: fc.boolean(),
  hairpinMode: fc.boolean(),
  forceAddress: fc.boolean(),
  mtu: fc.constantFrom(0, 1500, 1450, 9000),
  secondV4: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
  v6: fc.boolean(),
});
const POD = fc.record({
  shell: MOSTLY,
  /** Host octet of the address asked for (0: none asked for, 300: outside the range). */
  at: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 2, max: 40 }) }, fc.constantFrom(0, 300)),
});

type HostShape = typeof HOST extends fc.Arbitrary<infer T> ? T : never;
type ConfShape = typeof CONF extends fc.Arbitrary<infer T> ? T : never;
type PodShape = typeof POD extends fc.Arbitrary<infer T> ? T : never;

function netConf(c: ConfShape): NetConf {
  const ranges = [[{ subnet: '10.244.1.0/24' }], ...(c.secondV4 ? [[{ subnet: '10.245.1.0/24' }]] : []), ...(c.v6 ? [[{ subnet: 'fd00:10:244:1::/64' }]] : [])];
  const { secondV4: _s, v6: _v, ...opts } = c;
  return { cniVersion: '1.0.0', name: 'cbr0', type: 'bridge', bridge: 'cni0', ...opts, ipam: { type: 'host-local', ranges, routes: [{ dst: '10.244.0.0/16' }] } };
}

const containerId = (i: number): string => `c${i}`.padEnd(64, '0');

/** The addresses pod `i` asks for: one per range set, or none, or one outside. */
function requested(p: PodShape, c: ConfShape): Ip[] {
  if (p.at === 0) return [];
  if (p.at > 255) return [ip('10.99.0.1')];
  const out = [ip(`10.244.1.${p.at}`)];
  if (c.secondV4) out.push(ip(`10.245.1.${p.at}`));
  if (c.v6) out.push(ip(`fd00:10:244:1::${p.at.toString(16)}`));
  return out;
}

/** Host `node` (lo, eth0) as the shape says, and the pods' namespaces (shells queueing, or plain). */
function build(s: HostShape, pods: readonly PodShape[]): World {
  const w = createWorld();
  addNetns(w, 'node');
  setLinkUp(w, 'node', 'lo');
  const h = getNetns(w, 'node');
  addDummy(h, 'eth0');
  setLinkUp(w, 'node', 'eth0');
  addAddress(h, { dev: 'eth0', cidr: cidr('192.168.56.11/24') });
  if (s.bridge !== 'none') {
    if (s.bridge === 'bridge') addBridge(h, 'cni0');
    else addDummy(h, 'cni0');
    if (s.bridgeUp) setLinkUp(w, 'node', 'cni0');
    if (s.pin) setMac(h, 'cni0', '0a:58:0a:f4:01:01' as Mac);
    if (s.bridgeAddr !== undefined) addAddress(h, { dev: 'cni0', cidr: cidr(s.bridgeAddr) });
  }
  if (s.waiting) {
    addDummy(h, 'd0');
    setLinkUp(w, 'node', 'd0');
    const ll = h.addrs.find((a) => a.dev === 'd0' && a.scope === 'link');
    if (ll !== undefined) delAddress(h, 'd0', ll.cidr);
  }
  for (const i of new Set(s.taken)) if (i < pods.length) addDummy(h, hostVethName(containerId(i), 'eth0'));
  pods.forEach((p, i) => {
    if (p.shell) {
      addSandboxShell(w, `pod${i}`);
      inSandboxLater(w, `pod${i}`, () => void addNetnsLoopbackUp(w, `pod${i}`));
    } else addNetnsLoopbackUp(w, `pod${i}`);
  });
  return w;
}

function rtOf(i: number): RuntimeConf {
  return { containerId: containerId(i), netns: `pod${i}`, ifName: 'eth0', args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: `pod${i}`, K8S_POD_INFRA_CONTAINER_ID: containerId(i) } };
}

/** An outcome as text: the error, or the result and the IPs. */
function shown(out: { ok: true; value: { result: CniResult | (() => CniResult); ips: readonly Ip[] } } | { ok: false; error: unknown }): string {
  if (!out.ok) return JSON.stringify(out.error);
  const r = out.value.result;
  return JSON.stringify({ result: typeof r === 'function' ? r() : r, ips: out.value.ips.map(formatIp) });
}

/** The world with every shell deferred and then filled, the host's netfilter and the store, as text. */
function settled(w: World, pods: readonly PodShape[], store: Record<string, string>): string {
  pods.forEach((p, i) => {
    if (p.shell) deferSandbox(w, `pod${i}`, []);
  });
  for (const name of Object.keys(w.netns)) void w.netns[name];
  const text = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Map ? { map: [...x.entries()] } : x instanceof Set ? { set: [...x] } : x));
  return [dumpLinkState(w), text(getNetns(w, 'node').netfilter), text(store)].join('\n');
}

/** The plugin's ADDs one by one, each asking as kubelet does (`IP=`, or `args.cni.ips` for more than one). */
function oneByOne(w: World, raw: NetConf, pods: readonly PodShape[], c: ConfShape, store: Record<string, string>): string[] {
  const host = cniHost({ world: w, hostNs: 'node', registry, store, ctx: simContext(1) });
  return pods.map((p, i) => {
    const want = requested(p, c);
    const rt = rtOf(i);
    const args = want.length === 1 ? { ...rt.args, IP: formatIp(want[0]!) } : rt.args;
    const conf = want.length > 1 ? { ...raw, args: { cni: { ips: want.map(formatIp) } } } : raw;
    const out = registry.get('bridge')!.add(conf, { ...rt, args }, host);
    if (!out.ok) return shown(out);
    const ips = out.value.ips.map((x) => ip(x.address.split('/')[0]!));
    return shown({ ok: true, value: { result: out.value, ips } });
  });
}

describe("a node's batched ADDs (bridge-node-batch.ts), its first pod's too", () => {
  it('leave what the ADDs one by one leave, on any host', () => {
    let firsts = 0;
    fc.assert(
      fc.property(HOST, CONF, fc.array(POD, { minLength: 1, maxLength: 6 }), (s, c, pods) => {
        const raw = netConf(c);
        const a = build(s, pods);
        const b = build(s, pods);
        const storeA: Record<string, string> = {};
        const storeB: Record<string, string> = {};
        const want = oneByOne(a, raw, pods, c, storeA);
        const hostB = cniHost({ world: b, hostNs: 'node', registry, store: storeB, ctx: simContext(1) });
        const adds = bridgeNodeAdds(raw, hostB, registry);
        expect(adds).toBeDefined();
        const each: PodAdd[] = pods.map((p, i) => ({ rt: rtOf(i), requested: requested(p, c) }));
        const got = adds!(each).map(shown);
        if (s.bridge === 'none' && pods[0]!.shell) firsts++;
        expect(got).toEqual(want);
        expect(settled(b, pods, storeB)).toBe(settled(a, pods, storeA));
      }),
      { numRuns: 400 },
    );
    expect(firsts).toBeGreaterThan(100);
  });
});
