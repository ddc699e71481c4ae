import { describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { addBridge, addVeth, setLinkDown, setLinkUp } from '../link/link.js';
import { addNeigh } from '../neigh.js';
import { setHairpin, setMaster, setMtu } from '../link/port.js';
import { bridgeFdb, getBridge } from '../link/fdb.js';
import { addRoute } from '../route/table.js';
import { setSysctl } from '../sysctl.js';
import { renderBridgeFdb } from '../text/fdb.js';
import { getNetns } from '../world.js';
import { addr, ping, routedWorld, vethPair, walk, worldWith } from '../../../test/helpers/kernel.js';
import type { World } from '../world.js';

const routed = routedWorld;

describe('step', () => {
  it('delivers a ping over a veth pair between two namespaces', () => {
    const w = vethPair();
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.0.0.2') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b', dev: 'eth0' });
    expect(t.hops.map((h) => h.ns)).toEqual(['a', 'b']);
    const kinds = t.events.map((e) => e.kind).filter((k) => !k.startsWith('nf-') && k !== 'conntrack' && k !== 'nat');
    expect(kinds).toEqual(['route', 'neigh', 'dev-tx', 'veth-cross', 'dev-rx', 'route', 'deliver']);
    expect(getNetns(w, 'a').neigh[0]).toMatchObject({ dev: 'eth0', state: 'REACHABLE' });
  });

  it('picks the source address when the socket left it unspecified', () => {
    const w = vethPair();
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('0.0.0.0', '10.0.0.2') });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.src).toEqual(ip('10.0.0.1'));
  });

  it('delivers locally through lo (OUTPUT, then PREROUTING and INPUT on lo)', () => {
    const w = vethPair();
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.0.0.1') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'a', dev: 'lo' });
    expect(t.hops.map((h) => h.ns)).toEqual(['a', 'a']);
  });

  it('forwards through a router, decrementing the TTL once', () => {
    const t = walk(routed(), { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.1.0.1') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
    expect(t.end.kind === 'delivered' && t.end.packet.ip.ttl).toBe(63);
    expect(t.events.filter((e) => e.kind === 'ttl')).toEqual([{ kind: 'ttl', ns: 'r', from: 64, to: 63 }]);
  });

  it('drops with TTL_EXCEEDED when the TTL would reach 0', () => {
    const t = walk(routed(), { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.1.0.1', 1) });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'r', reason: 'TTL_EXCEEDED' });
  });

  it('drops with FORWARDING_DISABLED when ip_forward=0', () => {
    const w = routed();
    setSysctl(getNetns(w, 'r'), 'net.ipv4.ip_forward', '0');
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.1.0.1') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'r', reason: 'FORWARDING_DISABLED' });
  });

  it('drops with NEIGH_FAILED when nobody owns the next hop', () => {
    const w = vethPair();
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.0.0.9') });
    expect(t.end).toMatchObject({ kind: 'dropped', ns: 'a', reason: 'NEIGH_FAILED' });
    expect(getNetns(w, 'a').neigh[0]).toMatchObject({ state: 'FAILED' });
  });

  it('drops on a blackhole route, and with NO_ROUTE when nothing matches', () => {
    const w = vethPair();
    addRoute(getNetns(w, 'a'), { type: 'blackhole', dst: cidr('192.0.2.0/24') });
    expect(walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '192.0.2.1') }).end).toMatchObject({ kind: 'dropped', reason: 'BLACKHOLE' });
    expect(walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '198.51.100.1') }).end).toMatchObject({ kind: 'dropped', reason: 'NO_ROUTE' });
  });

  it('a routing loop makes each step return after one namespace (the tracer sees the loop)', () => {
    const w = routed();
    // r sends 10.9.0.0/16 to b, and b sends it back to r: a ping-pong until the TTL runs out.
    addRoute(getNetns(w, 'r'), { dst: cidr('10.9.0.0/16'), via: ip('10.1.0.1'), dev: 'rb' });
    setSysctl(getNetns(w, 'b'), 'net.ipv4.ip_forward', '1');
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.9.0.1') }, 6);
    expect(t.end.kind).toBe('next');
    expect(t.hops.map((h) => h.ns)).toEqual(['a', 'r', 'b', 'r', 'b', 'r']);
    const tt = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.9.0.1') }, 200);
    expect(tt.end).toMatchObject({ kind: 'dropped', reason: 'TTL_EXCEEDED' });
  });

  it('IPv6: neighbour discovery and delivery over a veth pair', () => {
    const w = vethPair();
    addr(w, 'a', 'eth0', 'fd00::1/64');
    addr(w, 'b', 'eth0', 'fd00::2/64');
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('fd00::1', 'fd00::2') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
  });

  it('drops a packet bigger than the next link with DF set (MTU_EXCEEDED)', () => {
    const w = routed();
    setMtu(getNetns(w, 'r'), 'rb', 1400);
    const big = { ...ping('10.0.0.1', '10.1.0.1'), ip: { ...ping('10.0.0.1', '10.1.0.1').ip, length: 1450 } };
    expect(walk(w, { at: 'local-out', ns: 'a', packet: big }).end).toMatchObject({ kind: 'dropped', ns: 'r', reason: 'MTU_EXCEEDED' });
  });

  it('drops at a device that is down, and when the veth peer is down (LINK_DOWN)', () => {
    const w = vethPair();
    setLinkDown(w, 'b', 'eth0');
    addNeigh(getNetns(w, 'a'), { dev: 'eth0', ip: ip('10.0.0.2'), mac: getNetns(w, 'b').links['eth0']!.mac });
    expect(walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.0.0.2') }).end).toMatchObject({ kind: 'dropped', ns: 'a', reason: 'LINK_DOWN' });
  });

  it('sends a subnet broadcast to the all-ones MAC, and the peer takes it as local', () => {
    const w = vethPair();
    const t = walk(w, { at: 'local-out', ns: 'a', packet: ping('10.0.0.1', '10.0.0.255') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'b' });
    expect(t.events.some((e) => e.kind === 'neigh')).toBe(false);
  });

  it('drops frames for another MAC on a plain device (OTHERHOST)', () => {
    const w = vethPair();
    const frame = { srcMac: getNetns(w, 'a').links['eth0']!.mac, dstMac: '02:00:00:00:00:99' as never, packet: ping('10.0.0.1', '10.0.0.2') };
    expect(walk(w, { at: 'rx', ns: 'b', dev: 'eth0', frame }).end).toMatchObject({ kind: 'dropped', reason: 'OTHERHOST' });
  });
});

/** Three pods on one bridge `cni0` in `host` (10.244.1.1/24); pod i is 10.244.1.(i+1). */
function bridged(): World {
  const w = worldWith('host', 'p1', 'p2', 'p3');
  const H = getNetns(w, 'host');
  addBridge(H, 'cni0');
  setLinkUp(w, 'host', 'cni0');
  addr(w, 'host', 'cni0', '10.244.1.1/24');
  for (const i of [1, 2, 3]) {
    addVeth(w, { ns: `p${i}`, name: 'eth0', peer: `veth${i}`, peerNs: 'host' });
    setMaster(w, 'host', `veth${i}`, 'cni0');
    setLinkUp(w, 'host', `veth${i}`);
    setLinkUp(w, `p${i}`, 'eth0');
    addr(w, `p${i}`, 'eth0', `10.244.1.${i + 1}/24`);
  }
  return w;
}

describe('bridge', () => {
  it('learns source MACs and forwards to the known port', () => {
    const w = bridged();
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.244.1.3') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'p2' });
    const fdb = t.events.find((e) => e.kind === 'bridge-fdb');
    // ARP taught the bridge both MACs before the first IP frame, so it is a hit.
    expect(fdb).toMatchObject({ result: 'hit', inPort: 'veth1', outPorts: ['veth2'] });
    const H = getNetns(w, 'host');
    expect(renderBridgeFdb(H, 'cni0')).toContain(`${getNetns(w, 'p1').links['eth0']!.mac} dev veth1 master cni0 \n`);
  });

  it('floods a frame for an unknown MAC to every other port; copies for other MACs die as OTHERHOST', () => {
    const w = bridged();
    const H = getNetns(w, 'host');
    const dstMac = getNetns(w, 'p3').links['eth0']!.mac;
    const frame = { srcMac: getNetns(w, 'p1').links['eth0']!.mac, dstMac, packet: ping('10.244.1.2', '10.244.1.4') };
    const t = walk(w, { at: 'rx', ns: 'host', dev: 'veth1', frame });
    const fdb = t.events.find((e) => e.kind === 'bridge-fdb');
    expect(fdb).toMatchObject({ result: 'flood', outPorts: ['veth2', 'veth3'] });
    expect(bridgeFdb(H, getBridge(H, 'cni0'))).toEqual([{ mac: frame.srcMac, dev: 'veth1', kind: 'learned' }]);
    const first = t.hops[0]!.result;
    expect(first.kind === 'next' && first.next.map((l) => `${l.ns}/${l.at === 'rx' ? l.dev : ''}`)).toEqual(['p2/eth0', 'p3/eth0']);
  });

  it('does not send a frame back out of its ingress port unless hairpin is on', () => {
    const w = bridged();
    const H = getNetns(w, 'host');
    const p1mac = getNetns(w, 'p1').links['eth0']!.mac;
    const frame = { srcMac: p1mac, dstMac: p1mac, packet: ping('10.244.1.2', '10.244.1.2') };
    walk(w, { at: 'rx', ns: 'host', dev: 'veth1', frame });
    expect(walk(w, { at: 'rx', ns: 'host', dev: 'veth1', frame }).end).toMatchObject({ kind: 'dropped', reason: 'BRIDGE_HAIRPIN' });
    setHairpin(H, 'veth1', true);
    expect(walk(w, { at: 'rx', ns: 'host', dev: 'veth1', frame }, 1).end).toMatchObject({ kind: 'next' });
  });

  it('delivers frames for the bridge MAC to the bridge device (pod → gateway)', () => {
    const w = bridged();
    const t = walk(w, { at: 'local-out', ns: 'p1', packet: ping('10.244.1.2', '10.244.1.1') });
    expect(t.end).toMatchObject({ kind: 'delivered', ns: 'host', dev: 'cni0' });
    expect(t.events.find((e) => e.kind === 'bridge-fdb')).toMatchObject({ result: 'local' });
  });
});
