import { describe, expect, it } from 'vitest';
import { cniNode, runtime } from '../../../test/helpers/cni.js';
import { cidr } from '../../addr/cidr.js';
import { renderIpAddr } from '../../kernel/text/addr.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { getNetns } from '../../kernel/world.js';
import type { NetConf } from '../types.js';
import { FLANNEL_DATA_DIR, flannelPlugin, marshalSorted } from './plugin.js';
import { SUBNET_ENV_PATH, formatSubnetEnv, parseSubnetEnv } from './subnet-env.js';

const KUBE_FLANNEL: NetConf = { cniVersion: '0.3.1', name: 'cbr0', type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } };
const ENV = formatSubnetEnv({ networks: [cidr('10.244.0.0/16')], subnet: cidr('10.244.1.1/24'), ipv6Networks: [], mtu: 1450, ipMasq: true });
/** EnableIPv6: flanneld writes the IPv6 pair after the IPv4 one. */
const ENV6 = formatSubnetEnv({ networks: [cidr('10.244.0.0/16')], subnet: cidr('10.244.1.1/24'), ipv6Networks: [cidr('fd00:10:244::/56')], ipv6Subnet: cidr('fd00:10:244:1::1/64'), mtu: 1450, ipMasq: true });

describe('subnet.env', () => {
  it('is written as flanneld writes it and read back with the subnet as a network', () => {
    expect(ENV).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    const r = parseSubnetEnv(ENV);
    expect(r.ok && { subnet: r.value.subnet, mtu: r.value.mtu, ipMasq: r.value.ipMasq }).toEqual({ subnet: cidr('10.244.1.0/24'), mtu: 1450, ipMasq: true });
  });

  it('with EnableIPv6 holds the IPv6 pair after the IPv4 one, and reads each lease back as a network', () => {
    expect(ENV6).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_IPV6_NETWORK=fd00:10:244::/56\nFLANNEL_IPV6_SUBNET=fd00:10:244:1::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    const r = parseSubnetEnv(ENV6);
    expect(r.ok && [r.value.subnet, r.value.ipv6Subnet, r.value.ipv6Networks]).toEqual([cidr('10.244.1.0/24'), cidr('fd00:10:244:1::/64'), [cidr('fd00:10:244::/56')]]);
    // IPv6 alone is enough (EnableIPv4: false); FLANNEL_NETWORK may list several networks, duplicates dropped.
    expect(parseSubnetEnv('FLANNEL_IPV6_NETWORK=fd00::/56\nFLANNEL_IPV6_SUBNET=fd00:0:0:1::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n').ok).toBe(true);
    const multi = parseSubnetEnv('FLANNEL_NETWORK=10.244.0.0/16,10.245.0.0/16,10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n');
    expect(multi.ok && multi.value.networks).toEqual([cidr('10.244.0.0/16'), cidr('10.245.0.0/16')]);
  });

  it('names the missing keys as the plugin does', () => {
    expect(parseSubnetEnv('FLANNEL_MTU=1450\n')).toEqual({ ok: false, msg: `${SUBNET_ENV_PATH} is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_IPMASQ` });
  });
});

describe('flannel CNI plugin', () => {
  it('delegates to bridge with the lease, FLANNEL_MTU, ipMasq off and a route to the cluster network', () => {
    const { world, host } = cniNode('node', ['pod']);
    host.store[SUBNET_ENV_PATH] = ENV;
    const r = flannelPlugin.add(KUBE_FLANNEL, runtime('c1', 'pod'), host);
    expect(r.ok && r.value.ips).toEqual([{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]);
    // Saved for DEL as Go's json.Marshal writes a map: sorted keys, no spaces.
    expect(host.store[`${FLANNEL_DATA_DIR}/c1`]).toBe(
      '{"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":false,"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}]],"routes":[{"dst":"10.244.0.0/16"}],"type":"host-local"},"isDefaultGateway":true,"isGateway":true,"mtu":1450,"name":"cbr0","type":"bridge"}',
    );
    expect(renderIpRoute(getNetns(world, 'pod'))).toBe('default via 10.244.1.1 dev eth0 \n10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n');
    expect(renderIpAddr(world.netns, getNetns(world, 'node'), { dev: 'cni0' })).toContain('mtu 1450');
  });

  it('dual-stack: one host-local range set per lease, IPv4 first, and a route to each cluster network', () => {
    const { world, host } = cniNode('node', ['pod']);
    host.store[SUBNET_ENV_PATH] = ENV6;
    const r = flannelPlugin.add(KUBE_FLANNEL, runtime('c1', 'pod'), host);
    expect(r.ok && r.value.ips.map((x) => x.address)).toEqual(['10.244.1.2/24', 'fd00:10:244:1::2/64']);
    expect(host.store[`${FLANNEL_DATA_DIR}/c1`]).toContain(
      '"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}],[{"subnet":"fd00:10:244:1::/64"}]],"routes":[{"dst":"10.244.0.0/16"},{"dst":"fd00:10:244::/56"}],"type":"host-local"}',
    );
    expect(renderIpRoute(getNetns(world, 'pod'), { family: 6 })).toContain('fd00:10:244::/56 via fd00:10:244:1::1 dev eth0');
  });

  it('keeps what the operator put in delegate, and refuses name and ipam there', () => {
    const { host } = cniNode('node', ['pod']);
    host.store[SUBNET_ENV_PATH] = ENV;
    const r = flannelPlugin.add({ ...KUBE_FLANNEL, delegate: { mtu: 1400, bridge: 'br9' } }, runtime('c1', 'pod'), host);
    expect(r.ok).toBe(true);
    expect(host.store[`${FLANNEL_DATA_DIR}/c1`]).toContain('"bridge":"br9"');
    expect(host.store[`${FLANNEL_DATA_DIR}/c1`]).toContain('"mtu":1400');
    expect(flannelPlugin.add({ ...KUBE_FLANNEL, delegate: { name: 'x' } }, runtime('c2', 'pod'), host)).toEqual({ ok: false, error: { code: 999, msg: "'delegate' dictionary must not have 'name' field, it'll be set by flannel" } });
  });

  it('fails without subnet.env (flanneld not running yet), and DEL runs the saved delegate config', () => {
    const { world, host } = cniNode('node', ['pod']);
    expect(flannelPlugin.add(KUBE_FLANNEL, runtime('c1', 'pod'), host)).toEqual({ ok: false, error: { code: 999, msg: `open ${SUBNET_ENV_PATH}: no such file or directory` } });
    host.store[SUBNET_ENV_PATH] = ENV;
    expect(flannelPlugin.add(KUBE_FLANNEL, runtime('c1', 'pod'), host).ok).toBe(true);
    expect(flannelPlugin.del(KUBE_FLANNEL, runtime('c1', 'pod'), host)).toEqual({ ok: true, value: undefined });
    expect(host.store[`${FLANNEL_DATA_DIR}/c1`]).toBeUndefined();
    expect(getNetns(world, 'pod').links.eth0).toBeUndefined();
    // A second DEL finds nothing saved and succeeds, as the spec asks.
    expect(flannelPlugin.del(KUBE_FLANNEL, runtime('c1', 'pod'), host).ok).toBe(true);
  });

  it('marshals like Go: sorted keys at every level', () => {
    expect(marshalSorted({ b: [{ z: 1, a: 'x' }], a: null })).toBe('{"a":null,"b":[{"a":"x","z":1}]}');
  });
});
