/**
 * planPodPorts (pod-ports.ts) against the verbs it stands for, pod by pod as the bridge plugin's
 * ADDs run them into sandbox shells: on random hosts (a bridge or none, up or down, pinned or
 * not, with ports of every MTU whose far ends are up or down, link-local addresses removed so
 * that devices wait, IPv6 forwarding on or off, devices indexed or scanned) and random pods
 * (shells shared, missing, the host itself or holding a device; host ends taken, repeated,
 * dotted or too long; any MTU and hairpin), the plan takes the pods it can, then the verbs do
 * the rest as the batch does: the world is the same to the last detail — devices, addresses,
 * routes, sysctls, counters, keys in order — and so are the error and the namespaces the change
 * log (netns-changes.ts) names.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mac } from '../../addr/mac.js';
import { cidr } from '../../addr/cidr.js';
import { addAddress, delAddress } from '../addr.js';
import { addSandboxShell } from '../deferred-sandbox.js';
import { CommandError } from '../errors.js';
import { nextSeq, pushAddr } from '../netns.js';
import { changeMark, changesSince } from '../netns-changes.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';
import { addBridge, addDummy, addVeth, setLinkUp, setShellLinkUp } from './link.js';
import { setLinkIndexing } from './link-index.js';
import { dumpLinkState, hostAndOther } from '../../../test/helpers/kernel.js';
import { type PodPort, type PodPortsHost, planPodPorts } from './pod-ports.js';
import { setHairpin, setMac, setMaster } from './port.js';

const MACS = ['02:00:00:00:00:05', '0a:58:0a:f4:01:01', '02:00:00:00:00:01', 'ee:ee:ee:ee:ee:ee'] as const;

const MOSTLY = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false));
const PORT = fc.record({ mtu: fc.constantFrom(1500, 1450, 9000), up: MOSTLY, farUp: MOSTLY, enslave: fc.boolean() });
const HOST = fc.record({
  bridge: fc.constantFrom('bridge', 'bridge', 'bridge', 'bridge', 'dummy', 'none'),
  bridgeUp: MOSTLY,
  bridgeMtu: fc.option(fc.constantFrom(1500, 1400, 9000), { nil: undefined }),
  pin: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...MACS) }, fc.constant(undefined)),
  ports: fc.array(PORT, { maxLength: 4 }),
  v6Forwarding: fc.boolean(),
  /** Devices whose IPv6 link-local address is removed (then they wait, with carrier or not). */
  forget: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(fc.nat(), { maxLength: 2 })),
  /** A stale address on a device name a pod's host end will take. */
  stale: fc.boolean(),
  /** `accept_ra` of host ends to come, written before their devices exist (a value, or none). */
  staleRa: fc.constantFrom(undefined, '0', '1'),
  dummies: fc.nat({ max: 8 }),
  dummiesUp: MOSTLY,
  /** Shells that hold a device already. */
  busy: fc.array(fc.nat({ max: 7 }), { maxLength: 2 }),
  indexFrom: fc.constantFrom(undefined, 1, 6, 16),
});
const POD = fc.record({
  shell: fc.oneof({ weight: 12, arbitrary: fc.constant('fresh') }, fc.constantFrom('s0', 'h', 'missing')),
  name: fc.oneof({ weight: 12, arbitrary: fc.constant('eth0') }, fc.constantFrom('lo', 'eth0-very-long-name')),
  peer: fc.oneof({ weight: 12, arbitrary: fc.constant('fresh') }, fc.constantFrom('p0', 'veth0', 'veth.x', 'vethaaaaaaaaaaaaaa', 'stale0')),
});
const PODS = fc.record({ pods: fc.array(POD, { maxLength: 7 }), mtu: fc.option(fc.constantFrom(1500, 1450, 9000), { nil: undefined }), hairpin: fc.boolean() });

type HostShape = typeof HOST extends fc.Arbitrary<infer T> ? T : never;
type PodsShape = typeof PODS extends fc.Arbitrary<infer T> ? T : never;

/** Host `h` (bridge `cni0`, its ports `p0…` paired with `o`), shells `s0…s7`. */
function build(s: HostShape): World {
  const { w, h } = hostAndOther(s.v6Forwarding, Array.from({ length: s.dummies }, () => s.dummiesUp));
  if (s.bridge === 'bridge') addBridge(h, 'cni0', s.bridgeMtu !== undefined ? { mtu: s.bridgeMtu } : {});
  if (s.bridge === 'dummy') addDummy(h, 'cni0');
  if (s.bridge !== 'none' && s.bridgeUp) setLinkUp(w, 'h', 'cni0');
  if (s.bridge !== 'none' && s.pin !== undefined) setMac(h, 'cni0', s.pin as Mac);
  if (s.bridge !== 'none') addAddress(h, { dev: 'cni0', cidr: cidr('10.244.1.1/24') });
  s.ports.forEach((p, i) => {
    addVeth(w, { ns: 'h', name: `p${i}`, peer: `o${i}`, peerNs: 'o', mtu: p.mtu });
    if (p.up) setLinkUp(w, 'h', `p${i}`);
    if (p.farUp) setLinkUp(w, 'o', `o${i}`);
    if (p.enslave && s.bridge === 'bridge') setMaster(w, 'h', `p${i}`, 'cni0');
  });
  const devs = Object.keys(h.links);
  for (const k of s.forget) {
    const dev = devs[k % devs.length]!;
    const ll = h.addrs.find((a) => a.dev === dev && a.cidr.addr.family === 6 && a.scope === 'link');
    if (ll !== undefined) delAddress(h, dev, ll.cidr);
  }
  if (s.stale) {
    // An address left on a name no device has (what `up` of a new device of that name would route).
    pushAddr(h, { dev: 'stale0', cidr: cidr('10.9.9.9/32'), scope: 'global', secondary: false, nodad: false, seq: nextSeq(h) });
  }
  if (s.staleRa !== undefined) for (const dev of ['veth1', 'veth3']) setSysctl(h, `net.ipv6.conf.${dev}.accept_ra`, s.staleRa);
  for (let i = 0; i < 8; i++) addSandboxShell(w, `s${i}`);
  for (const i of new Set(s.busy)) addDummy(getNetns(w, `s${i}`), 'x0');
  return w;
}

/**
 * The pods' specs: `fresh` shells and host ends numbered in order. `lo` only where a namespace
 * holds one: a sandbox shell stands for a namespace whose own `lo` is made later, and the kernel
 * refuses a second `lo` there, a refusal the shell cannot show (CNI names the pod end `eth0`).
 */
function ports(p: PodsShape): PodPort[] {
  return p.pods.map((x, i) => {
    const shell = x.shell === 'fresh' ? `s${(i % 7) + 1}` : x.shell;
    return { shell, name: x.name === 'lo' && shell !== 'h' ? 'eth0' : x.name, peer: x.peer === 'fresh' ? `veth${i + 1}` : x.peer };
  });
}

/** One pod's verbs, as setupVeth, attachPort and configureIface run them; a refusal's message. */
function byVerbs(w: World, h: PodPortsHost, pod: PodPort): string {
  try {
    addVeth(w, { ns: pod.shell, name: pod.name, peer: pod.peer, peerNs: h.host, ...(h.mtu !== undefined ? { mtu: h.mtu } : {}) });
    setLinkUp(w, h.host, pod.peer);
    setSysctl(getNetns(w, h.host), `net.ipv6.conf.${pod.peer}.accept_ra`, '0');
    setMaster(w, h.host, pod.peer, h.master);
    setHairpin(getNetns(w, h.host), pod.peer, h.hairpin);
    setShellLinkUp(w, pod.shell, pod.name);
    return 'ok';
  } catch (e) {
    if (e instanceof CommandError) return e.message;
    throw e;
  }
}

/** Every pod by the verbs, up to the first refusal. */
function allByVerbs(w: World, h: PodPortsHost, pods: readonly PodPort[]): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    out.push(byVerbs(w, h, pod));
    if (out[out.length - 1] !== 'ok') break;
  }
  return out;
}

/** The plan's run of pods that fit, then the verbs from the first pod that does not (as the CNI batch does); how many the plan took. */
function byPlan(w: World, h: PodPortsHost, pods: readonly PodPort[]): { out: string[]; taken: number } {
  const plan = planPodPorts(w, h);
  let taken = 0;
  if (plan !== undefined) {
    while (taken < pods.length && plan.fits(pods[taken]!)) {
      plan.take();
      taken++;
    }
    plan.apply();
  }
  const rest = allByVerbs(w, h, pods.slice(taken));
  return { out: [...Array.from({ length: taken }, () => 'ok'), ...rest], taken };
}


/** The names the change log holds since `mark`. */
function noted(mark: number): string[] | undefined {
  const since = changesSince(mark);
  return since?.names.slice(since.from);
}

afterEach(() => void setLinkIndexing(6));

describe('planPodPorts (pod-ports.ts)', () => {
  it("leaves what each pod's `ip link add … veth peer …; up; master; hairpin; accept_ra; ip -n SHELL link set up` leave", () => {
    let took = 0;
    fc.assert(
      fc.property(HOST, PODS, (shape, p) => {
        const was = setLinkIndexing(shape.indexFrom);
        try {
          const h: PodPortsHost = { host: 'h', master: 'cni0', mtu: p.mtu, hairpin: p.hairpin };
          const pods = ports(p);
          const a = build(shape);
          const b = build(shape);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
          const wantLog = changeMark();
          const want = allByVerbs(a, h, pods);
          const wantNoted = noted(wantLog);
          const gotLog = changeMark();
          const got = byPlan(b, h, pods);
          took += got.taken;
          expect(got.out).toEqual(want);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
          // The ARP/ND index's change log (netns-changes.ts) names the same namespaces, in the same order.
          expect(noted(gotLog)).toEqual(wantNoted);
        } finally {
          setLinkIndexing(was);
        }
      }),
      { numRuns: 1000 },
    );
    expect(took).toBeGreaterThan(300);
  });
});
