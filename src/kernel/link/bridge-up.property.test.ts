/**
 * addBridgeUp (bridge-up.ts) against the verbs it stands for, as the bridge plugin's
 * ensureBridge runs them: on random hosts (dummies and veths up or down, their far ends up or
 * down, link-local addresses removed so that devices wait, IPv6 forwarding on or off, the name
 * taken by a bridge or a dummy, an address left on the name, devices indexed or scanned) and
 * random names and MTUs, the verb or, where it declines, the verbs leave the same world to the
 * last detail as the verbs alone — devices, addresses, routes, sysctls, counters, keys in order —
 * and the same error.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { delAddress } from '../addr.js';
import { CommandError } from '../errors.js';
import { nextSeq, pushAddr } from '../netns.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';
import { dumpLinkState, hostAndOther } from '../../../test/helpers/kernel.js';
import { addBridge, addDummy, addVeth, setLinkUp } from './link.js';
import { setLinkIndexing } from './link-index.js';
import { addBridgeUp } from './bridge-up.js';

const MOSTLY = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false));
const HOST = fc.record({
  dummies: fc.array(MOSTLY, { maxLength: 8 }),
  veths: fc.array(fc.record({ up: MOSTLY, farUp: MOSTLY }), { maxLength: 3 }),
  v6Forwarding: fc.boolean(),
  /** Devices whose IPv6 link-local address is removed (then they wait, with carrier or not). */
  forget: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(fc.nat(), { maxLength: 2 })),
  /** What already holds the bridge's name. */
  taken: fc.constantFrom('none', 'none', 'none', 'bridge', 'dummy'),
  /** An address left on the bridge's name, with no device. */
  stale: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
  indexFrom: fc.constantFrom(undefined, 1, 6, 16),
});
const NAME = fc.oneof({ weight: 8, arbitrary: fc.constant('cni0') }, fc.constantFrom('br.x', '', 'bridge-very-long-name', 'lo'));
const MTU = fc.option(fc.constantFrom(1500, 1450, 9000), { nil: undefined });

type HostShape = typeof HOST extends fc.Arbitrary<infer T> ? T : never;

/** Host `h`, dummies `d…`, veths `v…` paired with `o`. */
function build(s: HostShape, name: string): World {
  const { w, h } = hostAndOther(s.v6Forwarding, s.dummies);
  s.veths.forEach((v, i) => {
    addVeth(w, { ns: 'h', name: `v${i}`, peer: `o${i}`, peerNs: 'o' });
    if (v.up) setLinkUp(w, 'h', `v${i}`);
    if (v.farUp) setLinkUp(w, 'o', `o${i}`);
  });
  if (s.taken !== 'none' && name !== '' && name !== 'lo' && name.length <= 15) {
    if (s.taken === 'bridge') addBridge(h, name);
    else addDummy(h, name);
  }
  const devs = Object.keys(h.links);
  for (const k of s.forget) {
    const dev = devs[k % devs.length]!;
    const ll = h.addrs.find((a) => a.dev === dev && a.cidr.addr.family === 6 && a.scope === 'link');
    if (ll !== undefined) delAddress(h, dev, ll.cidr);
  }
  if (s.stale) pushAddr(h, { dev: name, cidr: cidr('10.9.9.9/24'), scope: 'global', secondary: false, nodad: false, seq: nextSeq(h) });
  return w;
}

/** ensureBridgeByVerbs's verbs for a bridge not there yet; a refusal's message. */
function byVerbs(w: World, name: string, mtu: number | undefined): string {
  try {
    const ns = getNetns(w, 'h');
    addBridge(ns, name, mtu !== undefined ? { mtu } : {});
    setSysctl(ns, `net.ipv6.conf.${name}.accept_ra`, '0');
    setLinkUp(w, 'h', name);
    return 'ok';
  } catch (e) {
    if (e instanceof CommandError) return e.message;
    throw e;
  }
}

afterEach(() => void setLinkIndexing(6));

describe('addBridgeUp (bridge-up.ts)', () => {
  it('leaves what `ip link add NAME type bridge; sysctl accept_ra=0; ip link set NAME up` leave', () => {
    let took = 0;
    fc.assert(
      fc.property(HOST, NAME, MTU, (shape, name, mtu) => {
        const was = setLinkIndexing(shape.indexFrom);
        try {
          const a = build(shape, name);
          const b = build(shape, name);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
          const want = byVerbs(a, name, mtu);
          const fast = addBridgeUp(b, 'h', name, mtu);
          if (fast) took++;
          expect(fast ? 'ok' : byVerbs(b, name, mtu)).toBe(want);
          expect(dumpLinkState(b)).toBe(dumpLinkState(a));
        } finally {
          setLinkIndexing(was);
        }
      }),
      { numRuns: 1000 },
    );
    expect(took).toBeGreaterThan(150);
  });
});
