/**
 * The subnet-router anycast routes an IPv6 router adds, and how a packet to one is treated.
 * Each expectation is what Linux 6.18 showed in namespaces (see anycast.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { packetFor } from '../packet/build.js';
import { addr, mac, ping, vethPair, walk, worldWith } from '../../test/helpers/kernel.js';
import { addAddress, addrType, delAddress } from './addr.js';
import { addBridge, addDummy, addVeth, setLinkDown, setLinkUp } from './link/link.js';
import { setMac } from './link/port.js';
import { fibLookup } from './route/fib.js';
import { setSysctl } from './sysctl.js';
import { renderIpRoute } from './text/route.js';
import { type World, getNetns } from './world.js';

const LOCAL = 255;

/** The `anycast` lines of `ip -6 route show table local`. */
function anycast(w: World, ns: string): string[] {
  return renderIpRoute(getNetns(w, ns), { family: 6, table: LOCAL })
    .split('\n')
    .filter((l) => l.startsWith('anycast '));
}

/** A namespace `n` with a dummy `d0` (MAC fixed), up, IPv6 forwarding as given. */
function withDummy(forwarding: '0' | '1'): World {
  const w = worldWith('n');
  const ns = getNetns(w, 'n');
  setSysctl(ns, 'net.ipv6.conf.all.forwarding', forwarding);
  addDummy(ns, 'd0');
  setMac(ns, 'd0', mac('7e:98:bc:0c:b5:e6'));
  setLinkUp(w, 'n', 'd0');
  return w;
}

describe('subnet-router anycast routes (addrconf_join_anycast)', () => {
  it('forwarding on: fe80:: for the link-local address, the prefix of each global address below /127', () => {
    const w = withDummy('1');
    const ns = getNetns(w, 'n');
    for (const c of ['fd00:2::1/127', 'fd00:3::1/126', 'fd00:4::1/128', 'fd00:3::2/126', '::7/64', 'fd00:1::5/64']) addAddress(ns, { dev: 'd0', cidr: cidr(c), nodad: true });
    expect(anycast(w, 'n')).toEqual([
      'anycast fd00:1:: dev d0 proto kernel metric 0 pref medium',
      'anycast fd00:3:: dev d0 proto kernel metric 0 pref medium',
      'anycast fe80:: dev d0 proto kernel metric 0 pref medium',
    ]);
    expect(renderIpRoute(ns, { family: 6, table: 'all' })).toContain('anycast fe80:: dev d0 table local proto kernel metric 0 pref medium\n');
  });

  it('forwarding off (a fresh namespace, a pod): none; IPv4 never has any', () => {
    const w = withDummy('0');
    addr(w, 'n', 'd0', 'fd00:1::5/64');
    addr(w, 'n', 'd0', '10.1.2.3/24');
    expect(anycast(w, 'n')).toEqual([]);
    setSysctl(getNetns(w, 'n'), 'net.ipv4.ip_forward', '1');
    expect(renderIpRoute(getNetns(w, 'n'), { family: 4, table: 'all' })).not.toContain('anycast');
  });

  it('turning forwarding on joins the existing addresses, off leaves them; a device has its own switch', () => {
    const w = withDummy('0');
    const ns = getNetns(w, 'n');
    addr(w, 'n', 'd0', 'fd00:1::5/64');
    addr(w, 'n', 'lo', 'fd00:6::1/64');
    setSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
    expect(anycast(w, 'n')).toEqual([
      'anycast fd00:1:: dev d0 proto kernel metric 0 pref medium',
      'anycast fd00:6:: dev lo proto kernel metric 0 pref medium',
      'anycast fe80:: dev d0 proto kernel metric 0 pref medium',
    ]);
    setSysctl(ns, 'net.ipv6.conf.d0.forwarding', '0');
    expect(anycast(w, 'n')).toEqual(['anycast fd00:6:: dev lo proto kernel metric 0 pref medium']);
    // Writing `all` again, even the value it has, resets every device (addrconf_forward_change).
    setSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
    expect(anycast(w, 'n')).toHaveLength(3);
    setSysctl(ns, 'net.ipv6.conf.all.forwarding', '0');
    expect(anycast(w, 'n')).toEqual([]);
  });

  it('addresses of one prefix share the route; it goes with the last of them, and with the device going down', () => {
    const w = withDummy('1');
    const ns = getNetns(w, 'n');
    addr(w, 'n', 'd0', 'fd00:1::5/64');
    addr(w, 'n', 'd0', 'fd00:1::6/64');
    addr(w, 'n', 'd0', 'fd00:9::1/64');
    delAddress(ns, 'd0', cidr('fd00:1::5/64'));
    expect(anycast(w, 'n')).toContain('anycast fd00:1:: dev d0 proto kernel metric 0 pref medium');
    delAddress(ns, 'd0', cidr('fd00:1::6/64'));
    expect(anycast(w, 'n')).toEqual(['anycast fd00:9:: dev d0 proto kernel metric 0 pref medium', 'anycast fe80:: dev d0 proto kernel metric 0 pref medium']);
    setLinkDown(w, 'n', 'd0');
    expect(anycast(w, 'n')).toEqual([]);
    setLinkUp(w, 'n', 'd0');
    expect(anycast(w, 'n')).toEqual(['anycast fe80:: dev d0 proto kernel metric 0 pref medium']);
  });

  it('an address that is the subnet-router address keeps its local route (fib6 refuses the duplicate)', () => {
    const w = withDummy('1');
    addr(w, 'n', 'd0', 'fd00:7::/64');
    addr(w, 'n', 'd0', 'fd00:7::3/64');
    const lines = renderIpRoute(getNetns(w, 'n'), { family: 6, table: LOCAL });
    expect(lines).toContain('local fd00:7:: dev d0 proto kernel metric 0 pref medium\n');
    expect(lines).not.toContain('anycast fd00:7::');
  });

  it('every device with a link-local address joins fe80::, the older first (veth, bridge without ports)', () => {
    // Linux 6.18: a bridge with no ports has carrier, so br0 gets a link-local and joins too. The
    // kernel orders by DAD completion: v0 v2 br0 in 3 runs of 4, v0 br0 v2 once.
    const w = worldWith('r', 'p');
    const r = getNetns(w, 'r');
    setSysctl(r, 'net.ipv6.conf.all.forwarding', '1');
    addVeth(w, { ns: 'r', name: 'v0', peer: 'v1', peerNs: 'p' });
    setLinkUp(w, 'r', 'v0');
    setLinkUp(w, 'p', 'v1');
    addBridge(r, 'br0');
    addVeth(w, { ns: 'r', name: 'v2', peer: 'v3', peerNs: 'p' });
    setLinkUp(w, 'p', 'v3');
    setLinkUp(w, 'r', 'v2');
    setLinkUp(w, 'r', 'br0');
    expect(anycast(w, 'r')).toEqual([
      'anycast fe80:: dev v0 proto kernel metric 0 pref medium',
      'anycast fe80:: dev v2 proto kernel metric 0 pref medium',
      'anycast fe80:: dev br0 proto kernel metric 0 pref medium',
    ]);
    expect(anycast(w, 'p')).toEqual([]);
  });
});

describe('a packet to a subnet-router anycast address', () => {
  /** `a` (fd00:1::9) — `b`, a router with fd00:1::5/64 and forwarding on. */
  function router(): World {
    const w = vethPair();
    setSysctl(getNetns(w, 'b'), 'net.ipv6.conf.all.forwarding', '1');
    addr(w, 'a', 'eth0', 'fd00:1::9/64');
    addr(w, 'b', 'eth0', 'fd00:1::5/64');
    return w;
  }

  it('is delivered locally, like a local address (a ping is answered)', () => {
    const t = walk(router(), { at: 'local-out', ns: 'a', packet: ping('fd00:1::9', 'fd00:1::') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
    expect(t.events).toContainEqual(expect.objectContaining({ kind: 'route', ns: 'b', result: 'local', route: 'anycast fd00:1:: dev eth0 table local proto kernel metric 0 pref medium' }));
  });

  it('TCP is dropped without a reset; UDP is delivered', () => {
    const w = router();
    const flow = { family: 6, src: ip('fd00:1::9'), dst: ip('fd00:1::'), sport: 40000, dport: 8080 } as const;
    const tcp = walk(w, { at: 'local-out', ns: 'a', packet: packetFor({ ...flow, proto: 'tcp' }) });
    expect(tcp.end).toMatchObject({ kind: 'dropped', ns: 'b', reason: 'NOT_UNICAST' });
    const udp = walk(w, { at: 'local-out', ns: 'a', packet: packetFor({ ...flow, proto: 'udp' }) });
    expect(udp.end).toMatchObject({ kind: 'delivered', ns: 'b' });
  });

  it('without forwarding the router has no anycast route: the prefix route sends it back out to a neighbour', () => {
    const w = vethPair();
    addr(w, 'a', 'eth0', 'fd00:1::9/64');
    addr(w, 'b', 'eth0', 'fd00:1::5/64');
    const res = fibLookup(getNetns(w, 'b'), { dst: ip('fd00:1::'), mark: 0, iif: 'lo' });
    expect(res.kind === 'route' ? res.route.type : res.kind).toBe('unicast');
  });

  it('counts as ANYCAST for -m addrtype, not LOCAL; a local send to it goes through lo from the device\'s address', () => {
    const w = router();
    const b = getNetns(w, 'b');
    expect(addrType(b, ip('fd00:1::'))).toBe('ANYCAST');
    expect(addrType(b, ip('fd00:1::5'))).toBe('LOCAL');
    const t = walk(w, { at: 'local-out', ns: 'b', packet: ping('::', 'fd00:1::') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b', dev: 'lo' });
    expect(t.end.kind === 'delivered' ? t.end.packet.ip.src : undefined).toEqual(ip('fd00:1::5'));
  });
});

describe('anycast routes: a property', () => {
  /** The subnet-router addresses a device's IPv6 addresses call for (the model's rule, restated). */
  function expected(addrs: readonly { value: bigint; prefix: number }[]): string[] {
    const out = new Set<string>();
    for (const a of addrs) {
      if (a.prefix >= 127) continue;
      const net = (a.value >> BigInt(128 - a.prefix)) << BigInt(128 - a.prefix);
      if (net !== 0n) out.add(net.toString(16));
    }
    return [...out].sort();
  }

  it('whatever the order of adds, deletes and forwarding switches, the routes are those of the addresses left', () => {
    const prefixes = [48, 64, 64, 120, 126, 127, 128];
    // Host parts 1, 2, 3, 5, 6: under every prefix here an address is never its subnet-router address
    // itself (that one's fib6 duplicate rule is the example test above).
    const addrArb = fc.record({ hi: fc.integer({ min: 0, max: 3 }), lo: fc.constantFrom(1, 2, 3, 5, 6), prefix: fc.constantFrom(...prefixes) });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), a: addrArb }),
      fc.record({ kind: fc.constant('del' as const), i: fc.nat() }),
      fc.record({ kind: fc.constant('fwd' as const), on: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 14 }), (ops) => {
        const w = worldWith('n');
        const ns = getNetns(w, 'n');
        addDummy(ns, 'd0');
        setLinkUp(w, 'n', 'd0');
        const have: { value: bigint; prefix: number }[] = [];
        let on = false;
        for (const o of ops) {
          if (o.kind === 'fwd') {
            on = o.on;
            setSysctl(ns, 'net.ipv6.conf.all.forwarding', on ? '1' : '0');
          } else if (o.kind === 'add') {
            // fd00:0:<hi>::<lo>: few enough that addresses share subnets.
            const value = (0xfd00n << 112n) | (BigInt(o.a.hi) << 96n) | BigInt(o.a.lo);
            if (have.some((h) => h.value === value)) continue;
            addAddress(ns, { dev: 'd0', cidr: { addr: { family: 6, value }, prefix: o.a.prefix }, nodad: true });
            have.push({ value, prefix: o.a.prefix });
          } else if (have.length > 0) {
            const [gone] = have.splice(o.i % have.length, 1);
            if (gone !== undefined) delAddress(ns, 'd0', { addr: { family: 6, value: gone.value }, prefix: gone.prefix });
          }
        }
        const linkLocal = ns.addrs.filter((a) => a.dev === 'd0' && a.scope === 'link').map((a) => ({ value: a.cidr.addr.value, prefix: a.cidr.prefix }));
        const got = anycast(w, 'n').map((l) => (/^anycast (\S+) /.exec(l)?.[1] ?? '')).map((t) => ip(t).value.toString(16)).sort();
        expect(got).toEqual(on ? expected([...have, ...linkLocal]) : []);
      }),
      { numRuns: 150 },
    );
  });
});
