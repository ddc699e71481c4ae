import { describe, expect, it } from 'vitest';
import { calicoRegistry } from '../../../test/helpers/calico.js';
import { calicoNetConf } from '../../cluster/assemble/pods.js';
import { renderIpAddr } from '../../kernel/text/addr.js';
import { renderIpNeigh } from '../../kernel/text/neigh.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { getSysctl } from '../../kernel/sysctl.js';
import { setLinkUp } from '../../kernel/link/link.js';
import { type World, addNetns, createWorld, getNetns } from '../../kernel/world.js';
import { cniHost } from '../registry.js';
import type { CniHost, RuntimeConf } from '../types.js';
import { CALICO_MTU_PATH, CALICO_NODENAME_PATH, vethNameForWorkload } from './names.js';
import { calicoPlugin } from './plugin.js';
import { NODES_RESOURCE } from './pod-cidr.js';
import { canalNetConf } from '../../cluster/assemble/canal.js';
import { BUILTIN_CNI_PLUGINS } from '../builtins.js';
import { createCniRegistry } from '../registry.js';
import type { ClusterApi } from '../types.js';

const CONF = calicoNetConf('auto');

function rt(pod: string, netns = `pod-${pod}`): RuntimeConf {
  return { containerId: `cid-${pod}-0123456789abcdef`, netns, ifName: 'eth0', args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: pod } };
}

/** A node with calico-node's files and pod namespaces; the fake IPAM hands out the planned sets. */
function node(plan: readonly (readonly string[])[], pods: readonly string[], files = true): { world: World; host: CniHost } {
  const world = createWorld();
  for (const n of ['node-1', ...pods.map((p) => `pod-${p}`)]) {
    addNetns(world, n);
    setLinkUp(world, n, 'lo');
  }
  const host = cniHost({ world, hostNs: 'node-1', registry: calicoRegistry({ 'node-1': plan }) });
  if (files) {
    host.store[CALICO_NODENAME_PATH] = 'node-1';
    host.store[CALICO_MTU_PATH] = '1480';
  }
  return { world, host };
}

describe('calico CNI plugin ADD', () => {
  it('wires a /32 pod behind 169.254.1.1 with a cali veth, no bridge', () => {
    const { world, host } = node([['10.244.120.65/32']], ['a']);
    const r = calicoPlugin.add(CONF, rt('a'), host);
    const cali = vethNameForWorkload('default', 'a');
    expect(r).toEqual({ ok: true, value: { cniVersion: '0.3.1', interfaces: [{ name: cali }], ips: [{ address: '10.244.120.65/32' }], routes: [], dns: {} } });
    const pod = getNetns(world, 'pod-a');
    expect(renderIpRoute(pod)).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(renderIpAddr(world.netns, pod, { dev: 'eth0' })).toMatch(/mtu 1480 .*\n[^]*inet 10\.244\.120\.65\/32 scope global eth0/);
    const n = getNetns(world, 'node-1');
    expect(renderIpRoute(n)).toBe(`10.244.120.65 dev ${cali} scope link \n`);
    const link = n.links[cali];
    expect(link).toMatchObject({ kind: 'veth', mac: 'ee:ee:ee:ee:ee:ee', mtu: 1480, up: true });
    expect(n.addrs.filter((a) => a.dev === cali && a.cidr.addr.family === 4)).toEqual([]);
    expect(renderIpNeigh(n)).toBe(`10.244.120.65 dev ${cali} lladdr ${pod.links['eth0']?.mac ?? '?'} PERMANENT \n`);
    for (const [k, v] of [[`net.ipv4.conf.${cali}.proxy_arp`, '1'], [`net.ipv4.conf.${cali}.route_localnet`, '1'], [`net.ipv4.conf.${cali}.forwarding`, '1'], [`net.ipv4.neigh.${cali}.proxy_delay`, '0']] as const) {
      expect(getSysctl(n, k), k).toBe(v);
    }
    expect(getSysctl(pod, 'net.ipv4.ip_forward')).toBe('0');
  });

  it('takes the conf MTU over /var/lib/calico/mtu, and 1500 when neither is set', () => {
    const { world, host } = node([['10.244.120.65/32'], ['10.244.120.66/32']], ['a', 'b']);
    expect(calicoPlugin.add(calicoNetConf(1400), rt('a'), host).ok).toBe(true);
    expect(getNetns(world, 'pod-a').links['eth0']?.mtu).toBe(1400);
    delete host.store[CALICO_MTU_PATH];
    expect(calicoPlugin.add(CONF, rt('b'), host).ok).toBe(true);
    expect(getNetns(world, 'pod-b').links['eth0']?.mtu).toBe(1500);
  });

  it('gives a dual-stack pod a /128 and the host veth link-local fe80::ecee:eeff:feee:eeee as IPv6 gateway', () => {
    const { world, host } = node([['10.244.120.65/32', 'fd00:10:244::41/128']], ['a']);
    expect(calicoPlugin.add(CONF, rt('a'), host).ok).toBe(true);
    expect(renderIpRoute(getNetns(world, 'pod-a'), { family: 6 })).toContain('default via fe80::ecee:eeff:feee:eeee dev eth0 metric 1024 pref medium');
    const n = getNetns(world, 'node-1');
    const cali = vethNameForWorkload('default', 'a');
    expect(renderIpRoute(n, { family: 6 })).toContain(`fd00:10:244::41 dev ${cali} metric 1024 pref medium`);
    expect(getSysctl(n, `net.ipv6.conf.${cali}.proxy_ndp`)).toBe('1');
  });

  it('refuses to run before calico-node wrote the node name, on ADD and on DEL', () => {
    const { host } = node([['10.244.120.65/32']], ['a'], false);
    const msg = 'stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/';
    expect(calicoPlugin.add(CONF, rt('a'), host)).toEqual({ ok: false, error: { code: 999, msg } });
    expect(calicoPlugin.del(CONF, rt('a'), host)).toEqual({ ok: false, error: { code: 999, msg } });
  });

  it("passes calico-ipam's error through, and releases the address when wiring fails", () => {
    const { host } = node([['10.244.120.65/32']], []);
    const r = calicoPlugin.add(CONF, rt('gone'), host);
    expect(r.ok).toBe(false);
    expect(host.store[`fake-ipam/${rt('gone').containerId}`]).toBeUndefined();
    const again = calicoPlugin.add(CONF, rt('gone2'), host);
    expect(again).toEqual({ ok: false, error: { code: 999, msg: 'failed to request IPv4 addresses: no more free affine blocks and strict affinity enabled' } });
  });
});

describe('calico CNI plugin DEL and CHECK', () => {
  it('DEL releases the address and removes the veth with its route and neighbour; a second DEL is fine', () => {
    const { world, host } = node([['10.244.120.65/32']], ['a']);
    expect(calicoPlugin.add(CONF, rt('a'), host).ok).toBe(true);
    expect(calicoPlugin.del(CONF, rt('a'), host)).toEqual({ ok: true, value: undefined });
    const n = getNetns(world, 'node-1');
    expect(Object.keys(n.links)).toEqual(['lo']);
    expect(renderIpRoute(n)).toBe('');
    expect(renderIpNeigh(n)).toBe('');
    expect(host.store[`fake-ipam/${rt('a').containerId}`]).toBeUndefined();
    expect(calicoPlugin.del(CONF, rt('a'), host).ok).toBe(true);
  });

  it('CHECK succeeds, as upstream cmdDummyCheck does', () => {
    const { host } = node([['10.244.120.65/32']], ['a']);
    const r = calicoPlugin.add(CONF, rt('a'), host);
    expect(r.ok && calicoPlugin.check(CONF, rt('a'), host, r.value)).toEqual({ ok: true, value: undefined });
  });

  it('a re-ADD replaces a leftover host veth of the same name', () => {
    const { world, host } = node([['10.244.120.65/32'], ['10.244.120.66/32']], ['a']);
    expect(calicoPlugin.add(CONF, rt('a'), host).ok).toBe(true);
    addNetns(world, 'pod-a2');
    expect(calicoPlugin.add(CONF, rt('a', 'pod-a2'), host).ok).toBe(true);
    expect(renderIpRoute(getNetns(world, 'node-1'))).toBe(`10.244.120.66 dev ${vethNameForWorkload('default', 'a')} scope link \n`);
  });
});

describe('calico CNI plugin with host-local IPAM (canal)', () => {
  const CANAL = canalNetConf();
  function canalNode(podCIDRs: readonly string[]): { world: World; host: CniHost } {
    const world = createWorld();
    for (const n of ['node-1', 'pod-a', 'pod-b']) {
      addNetns(world, n);
      setLinkUp(world, n, 'lo');
    }
    const api: ClusterApi = new Map([[NODES_RESOURCE, new Map([['node-1', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDRs: [...podCIDRs] } }]])]]);
    const host = cniHost({ world, hostNs: 'node-1', registry: createCniRegistry(BUILTIN_CNI_PLUGINS), api });
    host.store[CALICO_NODENAME_PATH] = 'node-1';
    host.store[CALICO_MTU_PATH] = '1500';
    return { world, host };
  }

  it("hands host-local the node's podCIDR for usePodCidr and narrows its /24 to the pod's /32", () => {
    const { world, host } = canalNode(['10.244.1.0/24']);
    const r = calicoPlugin.add(CANAL, rt('a'), host);
    expect(r.ok && r.value.ips).toEqual([{ address: '10.244.1.2/32', gateway: '10.244.1.1' }]);
    expect(renderIpRoute(getNetns(world, 'node-1'))).toBe(`10.244.1.2 dev ${vethNameForWorkload('default', 'a')} scope link \n`);
    expect(renderIpRoute(getNetns(world, 'pod-a'))).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    const second = calicoPlugin.add(CANAL, rt('b'), host);
    expect(second.ok && second.value.ips[0]?.address).toBe('10.244.1.3/32');
  });

  it('DEL gives the address back to host-local (whatever the subnet), so the next pod gets it', () => {
    const { host } = canalNode(['10.244.1.0/24']);
    expect(calicoPlugin.add(CANAL, rt('a'), host).ok).toBe(true);
    expect(calicoPlugin.del(CANAL, rt('a'), host).ok).toBe(true);
    const again = calicoPlugin.add(CANAL, rt('b'), host);
    expect(again.ok && again.value.ips[0]?.address).toBe('10.244.1.3/32');
    expect(Object.values(host.store).filter((v) => v.startsWith('cid-a'))).toEqual([]);
  });

  it('a node without an IPv4 podCIDR: the ADD fails with upstream\'s message and leaves nothing', () => {
    const { world, host } = canalNode([]);
    const r = calicoPlugin.add(CANAL, rt('a'), host);
    expect(r.ok ? 'ok' : r.error.msg).toBe('usePodCidr found but there is no IPv4 CIDR configured');
    expect(Object.keys(getNetns(world, 'node-1').links)).toEqual(['lo']);
  });
});
