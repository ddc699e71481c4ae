import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import type { Packet } from '../../packet/packet.js';
import { setMtu } from '../link/port.js';
import { addRoute } from '../route/table.js';
import { setSysctl } from '../sysctl.js';
import { getNetns } from '../world.js';
import type { World } from '../world.js';
import { addr, ping, routedWorld, vethPair, walk } from '../../../test/helpers/kernel.js';
import { fragmentsOf } from './mtu.js';

/** a ping of `length` IP bytes, with or without DF. */
function sized(src: string, dst: string, length: number, df = true): Packet {
  const p = ping(src, dst);
  return { ...p, ip: { ...p.ip, length, dontFragment: df } };
}

/** a — r — b, the router's side towards b (and b) with a smaller MTU. */
function routed(mtu: number): World {
  const w = routedWorld();
  setMtu(getNetns(w, 'r'), 'rb', mtu);
  setMtu(getNetns(w, 'b'), 'eth0', mtu);
  return w;
}

describe('MTU', () => {
  it('a socket sending more than the MTU with DF gets EMSGSIZE, as ping -M do reports it', () => {
    const t = walk(vethPair(), { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.0.0.2', 1501) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'a', reason: 'MTU_EXCEEDED' });
    expect(t.events.find((e) => e.kind === 'drop')).toMatchObject({ detail: expect.stringContaining('local error: message too long, mtu=1500') });
    expect(walk(vethPair(), { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.0.0.2', 1500) }).end.kind).toBe('delivered');
  });

  it('a router drops a DF packet too big for the next link and names the ICMP error it sends back', () => {
    const t = walk(routed(1400), { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.1.0.1', 1401) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'r', reason: 'MTU_EXCEEDED' });
    expect(t.events.find((e) => e.kind === 'drop')).toMatchObject({ detail: expect.stringContaining('ICMP fragmentation needed (type 3 code 4, mtu 1400) goes back to 10.0.0.1') });
  });

  it('a router fragments an IPv4 packet without DF and the trace follows the first fragment', () => {
    const t = walk(routed(1400), { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.1.0.1', 1401, false) });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
    expect(t.events.find((e) => e.kind === 'fragment')).toEqual({ kind: 'fragment', ns: 'r', dev: 'rb', mtu: 1400, length: 1401, fragments: 2, first: 1396 });
  });

  it('a host fragments its own IPv4 packet without DF', () => {
    const t = walk(vethPair(), { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.0.0.2', 4000, false) });
    expect(t.end.kind).toBe('delivered');
    expect(t.events.find((e) => e.kind === 'fragment')).toMatchObject({ ns: 'a', fragments: 3, first: 1500 });
  });

  it('a frame bigger than the receiving veth end by more than 4 bytes is dropped silently (the kernel: IP mtu+4 passes, mtu+5 does not)', () => {
    const w = vethPair();
    setMtu(getNetns(w, 'b'), 'eth0', 1400);
    expect(walk(w, { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.0.0.2', 1404) }).end.kind).toBe('delivered');
    const t = walk(w, { at: 'local-out', ns: 'a', packet: sized('10.0.0.1', '10.0.0.2', 1405) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'a', reason: 'FRAME_TOO_BIG' });
  });

  it('IPv6 routers never fragment: too big is dropped with ICMPv6 packet too big, DF or not', () => {
    const w = routed(1400);
    addr(w, 'a', 'eth0', 'fd00::1/64');
    addr(w, 'r', 'ra', 'fd00::fe/64');
    addr(w, 'r', 'rb', 'fd01::fe/64');
    addr(w, 'b', 'eth0', 'fd01::1/64');
    addRoute(getNetns(w, 'a'), { dst: cidr('::/0'), via: ip('fd00::fe'), dev: 'eth0' });
    addRoute(getNetns(w, 'b'), { dst: cidr('::/0'), via: ip('fd01::fe'), dev: 'eth0' });
    setSysctl(getNetns(w, 'r'), 'net.ipv6.conf.all.forwarding', '1');
    const t = walk(w, { at: 'local-out', ns: 'a', packet: sized('fd00::1', 'fd01::1', 1420, false) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'r', reason: 'MTU_EXCEEDED' });
    expect(t.events.find((e) => e.kind === 'drop')).toMatchObject({ detail: expect.stringContaining('ICMPv6 packet too big (mtu 1400)') });
  });

  it('fragment sizes: IPv4 payloads in multiples of 8; IPv6 adds a fragment header', () => {
    expect(fragmentsOf(1600, 1500, 4)).toEqual({ count: 2, first: 1500 });
    expect(fragmentsOf(1401, 1400, 4)).toEqual({ count: 2, first: 1396 });
    expect(fragmentsOf(3000, 1500, 6)).toEqual({ count: 3, first: 1496 });
  });
});
