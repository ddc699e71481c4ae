import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { renderIpNeigh, renderIpRoute, renderVxlanFdb } from '../../kernel/index.js';
import { getRuleset } from '../../kernel/netfilter/index.js';
import { printRuleset } from '../../kernel/netfilter/syntax/index.js';
import { getNetns } from '../../kernel/world.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { cidr } from '../../addr/cidr.js';
import { ip } from '../../addr/ip.js';
import { buildCluster } from './cluster.js';
import { addFlannelPeers } from './flannel.js';

function build(cni: string) {
  const text = `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  cni: ${cni}\n  nodes: [{name: n1}, {name: n2}]\n`;
  const spec = loadScenario([{ path: 's.yaml', text }]);
  expect(spec.diagnostics).toEqual([]);
  const built = buildCluster(spec.value!, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) });
  expect(built.diagnostics).toEqual([]);
  return built.value!;
}

describe('flanneld on the nodes', () => {
  it('vxlan: per peer a PERMANENT neighbour, a self FDB entry and an onlink route, all naming the peer VTEP', () => {
    const b = build('{type: flannel}');
    const n1 = getNetns(b.world, 'n1');
    const vtep = getNetns(b.world, 'n2').links['flannel.1']!.mac;
    expect(renderIpNeigh(n1)).toBe(`10.244.1.0 dev flannel.1 lladdr ${vtep} PERMANENT \n`);
    expect(renderVxlanFdb(n1, 'flannel.1')).toBe(`${vtep} dst 192.168.56.12 self permanent\n`);
    expect(renderIpRoute(n1)).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink \n');
    expect(n1.links['flannel.1']).toMatchObject({ kind: 'vxlan', vni: 1, dstport: 8472, learning: false, mtu: 1450 });
    expect(b.cniStores['n1']?.['/run/flannel/subnet.env']).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
  });

  it('vxlan with directRouting: a peer on the same network gets a plain route and no neighbour or FDB entry', () => {
    const n1 = getNetns(build('{type: flannel, directRouting: true}').world, 'n1');
    expect(renderIpRoute(n1)).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0 \n');
    expect(renderIpNeigh(n1)).toBe('');
    expect(renderVxlanFdb(n1, 'flannel.1')).toBe('');
  });

  it('host-gw: no flannel.1, a route via the node IP, FLANNEL_MTU the interface MTU', () => {
    const b = build('{type: flannel, backend: host-gw}');
    const n1 = getNetns(b.world, 'n1');
    expect(n1.links['flannel.1']).toBeUndefined();
    expect(renderIpRoute(n1)).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0 \n');
    expect(b.cniStores['n1']?.['/run/flannel/subnet.env']).toContain('FLANNEL_MTU=1500\n');
  });

  it('an explicit mtu is FLANNEL_MTU and flannel.1’s', () => {
    const b = build('{type: flannel, mtu: 1400}');
    expect(getNetns(b.world, 'n1').links['flannel.1']?.mtu).toBe(1400);
    expect(b.cniStores['n1']?.['/run/flannel/subnet.env']).toContain('FLANNEL_MTU=1400\n');
  });

  it('an mtu past eth0’s minus 50 is cut down by the kernel, and flanneld reads the device back', () => {
    const b = build('{type: flannel, mtu: 1500}');
    const n1 = getNetns(b.world, 'n1');
    expect(n1.links['flannel.1']?.mtu).toBe(1450);
    expect(b.cniStores['n1']?.['/run/flannel/subnet.env']).toContain('FLANNEL_MTU=1450\n');
  });

  it('its chains come after kube-proxy’s jumps; without ipMasq only FLANNEL-FWD', () => {
    const save = printRuleset(getRuleset(getNetns(build('{type: flannel}').world, 'n1').netfilter, 4));
    const post = save.split('\n').filter((l) => l.startsWith('-A POSTROUTING'));
    expect(post).toEqual(['-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING', '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG']);
    expect(save.split('\n').filter((l) => l.startsWith('-A FORWARD')).at(-1)).toBe('-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD');
    const noMasq = printRuleset(getRuleset(getNetns(build('{type: flannel, ipMasq: false}').world, 'n1').netfilter, 4));
    expect(noMasq).not.toContain('FLANNEL-POSTRTG');
    expect(noMasq).toContain(':FLANNEL-FWD - [0:0]');
  });

  it('host-gw: a peer off eth0’s network gets no route, and a FLANNEL_ROUTE_FAILED warning (the kernel refuses the gateway)', () => {
    const b = build('{type: flannel, backend: host-gw}');
    const n1 = b.spec.nodes[0]!;
    const far = { name: 'far', labels: {}, internalIPs: [ip('192.168.99.5')], podCIDRs: [cidr('10.244.9.0/24')] };
    const out = addFlannelPeers(b.world, { type: 'flannel', backend: 'host-gw', directRouting: false, ipMasq: true, mtu: 'auto' }, [n1, far]);
    // (far has no namespace in this test; only n1's side matters)
    expect(out.diagnostics.filter((d) => d.message.startsWith('flanneld on n1')).map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([
      'warning FLANNEL_ROUTE_FAILED: flanneld on n1: cannot route 10.244.9.0/24 of far via 192.168.99.5: Error: Nexthop has invalid gateway.',
    ]);
    expect(renderIpRoute(getNetns(b.world, 'n1'))).not.toContain('10.244.9.0/24');
  });

  it('the scenario loader refuses flannel on an IPv6 cluster', () => {
    const text = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: fd00:10:244::/56\n  cni: {type: flannel}\n  nodes: [{name: n1}]\n';
    expect(loadScenario([{ path: 's.yaml', text }]).diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['SCN_BAD_VALUE: cni type flannel is modelled for IPv4 and dual-stack clusters only (clusterCIDR is IPv6)']);
  });

  it('the scenario loader refuses an unknown backend and bridge-only keys', () => {
    const text = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  cni: {type: flannel, backend: udp, bridge: cni0, mtu: big}\n  nodes: [{name: n1}]\n';
    expect(loadScenario([{ path: 's.yaml', text }]).diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'SCN_BAD_VALUE: spec.cni.backend must be one of vxlan, host-gw, not "udp"',
      'SCN_UNKNOWN_FIELD: unknown field spec.cni.bridge',
      'SCN_BAD_VALUE: spec.cni.mtu must be an integer or auto, not "big"',
    ]);
  });
});
