import { describe, expect, it } from 'vitest';
import { mac, worldWith } from '../../../test/helpers/kernel.js';
import { devAddrs } from '../addr.js';
import { CommandError } from '../errors.js';
import { renderIpAddr } from '../text/addr.js';
import { addNetns, delNetns, getNetns } from '../world.js';
import { hasCarrier } from './carrier.js';
import { addBridge, addVeth, addVxlan, setLinkDown, setLinkUp } from './link.js';
import { delLink, setMac, setMaster, setMtu, setNetns } from './port.js';

describe('ip link', () => {
  it('a fresh namespace has lo down and bare; up gives it 127.0.0.1/8 and ::1', () => {
    const w = worldWith();
    const ns = addNetns(w, 'x');
    expect(renderIpAddr(w.netns, ns)).toBe(
      '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n',
    );
    setLinkUp(w, 'x', 'lo');
    expect(devAddrs(ns, 'lo').map((a) => `${a.cidr.prefix}:${a.scope}`)).toEqual(['8:host', '128:host']);
  });

  it('veth carrier follows the peer: NO-CARRIER/M-DOWN/LOWERLAYERDOWN until both ends are up', () => {
    const w = worldWith('a', 'b');
    addVeth(w, { ns: 'a', name: 'x1', peer: 'y1', peerNs: 'b', mac: mac('0a:00:00:00:00:01') });
    setLinkUp(w, 'a', 'x1');
    const a = getNetns(w, 'a');
    expect(renderIpAddr(w.netns, a, { dev: 'x1' }).split('\n')[0]).toBe(
      '2: x1@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000',
    );
    expect(devAddrs(a, 'x1')).toEqual([]);
    setLinkUp(w, 'b', 'y1');
    expect(hasCarrier(w.netns, a, a.links['x1']!)).toBe(true);
    expect(devAddrs(a, 'x1').map((x) => x.scope)).toEqual(['link']);
  });

  it('a bridge no port ever joined and no address was set has carrier (UNKNOWN, link-local); then carrier follows the ports (Linux 6.18)', () => {
    const w = worldWith('h', 'p');
    const h = getNetns(w, 'h');
    addBridge(h, 'br0');
    setLinkUp(w, 'h', 'br0');
    const head = () => renderIpAddr(w.netns, h, { dev: 'br0' }).split('\n')[0];
    expect(head()).toBe('2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000');
    expect(devAddrs(h, 'br0').map((a) => `${a.cidr.addr.family}:${a.scope}`)).toEqual(['6:link']);
    setLinkDown(w, 'h', 'br0');
    setLinkUp(w, 'h', 'br0');
    expect(head(), 'down and up again: still UNKNOWN').toContain('<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN');
    addVeth(w, { ns: 'h', name: 'v1', peer: 'e1', peerNs: 'p' });
    setMaster(w, 'h', 'v1', 'br0');
    expect(head(), 'a port without carrier joined').toContain('<NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN');
    setLinkUp(w, 'h', 'v1');
    setLinkUp(w, 'p', 'e1');
    expect(head(), 'the port has carrier').toContain('<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP');
    delLink(w, 'h', 'v1');
    expect(head(), 'the last port left').toContain('<NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN');
    addBridge(h, 'br1');
    setLinkUp(w, 'h', 'br1');
    setMtu(h, 'br1', 1400);
    expect(renderIpAddr(w.netns, h, { dev: 'br1' }), 'an MTU change does not count').toContain('state UNKNOWN');
    setMac(h, 'br1', mac('0a:00:00:00:00:0c'));
    expect(renderIpAddr(w.netns, h, { dev: 'br1' }), 'an address set does').toContain('<NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state DOWN');
  });

  it('a bridge without its own address takes the lowest port MAC', () => {
    const w = worldWith('h', 'p');
    const h = getNetns(w, 'h');
    addBridge(h, 'br0');
    addVeth(w, { ns: 'h', name: 'v1', peer: 'e1', peerNs: 'p', mac: mac('0a:00:00:00:00:09') });
    addVeth(w, { ns: 'h', name: 'v2', peer: 'e2', peerNs: 'p', mac: mac('0a:00:00:00:00:03') });
    setMaster(w, 'h', 'v1', 'br0');
    setMaster(w, 'h', 'v2', 'br0');
    expect(h.links['br0']!.mac).toBe('0a:00:00:00:00:03');
  });

  it('a bridge follows its smallest port MTU (br_mtu_auto_adjust) until its own MTU is set', () => {
    const w = worldWith('h', 'p');
    const h = getNetns(w, 'h');
    addBridge(h, 'br0');
    addVeth(w, { ns: 'h', name: 'v1', peer: 'e1', peerNs: 'p' });
    addVeth(w, { ns: 'h', name: 'v2', peer: 'e2', peerNs: 'p' });
    setMtu(h, 'v1', 1450);
    setMaster(w, 'h', 'v2', 'br0');
    expect(h.links['br0']?.mtu).toBe(1500);
    setMaster(w, 'h', 'v1', 'br0');
    expect(h.links['br0']?.mtu, 'a 1450 port joined').toBe(1450);
    setMtu(h, 'v1', 9000);
    expect(h.links['br0']?.mtu, 'the small port grew: the smallest is now 1500').toBe(1500);
    delLink(w, 'h', 'v2');
    expect(h.links['br0']?.mtu, 'the 1500 port left').toBe(9000);
    setMtu(h, 'br0', 1400);
    setMtu(h, 'v1', 1300);
    expect(h.links['br0']?.mtu, 'set by the user: kept').toBe(1400);
  });

  it('a VXLAN device over eth0 gets at most eth0’s MTU minus 50 (vxlan_config_apply, vxlan_change_mtu)', () => {
    const w = worldWith('h', 'p');
    const h = getNetns(w, 'h');
    addVeth(w, { ns: 'h', name: 'eth0', peer: 'e', peerNs: 'p' });
    addVxlan(h, 'v1', { vni: 1, dev: 'eth0', mtu: 1500 });
    addVxlan(h, 'v2', { vni: 2, dev: 'eth0' });
    addVxlan(h, 'v3', { vni: 3, mtu: 1500 });
    expect([h.links['v1']?.mtu, h.links['v2']?.mtu, h.links['v3']?.mtu]).toEqual([1450, 1450, 1500]);
    expect(() => setMtu(h, 'v2', 1460)).toThrow(/Invalid argument/);
    setMtu(h, 'eth0', 1400);
    expect(h.links['v1']?.mtu, 'the lower device shrinking does not change it').toBe(1450);
  });

  it('deleting a namespace or one veth end destroys the pair', () => {
    const w = worldWith('a', 'b', 'c');
    addVeth(w, { ns: 'a', name: 'x', peer: 'y', peerNs: 'b' });
    addVeth(w, { ns: 'a', name: 'x2', peer: 'y2', peerNs: 'c' });
    delNetns(w, 'b');
    expect(getNetns(w, 'a').links['x']).toBeUndefined();
    delLink(w, 'c', 'y2');
    expect(getNetns(w, 'a').links['x2']).toBeUndefined();
  });

  it('moves a device to another namespace (down, no addresses), and the peer follows it', () => {
    const w = worldWith('host', 'pod');
    addVeth(w, { ns: 'host', name: 'eth0', peer: 'veth0' });
    setNetns(w, 'host', 'eth0', 'pod');
    const pod = getNetns(w, 'pod');
    expect(pod.links['eth0']).toMatchObject({ kind: 'veth', up: false, peer: { ns: 'host', dev: 'veth0' } });
    expect(getNetns(w, 'host').links['veth0']).toMatchObject({ peer: { ns: 'pod', dev: 'eth0' } });
  });

  it('refuses what ip refuses', () => {
    const w = worldWith('a');
    addVeth(w, { ns: 'a', name: 'x', peer: 'y' });
    expect(() => addVeth(w, { ns: 'a', name: 'x', peer: 'z' })).toThrow(CommandError);
    expect(() => setLinkDown(w, 'a', 'nope')).toThrow(/Cannot find device "nope"/);
    expect(() => addBridge(getNetns(w, 'a'), 'a-very-long-name0')).toThrow(/not a valid ifname/);
  });
});
