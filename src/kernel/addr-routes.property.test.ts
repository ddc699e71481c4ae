/**
 * Property: the routes an address implies (addr.ts installAddrRoutes, whose kernel routes are
 * built directly by `kernelRoute`) are the routes `routeFromSpec` makes from the `ip route`-shaped
 * specs, inserted in the same order, with the same subnet-router anycast route. Random IPv4 and
 * IPv6 addresses and prefix lengths, primaries and secondaries, `noprefixroute`, loopback and
 * other devices, IPv6 forwarding on or off: both leave the tables and counters the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, canonicalCidr, cidrContains, lastAddress } from '../addr/cidr.js';
import { type Ip, familyBits } from '../addr/ip.js';
import { devAddrs, installAddrRoutes } from './addr.js';
import { syncAnycast } from './anycast.js';
import { addDummy, setLinkUp } from './link/link.js';
import { type IfAddr, type Netns, nextSeq, pushAddr } from './netns.js';
import { indexInsert } from './route/prefix-index.js';
import { type RouteSpec, familyIndex, getTable, routeFromSpec } from './route/table.js';
import { TABLE_LOCAL, TABLE_MAIN } from './route/types.js';
import { setSysctl } from './sysctl.js';
import { type World, addNetns, createWorld, getNetns } from './world.js';

/** The straightforward path: each route as `ip route add`'s spec, through routeFromSpec. */
function referenceInstall(ns: Netns, a: IfAddr): void {
  // primaryFor: the primary of the secondary's subnet, else the address itself.
  const src = a.secondary ? (devAddrs(ns, a.dev, 4).find((p) => !p.secondary && p.cidr.prefix === a.cidr.prefix && cidrContains(p.cidr, a.cidr.addr)) ?? a).cidr.addr : a.cidr.addr;
  const insert = (spec: RouteSpec & { proto: 'kernel' }): void => {
    const r = routeFromSpec(ns, spec);
    indexInsert(familyIndex(getTable(ns, r.table), r.dst.addr.family), r);
  };
  const { dev, cidr } = a;
  const host: Cidr = { addr: cidr.addr, prefix: familyBits(cidr.addr.family) };
  if (cidr.addr.family === 6) {
    insert({ proto: 'kernel', type: 'local', dst: host, dev, table: TABLE_LOCAL, metric: 0 });
    if (a.noPrefixRoute === undefined) insert({ proto: 'kernel', dst: canonicalCidr(cidr), dev, metric: 256 });
    // One address on a device that had none: what joining it gives is what a full sync gives.
    syncAnycast(ns, dev);
    return;
  }
  insert({ proto: 'kernel', type: 'local', dst: host, dev, table: TABLE_LOCAL, scope: 'host', src });
  if (a.secondary) return;
  const loopback = ns.links[dev]?.kind === 'loopback';
  if (cidr.prefix < 32 && a.noPrefixRoute === undefined) {
    const net = canonicalCidr(cidr);
    if (loopback) insert({ proto: 'kernel', type: 'local', dst: net, dev, table: TABLE_LOCAL, scope: 'host', src });
    else insert({ proto: 'kernel', dst: net, dev, table: TABLE_MAIN, scope: 'link', src });
  }
  if (cidr.prefix < 31) insert({ proto: 'kernel', type: 'broadcast', dst: { addr: lastAddress(cidr), prefix: 32 }, dev, table: TABLE_LOCAL, scope: 'link', src });
}

interface Case {
  readonly v6: boolean;
  readonly value: bigint;
  readonly prefix: number;
  readonly secondaryOf: bigint | undefined;
  readonly noPrefixRoute: boolean;
  readonly loopback: boolean;
  readonly forwarding: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.boolean().chain((v6) =>
  fc.record({
    v6: fc.constant(v6),
    value: fc.bigInt({ min: 0n, max: v6 ? (1n << 128n) - 1n : (1n << 32n) - 1n }),
    prefix: fc.integer({ min: 0, max: v6 ? 128 : 32 }),
    secondaryOf: fc.option(fc.bigInt({ min: 0n, max: 255n }), { nil: undefined }),
    noPrefixRoute: fc.boolean(),
    loopback: fc.boolean(),
    forwarding: fc.boolean(),
  }),
);

/** A namespace with the device up, and the address pushed (and the primary it is a secondary of, for IPv4). */
function setUp(c: Case): { world: World; a: IfAddr } {
  const world = createWorld();
  addNetns(world, 'n');
  const ns = getNetns(world, 'n');
  const dev = c.loopback ? 'lo' : 'd0';
  if (!c.loopback) addDummy(ns, dev);
  if (c.forwarding) setSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
  const family = c.v6 ? 6 : 4;
  const addr: Ip = { family, value: c.value };
  const secondary = !c.v6 && c.secondaryOf !== undefined;
  // The primary the secondary lives beside: the same prefix, another address of it.
  const primary: Ip = { family, value: c.value ^ (c.secondaryOf ?? 0n) };
  const push = (x: Ip, second: boolean): IfAddr => {
    const a: IfAddr = { dev, cidr: { addr: x, prefix: c.prefix }, scope: 'global', secondary: second, nodad: false, ...(c.noPrefixRoute ? { noPrefixRoute: 'flag' as const } : {}), seq: nextSeq(ns) };
    pushAddr(ns, a);
    return a;
  };
  if (secondary) push(primary, false);
  const a = push(addr, secondary);
  // Up with no addresses' routes yet (setLinkUp would install them): the device's flags only.
  ns.links[dev] = { ...(ns.links[dev] as NonNullable<Netns['links'][string]>), up: true };
  if (c.loopback) setLinkUp(world, 'n', dev);
  return { world, a };
}

const dump = (ns: Netns): string => JSON.stringify({ tables: ns.tables, counters: ns.counters }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v));

describe('installAddrRoutes (property)', () => {
  it('makes the routes routeFromSpec makes from the specs, in the same order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const fast = setUp(c);
        const slow = setUp(c);
        installAddrRoutes(getNetns(fast.world, 'n'), fast.a);
        referenceInstall(getNetns(slow.world, 'n'), slow.a);
        expect(dump(getNetns(fast.world, 'n'))).toBe(dump(getNetns(slow.world, 'n')));
      }),
      { numRuns: 500 },
    );
  });
});
