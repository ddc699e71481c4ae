/**
 * addVethPort (veth-port.ts) against the verbs it stands for, run one by one: on random
 * namespaces (a bridge or none, up or down, pinned or not, with ports of every MTU and MAC whose
 * far ends are up or down, link-local addresses removed so that devices wait with carrier, IPv6
 * forwarding on or off, names taken or too long, devices indexed or scanned), the world is the
 * same to the last detail — devices, addresses, routes, sysctls, counters, keys in order — and so
 * is the error. Where addVethPort declines, the caller runs the verbs, as the plugin does.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mac } from '../../addr/mac.js';
import { addAddress, delAddress } from '../addr.js';
import { CommandError } from '../errors.js';
import { setSysctl } from '../sysctl.js';
import { type World, addNetns, createWorld, getNetns } from '../world.js';
import { addBridge, addDummy, addVeth, setLinkUp } from './link.js';
import { setLinkIndexing } from './link-index.js';
import { setHairpin, setMac, setMaster } from './port.js';
import { dumpLinkState } from '../../../test/helpers/kernel.js';
import { type VethPortSpec, addVethPort } from './veth-port.js';
import { cidr } from '../../addr/cidr.js';

const MACS = ['02:00:00:00:00:05', '0a:58:0a:f4:01:01', '02:00:00:00:00:01', 'ee:ee:ee:ee:ee:ee'] as const;

const PORT = fc.record({ mtu: fc.constantFrom(1500, 1450, 9000), mac: fc.option(fc.constantFrom(...MACS), { nil: undefined }), up: fc.boolean(), farUp: fc.boolean(), enslave: fc.boolean() });
const WORLD = fc.record({
  bridge: fc.constantFrom('bridge', 'bridge', 'bridge', 'bridge', 'dummy', 'none'),
  bridgeUp: fc.boolean(),
  bridgeMtu: fc.option(fc.constantFrom(1500, 1400), { nil: undefined }),
  pin: fc.option(fc.constantFrom(...MACS), { nil: undefined }),
  bridgeAddr: fc.boolean(),
  ports: fc.array(PORT, { maxLength: 5 }),
  v6Forwarding: fc.boolean(),
  /** Devices whose IPv6 link-local address is removed (then they wait, with carrier or not). */
  forget: fc.array(fc.nat(), { maxLength: 3 }),
  dummies: fc.nat({ max: 14 }),
  indexFrom: fc.constantFrom(undefined, 1, 16),
});
const SPEC = fc.record({
  ns: fc.oneof({ weight: 8, arbitrary: fc.constant('p') }, fc.constantFrom('h', 'missing')),
  name: fc.oneof({ weight: 8, arbitrary: fc.constant('eth0') }, fc.constantFrom('lo', 'eth0-very-long-name')),
  peer: fc.oneof({ weight: 8, arbitrary: fc.constant('veth0') }, fc.constantFrom('p0', 'vethaaaaaaaaaaaaaa')),
  master: fc.oneof({ weight: 8, arbitrary: fc.constant('cni0') }, fc.constant('d0')),
  mtu: fc.option(fc.constantFrom(1500, 1450, 9000), { nil: undefined }),
  mac: fc.option(fc.constantFrom(...MACS), { nil: undefined }),
  hairpin: fc.boolean(),
});

type WorldShape = typeof WORLD extends fc.Arbitrary<infer T> ? T : never;

/** Host `h` (bridge `cni0`, its ports `p0…` paired with `o`), pod `p`, other end `o`. */
function build(s: WorldShape): World {
  const w = createWorld();
  for (const n of ['h', 'p', 'o']) {
    addNetns(w, n);
    setLinkUp(w, n, 'lo');
  }
  const h = getNetns(w, 'h');
  if (s.v6Forwarding) setSysctl(h, 'net.ipv6.conf.all.forwarding', '1');
  for (let i = 0; i < s.dummies; i++) addDummy(h, `d${i}`);
  if (s.bridge === 'bridge') addBridge(h, 'cni0', s.bridgeMtu !== undefined ? { mtu: s.bridgeMtu } : {});
  if (s.bridge === 'dummy') addDummy(h, 'cni0');
  if (s.bridge !== 'none' && s.bridgeUp) setLinkUp(w, 'h', 'cni0');
  if (s.bridge !== 'none' && s.pin !== undefined) setMac(h, 'cni0', s.pin as Mac);
  if (s.bridge !== 'none' && s.bridgeAddr) addAddress(h, { dev: 'cni0', cidr: cidr('10.244.1.1/24') });
  s.ports.forEach((p, i) => {
    addVeth(w, { ns: 'h', name: `p${i}`, peer: `o${i}`, peerNs: 'o', mtu: p.mtu, ...(p.mac !== undefined ? { mac: p.mac as Mac } : {}) });
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
  return w;
}

/** The verbs one by one, as setupVeth and attachPort run them; the first refusal ends them. */
function byVerbs(w: World, spec: VethPortSpec): string {
  try {
    addVeth(w, { ns: spec.ns, name: spec.name, peer: spec.peer, peerNs: spec.peerNs, ...(spec.mtu !== undefined ? { mtu: spec.mtu } : {}), ...(spec.mac !== undefined ? { mac: spec.mac } : {}) });
    setLinkUp(w, spec.peerNs, spec.peer);
    setSysctl(getNetns(w, spec.peerNs), `net.ipv6.conf.${spec.peer}.accept_ra`, '0');
    setMaster(w, spec.peerNs, spec.peer, spec.master);
    setHairpin(getNetns(w, spec.peerNs), spec.peer, spec.hairpin);
    return 'ok';
  } catch (e) {
    if (e instanceof CommandError) return e.message;
    throw e;
  }
}

/** addVethPort, then the sysctl that sits between `up` and `master`; the verbs where it declines. */
function byOneVerb(w: World, spec: VethPortSpec): { out: string; taken: boolean } {
  if (!addVethPort(w, spec)) return { out: byVerbs(w, spec), taken: false };
  setSysctl(getNetns(w, spec.peerNs), `net.ipv6.conf.${spec.peer}.accept_ra`, '0');
  return { out: 'ok', taken: true };
}


afterEach(() => void setLinkIndexing(16));

describe('addVethPort (veth-port.ts)', () => {
  it('leaves what `ip link add … veth peer …; ip link set PEER up master BR; bridge link set … hairpin` leave', () => {
    let taken = 0;
    fc.assert(
      fc.property(WORLD, SPEC, (shape, s) => {
        const was = setLinkIndexing(shape.indexFrom);
        try {
          const spec: VethPortSpec = { ns: s.ns, name: s.name, peer: s.peer, peerNs: 'h', master: s.master, hairpin: s.hairpin, ...(s.mtu !== undefined ? { mtu: s.mtu } : {}), ...(s.mac !== undefined ? { mac: s.mac as Mac } : {}) };
          const a = build(shape);
          const b = build(shape);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
          const want = byVerbs(a, spec);
          const got = byOneVerb(b, spec);
          if (got.taken) taken++;
          expect(got.out).toBe(want);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
        } finally {
          setLinkIndexing(was);
        }
      }),
      { numRuns: 600 },
    );
    expect(taken).toBeGreaterThan(200);
  });
});
