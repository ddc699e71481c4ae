import { describe, expect, it } from 'vitest';
import { cniNode, runtime } from '../../../test/helpers/cni.js';
import { cidr } from '../../addr/cidr.js';
import { addAddress } from '../../kernel/addr.js';
import { getSysctl } from '../../kernel/sysctl.js';
import { renderIpAddr } from '../../kernel/text/addr.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { getNetns } from '../../kernel/world.js';
import { formatChainName, formatComment, hostVethName } from '../naming.js';
import { CNI_ERROR, type JsonValue, type NetConf } from '../types.js';
import { bridgePlugin } from './plugin.js';

function conf(extra: Record<string, JsonValue> = {}, ipam: JsonValue | null = { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] }): NetConf {
  return { cniVersion: '1.0.0', name: 'net', type: 'bridge', ...(ipam !== null ? { ipam } : {}), ...extra };
}

describe('bridge plugin options', () => {
  it('without ipam the pod end is only set up (pure L2), no addresses, no bridge address', () => {
    const { world, host } = cniNode('node', ['pod']);
    const r = bridgePlugin.add(conf({}, null), runtime('c1', 'pod'), host);
    expect(r.ok && { ips: r.value.ips, routes: r.value.routes, names: r.value.interfaces.map((i) => i.name) }).toEqual({ ips: [], routes: [], names: ['cni0', hostVethName('c1', 'eth0'), 'eth0'] });
    expect(getNetns(world, 'pod').links.eth0?.up).toBe(true);
    expect(getNetns(world, 'node').addrs.filter((a) => a.dev === 'cni0' && a.cidr.addr.family === 4)).toEqual([]);
  });

  it('without isGateway: no bridge address, forwarding untouched, IPAM routes still via the IP gateway', () => {
    const { world, host } = cniNode('node', ['pod']);
    const r = bridgePlugin.add(conf({}, { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]], routes: [{ dst: '10.0.0.0/8' }] }), runtime('c1', 'pod'), host);
    expect(r.ok).toBe(true);
    const node = getNetns(world, 'node');
    expect(renderIpAddr(world.netns, node, { dev: 'cni0' })).not.toContain('inet ');
    expect(getSysctl(node, 'net.ipv4.ip_forward')).toBe('0');
    expect(renderIpRoute(getNetns(world, 'pod'))).toBe('10.0.0.0/8 via 10.1.0.1 dev eth0 \n10.1.0.0/24 dev eth0 proto kernel scope link src 10.1.0.2 \n');
  });

  it('refuses hairpinMode with promiscMode, vlan and macspoofchk', () => {
    const { host } = cniNode('node', ['pod']);
    const rt = runtime('c1', 'pod');
    expect(bridgePlugin.add(conf({ hairpinMode: true, promiscMode: true }), rt, host)).toEqual({ ok: false, error: { code: 999, msg: 'cannot set hairpin mode and promiscuous mode at the same time.' } });
    expect(bridgePlugin.add(conf({ vlan: 5000 }), rt, host)).toEqual({ ok: false, error: { code: 999, msg: 'invalid VLAN ID 5000 (must be between 0 and 4094)' } });
    expect(bridgePlugin.add(conf({ vlan: 10 }), rt, host).ok ? 0 : CNI_ERROR.UNSUPPORTED_FIELD).toBe(CNI_ERROR.UNSUPPORTED_FIELD);
    expect(bridgePlugin.add(conf({ mtu: 'big' }), rt, host)).toMatchObject({ ok: false, error: { code: CNI_ERROR.DECODE_FAILURE } });
  });

  it('a bridge holding another IPv4 address is refused unless forceAddress replaces it', () => {
    const { world, host } = cniNode('node', ['p1', 'p2']);
    expect(bridgePlugin.add(conf({ isGateway: true }), runtime('c1', 'p1'), host).ok).toBe(true);
    addAddress(getNetns(world, 'node'), { dev: 'cni0', cidr: cidr('192.168.9.1/24') });
    const other = conf({ isGateway: true }, { type: 'host-local', ranges: [[{ subnet: '10.2.0.0/24' }]] });
    expect(bridgePlugin.add(other, runtime('c2', 'p2'), host)).toEqual({ ok: false, error: { code: 999, msg: 'failed to set bridge addr: "cni0" already has an IP address different from 10.2.0.1/24' } });
    // The failed ADD gave its address back, as the plugin calls IPAM DEL on failure.
    expect(Object.keys(host.store).filter((k) => k.endsWith('/10.2.0.2'))).toEqual([]);
  });

  it('forceAddress replaces the bridge address', () => {
    const { world, host } = cniNode('node', ['p1', 'p2']);
    expect(bridgePlugin.add(conf({ isGateway: true }), runtime('c1', 'p1'), host).ok).toBe(true);
    const other = conf({ isGateway: true, forceAddress: true }, { type: 'host-local', ranges: [[{ subnet: '10.2.0.0/24' }]] });
    expect(bridgePlugin.add(other, runtime('c2', 'p2'), host).ok).toBe(true);
    expect(renderIpAddr(world.netns, getNetns(world, 'node'), { dev: 'cni0' })).toContain('inet 10.2.0.1/24 brd 10.2.0.255 scope global cni0');
    expect(renderIpAddr(world.netns, getNetns(world, 'node'), { dev: 'cni0' })).not.toContain('10.1.0.1');
  });

  it('the bridge keeps the MAC it was created with once it has a gateway address', () => {
    const { world, host } = cniNode('node', ['p1']);
    const r = bridgePlugin.add(conf({ isGateway: true }), runtime('c1', 'p1'), host);
    const br = getNetns(world, 'node').links.cni0;
    expect(r.ok && r.value.interfaces[0]?.mac).toBe(br?.mac);
    expect(br?.kind === 'bridge' && br.macPinned).toBe(true);
  });

  it('mtu 0 leaves the kernel default; a MAC can be asked for through CNI_ARGS', () => {
    const { world, host } = cniNode('node', ['p1']);
    const r = bridgePlugin.add(conf(), { ...runtime('c1', 'p1'), args: { MAC: '02:00:00:00:00:aa' } }, host);
    expect(r.ok && r.value.interfaces[2]?.mac).toBe('02:00:00:00:00:aa');
    expect(getNetns(world, 'p1').links.eth0?.mtu).toBe(1500);
  });
});

describe('bridge DEL', () => {
  it('is idempotent: a second DEL, or a DEL for a gone namespace, succeeds and releases IPAM', () => {
    const { world, host } = cniNode('node', ['p1']);
    const c = conf({ ipMasq: true });
    expect(bridgePlugin.add(c, runtime('c1', 'p1'), host).ok).toBe(true);
    expect(bridgePlugin.del(c, runtime('c1', 'p1'), host)).toEqual({ ok: true, value: undefined });
    expect(bridgePlugin.del(c, runtime('c1', 'p1'), host)).toEqual({ ok: true, value: undefined });
    expect(bridgePlugin.del(c, runtime('c1', 'gone'), host)).toEqual({ ok: true, value: undefined });
    expect(Object.keys(getNetns(world, 'node').links).filter((n) => n.startsWith('veth'))).toEqual([]);
    expect(Object.keys(host.store).filter((k) => k.endsWith('10.1.0.2'))).toEqual([]);
  });

  it('removes the masquerade chain and its jump; the bridge stays, without carrier', () => {
    const { world, host } = cniNode('node', ['p1']);
    const c = conf({ ipMasq: true, isGateway: true });
    expect(bridgePlugin.add(c, runtime('c1', 'p1'), host).ok).toBe(true);
    const nat = () => getNetns(world, 'node').netfilter.rulesets[4].tables.find((t) => t.name === 'nat');
    expect(nat()?.chains.map((ch) => ch.name)).toContain(formatChainName('net', 'c1'));
    expect(bridgePlugin.del(c, runtime('c1', 'p1'), host).ok).toBe(true);
    expect(nat()?.chains.map((ch) => ch.name)).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    expect(nat()?.chains.find((ch) => ch.name === 'POSTROUTING')?.rules).toEqual([]);
    expect(renderIpAddr(world.netns, getNetns(world, 'node'), { dev: 'cni0' })).toContain('<NO-CARRIER,BROADCAST,MULTICAST,UP>');
  });
});

describe('names', () => {
  it('chain names are CNI- + sha512(network + id) in 28 characters; comments quote like Go', () => {
    expect(formatChainName('mynet', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd01')).toBe('CNI-397e137386ae1fcbc191bb7c');
    expect(formatChainName('cbr0', 'x', 'DN-')).toMatch(/^CNI-DN-[0-9a-f]{21}$/);
    expect(formatComment('a"b', 'c\\d')).toBe('name: "a\\"b" id: "c\\\\d"');
  });

  it('host veth names are veth + 8 hex, stable per container and interface', () => {
    expect(hostVethName('c1', 'eth0')).toMatch(/^veth[0-9a-f]{8}$/);
    expect(hostVethName('c1', 'eth0')).toBe(hostVethName('c1', 'eth0'));
    expect(hostVethName('c1', 'eth1')).not.toBe(hostVethName('c1', 'eth0'));
  });
});
