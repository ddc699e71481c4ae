import { describe, expect, it } from 'vitest';
import { calicoTestCluster } from '../../../test/helpers/calico.js';
import { calicoVtepMac } from '../../cni/calico/names.js';
import { renderIpNeigh } from '../../kernel/text/neigh.js';
import { renderIpRoute } from '../../kernel/text/route.js';
import { renderVxlanFdb } from '../../kernel/text/fdb.js';
import { getNetns } from '../../kernel/world.js';

/** The calico routes of a node: everything but the kernel's and the default route. */
function calicoRoutes(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.includes('proto kernel') && !l.startsWith('default') && !l.includes('dev cali'));
}

// node-1 (192.168.1.11) and node-2 (192.168.1.12) share rack-1; node-3 (192.168.2.11) is behind the router.
describe('calico-node routes, per encapsulation', () => {
  it('IPIP Always: blackhole own block, every remote block and borrowed /32 via the node IP on tunl0 onlink', () => {
    const c = calicoTestCluster({ ipipMode: 'Always', vxlanMode: 'Never' });
    expect(calicoRoutes(renderIpRoute(getNetns(c.world, 'node-1')))).toEqual([
      '10.244.7.0/26 via 192.168.2.11 dev tunl0 proto bird onlink ',
      '10.244.33.128/26 via 192.168.1.12 dev tunl0 proto bird onlink ',
      'blackhole 10.244.120.64/26 proto bird ',
      '10.244.120.70 via 192.168.2.11 dev tunl0 proto bird onlink ',
    ]);
    expect(c.routes).toEqual({ diagnostics: [], refused: [], bgp: [] });
  });

  it('IPIP CrossSubnet: the same-rack peer plain via eth0, the other rack through tunl0', () => {
    const c = calicoTestCluster({ ipipMode: 'CrossSubnet', vxlanMode: 'Never' });
    expect(calicoRoutes(renderIpRoute(getNetns(c.world, 'node-1')))).toEqual([
      '10.244.7.0/26 via 192.168.2.11 dev tunl0 proto bird onlink ',
      '10.244.33.128/26 via 192.168.1.12 dev eth0 proto bird ',
      'blackhole 10.244.120.64/26 proto bird ',
      '10.244.120.70 via 192.168.2.11 dev tunl0 proto bird onlink ',
    ]);
    expect(calicoRoutes(renderIpRoute(getNetns(c.world, 'node-3')))).toEqual([
      'blackhole 10.244.7.0/26 proto bird ',
      '10.244.33.128/26 via 192.168.1.12 dev tunl0 proto bird onlink ',
      '10.244.120.64/26 via 192.168.1.11 dev tunl0 proto bird onlink ',
    ]);
  });

  it("VXLAN Always: via the peer's tunnel IP on vxlan.calico onlink (Felix, proto boot), PERMANENT neighbour and FDB per peer", () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Always' });
    const n1 = getNetns(c.world, 'node-1');
    expect(calicoRoutes(renderIpRoute(n1))).toEqual([
      '10.244.7.0/26 via 10.244.7.0 dev vxlan.calico onlink ',
      '10.244.33.128/26 via 10.244.33.128 dev vxlan.calico onlink ',
      'blackhole 10.244.120.64/26 proto 80 ',
      '10.244.120.70 via 10.244.7.0 dev vxlan.calico onlink ',
    ]);
    const m2 = calicoVtepMac('node-2');
    const m3 = calicoVtepMac('node-3');
    expect(renderIpNeigh(n1, { dev: 'vxlan.calico' })).toBe(`10.244.7.0 lladdr ${m3} PERMANENT \n10.244.33.128 lladdr ${m2} PERMANENT \n`);
    expect(renderVxlanFdb(n1, 'vxlan.calico')).toBe(`${m2} dst 192.168.1.12 self permanent\n${m3} dst 192.168.2.11 self permanent\n`);
  });

  it('VXLAN CrossSubnet: the same-rack peer via eth0 proto 80 onlink (Felix no-encap route), the other rack through vxlan.calico', () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'CrossSubnet' });
    expect(calicoRoutes(renderIpRoute(getNetns(c.world, 'node-2')))).toEqual([
      '10.244.7.0/26 via 10.244.7.0 dev vxlan.calico onlink ',
      'blackhole 10.244.33.128/26 proto 80 ',
      '10.244.120.64/26 via 192.168.1.11 dev eth0 proto 80 onlink ',
      '10.244.120.70 via 10.244.7.0 dev vxlan.calico onlink ',
    ]);
  });

  it('Never: plain BGP routes; a next hop behind the router resolves to the router (gateway recursive, checked with BIRD 2)', () => {
    const c = calicoTestCluster({ ipipMode: 'Never', vxlanMode: 'Never' });
    expect(calicoRoutes(renderIpRoute(getNetns(c.world, 'node-1')))).toEqual([
      '10.244.7.0/26 via 192.168.1.1 dev eth0 proto bird ',
      '10.244.33.128/26 via 192.168.1.12 dev eth0 proto bird ',
      'blackhole 10.244.120.64/26 proto bird ',
      '10.244.120.70 via 192.168.1.1 dev eth0 proto bird ',
    ]);
    expect(c.routes).toEqual({ diagnostics: [], refused: [], bgp: [] });
  });
});
