import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addr, worldWith } from '../../test/helpers/kernel.js';
import { addAddress, addrType, delAddress, devAddrs, selectSourceAddress } from './addr.js';
import { addDummy, addVeth, setLinkDown, setLinkUp } from './link/link.js';
import { addRoute } from './route/table.js';
import { renderIpAddr } from './text/addr.js';
import { renderIpRoute } from './text/route.js';
import { getNetns } from './world.js';

function withDummy() {
  const w = worldWith('n');
  addDummy(getNetns(w, 'n'), 'd0');
  setLinkUp(w, 'n', 'd0');
  return w;
}

describe('ip addr add → the kernel routes', () => {
  it('adds local, broadcast and prefix routes for a /24', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '10.1.2.3/24');
    const ns = getNetns(w, 'n');
    expect(renderIpRoute(ns)).toBe('10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n');
    expect(renderIpRoute(ns, { table: 255, family: 4 })).toBe(
      [
        'local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3 ',
        'broadcast 10.1.2.255 dev d0 proto kernel scope link src 10.1.2.3 ',
        'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ',
        'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ',
        'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ',
        '',
      ].join('\n'),
    );
  });

  it('a /32 gets only its local route; a secondary only a local route with the primary as src', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '10.244.1.0/32');
    addr(w, 'n', 'd0', '10.9.0.1/16');
    addr(w, 'n', 'd0', '10.9.0.2/16');
    const ns = getNetns(w, 'n');
    expect(renderIpRoute(ns)).toBe('10.9.0.0/16 dev d0 proto kernel scope link src 10.9.0.1 \n');
    expect(renderIpRoute(ns, { table: 255 })).toContain('local 10.9.0.2 dev d0 proto kernel scope host src 10.9.0.1 \n');
    expect(devAddrs(ns, 'd0', 4).map((a) => a.secondary)).toEqual([false, false, true]);
  });

  it('IPv6: local route metric 0 and prefix route metric 256', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', 'fd00::1/64');
    const ns = getNetns(w, 'n');
    expect(renderIpRoute(ns, { family: 6 })).toContain('fd00::/64 dev d0 proto kernel metric 256 pref medium\n');
    expect(renderIpRoute(ns, { family: 6, table: 255 })).toContain('local fd00::1 dev d0 proto kernel metric 0 pref medium\n');
  });

  it('IPv6 /128 gets a prefix route in main (IPv4 /32 none); noprefixroute drops only that; del removes it (Linux 6.18)', () => {
    const w = withDummy();
    const ns = getNetns(w, 'n');
    addr(w, 'n', 'd0', '2001:db8:7::7/128');
    addr(w, 'n', 'd0', '10.9.9.9/32');
    expect(renderIpRoute(ns, { family: 6 })).toContain('2001:db8:7::7 dev d0 proto kernel metric 256 pref medium\n');
    expect(renderIpRoute(ns, { family: 4 })).toBe('');
    // init_loopback's ::1 has no prefix route; one added by hand would.
    expect(renderIpRoute(ns, { family: 6, dev: 'lo' })).toBe('');
    addAddress(ns, { dev: 'd0', cidr: cidr('2001:db8:8::8/128'), noPrefixRoute: 'flag' });
    addAddress(ns, { dev: 'd0', cidr: cidr('10.1.1.1/24'), noPrefixRoute: 'flag' });
    expect(renderIpRoute(ns, { family: 6 })).not.toContain('2001:db8:8::8');
    expect(renderIpRoute(ns, { family: 6, table: 255 })).toContain('local 2001:db8:8::8 dev d0 proto kernel metric 0 pref medium\n');
    expect(renderIpRoute(ns, { family: 4 })).toBe('');
    expect(renderIpRoute(ns, { family: 4, table: 255 })).toContain('broadcast 10.1.1.255 dev d0 proto kernel scope link src 10.1.1.1 \n');
    const shown = renderIpAddr(w.netns, ns, { dev: 'd0' });
    expect(shown).toContain('    inet 10.1.1.1/24 scope global noprefixroute d0\n');
    expect(shown).toContain('    inet6 2001:db8:8::8/128 scope global noprefixroute \n');
    delAddress(ns, 'd0', cidr('2001:db8:7::7/128'));
    expect(renderIpRoute(ns, { family: 6 })).not.toContain('2001:db8:7::7');
  });

  it('link down flushes every route through the device (user routes for good), up restores the kernel ones', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '10.1.2.3/24');
    const ns = getNetns(w, 'n');
    addRoute(ns, { dst: cidr('10.5.0.0/16'), via: ip('10.1.2.1') });
    expect(renderIpRoute(ns, { dev: 'd0' })).toBe('10.1.2.0/24 proto kernel scope link src 10.1.2.3 \n10.5.0.0/16 via 10.1.2.1 \n');
    setLinkDown(w, 'n', 'd0');
    expect(renderIpRoute(ns)).toBe('');
    expect(addrType(ns, ip('10.1.2.3'))).toBe('UNICAST');
    setLinkUp(w, 'n', 'd0');
    expect(renderIpRoute(ns)).toBe('10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n');
    expect(addrType(ns, ip('10.1.2.3'))).toBe('LOCAL');
  });

  it('refuses a gateway that no connected route reaches, unless onlink', () => {
    const w = withDummy();
    const ns = getNetns(w, 'n');
    expect(() => addRoute(ns, { dst: cidr('10.5.0.0/16'), via: ip('192.0.2.1') })).toThrow(/invalid gateway/);
    addRoute(ns, { dst: cidr('10.5.0.0/16'), via: ip('192.0.2.1'), dev: 'd0', onlink: true });
  });

  it('refuses a gateway reached only through another gateway, per family as Linux 6.18 words it', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '192.168.1.11/24');
    addr(w, 'n', 'd0', 'fd00:1::11/64');
    const ns = getNetns(w, 'n');
    addRoute(ns, { dst: cidr('0.0.0.0/0'), via: ip('192.168.1.1'), dev: 'd0' });
    addRoute(ns, { dst: cidr('::/0'), via: ip('fd00:1::1'), dev: 'd0' });
    // A host-gw route to a node behind the router: the default route does not make it on-link.
    expect(() => addRoute(ns, { dst: cidr('10.244.1.0/24'), via: ip('192.168.2.11'), dev: 'd0' })).toThrow('Error: Nexthop has invalid gateway.');
    expect(() => addRoute(ns, { dst: cidr('fd00:10:244:1::/64'), via: ip('fd00:2::11'), dev: 'd0' })).toThrow('RTNETLINK answers: No route to host');
    addRoute(ns, { dst: cidr('fd00:10:244:3::/64'), via: ip('fd00:1::12'), dev: 'd0' });
    // A link-local gateway needs only its device.
    addRoute(ns, { dst: cidr('fd00:10:244:4::/64'), via: ip('fe80::1'), dev: 'd0' });
  });

  it('ip addr del removes the address, its secondaries and their routes', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '10.9.0.1/16');
    addr(w, 'n', 'd0', '10.9.0.2/16');
    const ns = getNetns(w, 'n');
    delAddress(ns, 'd0', cidr('10.9.0.1/16'));
    expect(devAddrs(ns, 'd0', 4)).toEqual([]);
    expect(renderIpRoute(ns)).toBe('');
  });

  it('addrtype: LOCAL, BROADCAST, MULTICAST, UNICAST', () => {
    const w = withDummy();
    addr(w, 'n', 'd0', '10.1.2.3/24');
    const ns = getNetns(w, 'n');
    expect(addrType(ns, ip('10.1.2.3'))).toBe('LOCAL');
    expect(addrType(ns, ip('127.0.0.5'))).toBe('LOCAL');
    expect(addrType(ns, ip('10.1.2.255'))).toBe('BROADCAST');
    expect(addrType(ns, ip('255.255.255.255'))).toBe('BROADCAST');
    expect(addrType(ns, ip('224.0.0.1'))).toBe('MULTICAST');
    expect(addrType(ns, ip('8.8.8.8'))).toBe('UNICAST');
  });

  it('selects the primary address of the device as source (inet_select_addr)', () => {
    const w = worldWith('a', 'b');
    addVeth(w, { ns: 'a', name: 'eth0', peer: 'eth0', peerNs: 'b' });
    setLinkUp(w, 'a', 'eth0');
    addr(w, 'a', 'eth0', '10.0.0.1/24');
    addr(w, 'a', 'eth0', '10.0.0.9/24');
    addr(w, 'a', 'eth0', '172.16.0.1/24');
    const ns = getNetns(w, 'a');
    expect(selectSourceAddress(ns, 'eth0', 4)).toEqual(ip('10.0.0.1'));
    expect(selectSourceAddress(ns, 'eth0', 4, ip('172.16.0.7'))).toEqual(ip('172.16.0.1'));
  });
});
