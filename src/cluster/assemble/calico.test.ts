import { describe, expect, it } from 'vitest';
import { calicoTestCluster } from '../../../test/helpers/calico.js';
import { cidr } from '../../addr/cidr.js';
import { calicoVtepMac } from '../../cni/calico/names.js';
import { renderIpAddr } from '../../kernel/text/addr.js';
import { getSysctl } from '../../kernel/sysctl.js';
import type { CalicoCniConfig, CalicoEncapMode, ClusterConfig } from '../objects.js';
import { calicoEncaps, calicoMtu, startCalicoNode } from './calico.js';
import { ip } from '../../addr/ip.js';
import { addAddress } from '../../kernel/addr.js';
import { addVeth, setLinkUp } from '../../kernel/link/link.js';
import { addNetns, createWorld, getNetns } from '../../kernel/world.js';

function cfg(pools: readonly { ipipMode: CalicoEncapMode; vxlanMode: CalicoEncapMode; v6?: boolean; disabled?: boolean }[], mtu: number | 'auto' = 'auto'): CalicoCniConfig {
  return {
    type: 'calico',
    mtu,
    ipPools: pools.map((p, i) => ({ name: `p${i}`, cidr: cidr(p.v6 === true ? 'fd00:10:244::/48' : `10.${244 + i}.0.0/16`), blockSize: p.v6 === true ? 122 : 26, ipipMode: p.ipipMode, vxlanMode: p.vxlanMode, natOutgoing: true, nodeSelector: 'all()', disabled: p.disabled ?? false })),
    ipam: { strictAffinity: false, maxBlocksPerHost: 0 },
    felix: {},
  };
}

describe('calicoMtu: the pod MTU calico-node writes to /var/lib/calico/mtu', () => {
  it.each([
    ['IPIP', [{ ipipMode: 'Always', vxlanMode: 'Never' }], 1480],
    ['IPIP CrossSubnet', [{ ipipMode: 'CrossSubnet', vxlanMode: 'Never' }], 1480],
    ['VXLAN', [{ ipipMode: 'Never', vxlanMode: 'Always' }], 1450],
    ['no encapsulation', [{ ipipMode: 'Never', vxlanMode: 'Never' }], 1500],
    ['IPIP and VXLAN pools: the smaller', [{ ipipMode: 'Always', vxlanMode: 'Never' }, { ipipMode: 'Never', vxlanMode: 'Always' }], 1450],
    ['IPv6 VXLAN', [{ ipipMode: 'Never', vxlanMode: 'Always', v6: true }], 1430],
    ['a disabled pool does not count', [{ ipipMode: 'Never', vxlanMode: 'Always', disabled: true }], 1500],
  ] as const)('%s → %i on a 1500 host', (_what, pools, want) => {
    expect(calicoMtu(cfg(pools), 1500)).toBe(want);
  });

  it('veth_mtu set wins', () => {
    expect(calicoMtu(cfg([{ ipipMode: 'Always', vxlanMode: 'Never' }], 1400), 1500)).toBe(1400);
    expect(calicoEncaps(cfg([{ ipipMode: 'Always', vxlanMode: 'Never' }]))).toEqual({ ipip: true, vxlan: false, vxlanV6: false });
  });
});

describe('calico-node start', () => {
  it('IPIP: tunl0 (ipip any remote any), MTU 1480, the tunnel address /32; no vxlan.calico', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    const n = getNetns(c.world, 'node-1');
    expect(n.links['tunl0']).toMatchObject({ kind: 'ipip', mtu: 1480, up: true, ttl: 'inherit' });
    expect(n.links['tunl0']).not.toHaveProperty('remote');
    expect(n.links['tunl0']).not.toHaveProperty('local');
    expect(renderIpAddr(c.world.netns, n, { dev: 'tunl0' })).toContain('inet 10.244.120.64/32 scope global tunl0');
    expect(n.links['vxlan.calico']).toBeUndefined();
    expect(c.stores['node-1']).toMatchObject({ '/var/lib/calico/nodename': 'node-1', '/var/lib/calico/mtu': '1480' });
    expect(getSysctl(n, 'net.ipv4.ip_forward')).toBe('1');
  });

  it("VXLAN: vxlan.calico VNI 4096 port 4789 on eth0's address, nolearning, MTU 1450, Felix's MAC; no tunl0", () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Always' });
    const n = getNetns(c.world, 'node-2');
    expect(n.links['vxlan.calico']).toMatchObject({ kind: 'vxlan', vni: 4096, dstport: 4789, dev: 'eth0', learning: false, mtu: 1450, mac: calicoVtepMac('node-2'), up: true });
    expect(renderIpAddr(c.world.netns, n, { dev: 'vxlan.calico' })).toContain('inet 10.244.33.128/32 scope global vxlan.calico');
    expect(n.links['tunl0']).toBeUndefined();
    expect(c.stores['node-2']?.['/var/lib/calico/mtu']).toBe('1450');
  });

  it('Never: no tunnel device, pod MTU 1500', () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Never' });
    const n = getNetns(c.world, 'node-1');
    expect(Object.keys(n.links).filter((d) => d === 'tunl0' || d.includes('vxlan'))).toEqual([]);
    expect(getNetns(c.world, 'pod-a').links['eth0']?.mtu).toBe(1500);
  });
});

describe('calico-node start, IPv6 VXLAN pool', () => {
  it('vxlan-v6.calico on the node IPv6 address, MTU 1430, the -v6 MAC, the tunnel address /128', () => {
    const world = createWorld();
    for (const n of ['n1', 'lan']) addNetns(world, n);
    addVeth(world, { ns: 'n1', name: 'eth0', peer: 'p1', peerNs: 'lan' });
    setLinkUp(world, 'n1', 'eth0');
    setLinkUp(world, 'lan', 'p1');
    addAddress(getNetns(world, 'n1'), { dev: 'eth0', cidr: cidr('fd00:1::11/64') });
    const node = { name: 'n1', labels: {}, internalIPs: [ip('fd00:1::11')], podCIDRs: [] };
    const c = cfg([{ ipipMode: 'Never', vxlanMode: 'Always', v6: true }]);
    const store: Record<string, string> = {};
    startCalicoNode(world, { cluster: {} as ClusterConfig, cfg: c, node, tunnelAddrV6: ip('fd00:10:244::'), store });
    const n = getNetns(world, 'n1');
    expect(n.links['vxlan-v6.calico']).toMatchObject({ kind: 'vxlan', vni: 4096, dstport: 4789, mtu: 1430, mac: calicoVtepMac('n1', 6), local: ip('fd00:1::11') });
    expect(renderIpAddr(world.netns, n, { dev: 'vxlan-v6.calico' })).toContain('inet6 fd00:10:244::/128 scope global');
    expect(store['/var/lib/calico/mtu']).toBe('1430');
    expect(getSysctl(n, 'net.ipv6.conf.all.forwarding')).toBe('1');
  });
});
