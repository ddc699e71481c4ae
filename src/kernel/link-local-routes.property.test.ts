/**
 * installLinkLocalRoutes (addr.ts), the routes of a link-local `fe80::IID/64` with shared
 * destinations (the address's words handed in, as carrier.ts reads them from the MAC, or not),
 * against installAddrRoutes: on random MACs, IPv6 forwarding on or off (the device's own or
 * `all`), a device up or down, and tables that already hold the `fe80::` anycast route through
 * this device or another (joinLinkLocalAnycast's check and insert in one walk), both leave the
 * same tables and counters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mac } from '../addr/mac.js';
import { installAddrRoutes, installLinkLocalRoutes } from './addr.js';
import { addDummy, setLinkUp } from './link/link.js';
import { linkLocalOf, linkLocalWords } from './link/carrier.js';
import { type IfAddr, type Netns, nextSeq, pushAddr } from './netns.js';
import { setSysctl } from './sysctl.js';
import { addNetns, createWorld, getNetns } from './world.js';

const MAC = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':') as Mac);

interface Case {
  readonly mac: Mac;
  readonly all: boolean;
  readonly own: '0' | '1' | undefined;
  readonly up: boolean;
  /** Whether the address's words are handed in (carrier.ts addrconf reads them from the MAC). */
  readonly words: boolean;
  /** Devices whose link-local routes are installed first (d0 is the device under test). */
  readonly before: readonly { dev: 'd0' | 'd1'; mac: Mac }[];
}

const CASE: fc.Arbitrary<Case> = fc.record({
  mac: MAC,
  all: fc.boolean(),
  own: fc.constantFrom(undefined, '0', '1'),
  up: fc.boolean(),
  words: fc.boolean(),
  before: fc.array(fc.record({ dev: fc.constantFrom<'d0' | 'd1'>('d0', 'd1'), mac: MAC }), { maxLength: 2 }),
});

function setUp(c: Case): { ns: Netns; a: IfAddr } {
  const world = createWorld();
  addNetns(world, 'n');
  const ns = getNetns(world, 'n');
  addDummy(ns, 'd0');
  addDummy(ns, 'd1');
  if (c.all) setSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
  if (c.own !== undefined) setSysctl(ns, 'net.ipv6.conf.d0.forwarding', c.own);
  setLinkUp(world, 'n', 'd1');
  // Up with no autoconfiguration of its own (setLinkUp would give d0 its link-local address and anycast route).
  if (c.up) ns.links['d0'] = { ...(ns.links['d0'] as NonNullable<Netns['links'][string]>), up: true };
  const push = (dev: string, mac: Mac): IfAddr => {
    const a: IfAddr = { dev, cidr: { addr: linkLocalOf(mac), prefix: 64 }, scope: 'link', secondary: false, nodad: false, seq: nextSeq(ns) };
    pushAddr(ns, a);
    return a;
  };
  for (const b of c.before) installAddrRoutes(ns, push(b.dev, b.mac));
  return { ns, a: push('d0', c.mac) };
}

const dump = (ns: Netns): string => JSON.stringify({ tables: ns.tables, counters: ns.counters, addrs: ns.addrs }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v));

describe('installLinkLocalRoutes (property)', () => {
  it('installs what installAddrRoutes installs for a link-local address', () => {
    let anycast = 0;
    fc.assert(
      fc.property(CASE, (c) => {
        const fast = setUp(c);
        const slow = setUp(c);
        const words = [0, 0, 0, 0];
        linkLocalWords(c.mac, words);
        installLinkLocalRoutes(fast.ns, fast.a, c.words ? words : undefined);
        const had = dump(slow.ns).split('"anycast"').length;
        installAddrRoutes(slow.ns, slow.a);
        if (dump(slow.ns).split('"anycast"').length > had) anycast++;
        expect(dump(fast.ns)).toBe(dump(slow.ns));
      }),
      { numRuns: 500 },
    );
    expect(anycast).toBeGreaterThan(50);
  });
});
