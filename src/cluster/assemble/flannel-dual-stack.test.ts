import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { renderIpNeigh, renderIpRoute, renderVxlanFdb } from '../../kernel/index.js';
import { getRuleset } from '../../kernel/netfilter/index.js';
import { printRuleset } from '../../kernel/netfilter/syntax/index.js';
import { getNetns } from '../../kernel/world.js';
import { formatIp } from '../../addr/ip.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { buildCluster } from './cluster.js';

/** A dual-stack flannel cluster of two nodes, with a pod on n2. */
function build(cni: string, podStatus = '') {
  const text = [
    'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:',
    '  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112\n  nodeNetwork: 192.168.56.0/24,fd00:192:168:56::/64',
    `  cni: {type: flannel, enableIPv6: true${cni}}\n  dns: {enabled: false}\n  nodes: [{name: n1}, {name: n2}]`,
    `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n2, containers: [{name: c}]}\n${podStatus}`,
  ].join('\n');
  const spec = loadScenario([{ path: 's.yaml', text }]);
  expect(spec.diagnostics).toEqual([]);
  const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) });
  expect(built.diagnostics).toEqual([]);
  return built.value!;
}

describe('flanneld with EnableIPv6', () => {
  it('vxlan: flannel-v6.1 beside flannel.1, and per peer the IPv6 neighbour, FDB entry and onlink route', () => {
    const b = build('');
    const n1 = getNetns(b.world, 'n1');
    const v6 = n1.links['flannel-v6.1'];
    expect(v6).toMatchObject({ kind: 'vxlan', vni: 1, dstport: 8472, learning: false, dev: 'eth0' });
    // The kernel gives a VXLAN device over IPv6 eth0's MTU minus 70; FLANNEL_MTU stays flannel.1's.
    expect([n1.links['flannel.1']?.mtu, v6?.mtu]).toEqual([1450, 1430]);
    expect(v6?.kind === 'vxlan' && v6.local?.family).toBe(6);
    const vtep6 = getNetns(b.world, 'n2').links['flannel-v6.1']!.mac;
    expect(vtep6).not.toBe(getNetns(b.world, 'n2').links['flannel.1']!.mac);
    expect(renderIpNeigh(n1, { family: 6 })).toBe(`fd00:10:244:1:: dev flannel-v6.1 lladdr ${vtep6} PERMANENT \n`);
    expect(renderVxlanFdb(n1, 'flannel-v6.1')).toBe(`${vtep6} dst fd00:192:168:56::12 self permanent\n`);
    expect(renderIpRoute(n1, { family: 6 })).toContain('fd00:10:244:1::/64 via fd00:10:244:1:: dev flannel-v6.1 metric 1024 onlink pref medium\n');
    expect(b.cniStores['n1']?.['/run/flannel/subnet.env']).toBe(
      'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_IPV6_NETWORK=fd00:10:244::/56\nFLANNEL_IPV6_SUBNET=fd00:10:244::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    );
    // The pod has an address of each family, from the two host-local range sets.
    expect(b.pods.find((p) => p.pod.name === 'p')?.ips.map((a) => a.family)).toEqual([4, 6]);
  });

  it('host-gw: an IPv6 route via the peer node\'s IPv6 address, no VXLAN device', () => {
    const n1 = getNetns(build(', backend: host-gw').world, 'n1');
    expect(n1.links['flannel-v6.1']).toBeUndefined();
    expect(renderIpRoute(n1, { family: 6 })).toContain('fd00:10:244:1::/64 via fd00:192:168:56::12 dev eth0 metric 1024 pref medium\n');
    expect(renderIpRoute(n1)).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0 \n');
  });

  it('vxlan with directRouting: the IPv6 peer on the same network gets a plain route too', () => {
    const n1 = getNetns(build(', directRouting: true').world, 'n1');
    expect(renderIpRoute(n1, { family: 6 })).toContain('fd00:10:244:1::/64 via fd00:192:168:56::12 dev eth0 metric 1024 pref medium\n');
    expect(renderIpNeigh(n1)).toBe('');
  });

  it('ip6tables: FLANNEL-POSTRTG with ff00::/8 as multicast, FLANNEL-FWD for the IPv6 network', () => {
    const text = printRuleset(getRuleset(getNetns(build('').world, 'n1').netfilter, 6));
    expect(text).toContain('-A FLANNEL-POSTRTG -s fd00:10:244::/64 -d fd00:10:244::/56 -m comment --comment "flanneld masq" -j RETURN\n');
    expect(text).toContain('-A FLANNEL-POSTRTG -s fd00:10:244::/56 ! -d ff00::/8 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n');
    expect(text).toContain('-A FLANNEL-FWD -d fd00:10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT\n');
  });

  it('a fixed podIP reaches host-local through CNI_ARGS (flannel does not pass args on); the other family takes the next address', () => {
    const b = build('', 'status: {podIP: "fd00:10:244:1::9"}\n');
    const ips = b.pods.find((p) => p.pod.name === 'p')?.ips ?? [];
    expect(ips.map((a) => `${a.family}`)).toEqual(['4', '6']);
    expect(ips.map((a) => formatIp(a))).toEqual(['10.244.1.2', 'fd00:10:244:1::9']);
  });
});
