import { describe, expect, it } from 'vitest';
import { ip } from '../../addr/ip.js';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { underlayReachability } from './bgp-reach.js';
import { buildCluster } from './cluster.js';

// rack-1: node-1 .11, node-2 .12; rack-2: node-3 .11; tor joins both (.1 on each); rack-3 has no router.
const TEXT = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
spec:
  clusterCIDR: 10.244.0.0/16
  underlay:
    networks:
      - {name: rack-1, cidr: 192.168.1.0/24}
      - {name: rack-2, cidr: 192.168.2.0/24}
      - {name: rack-3, cidr: 192.168.3.0/24}
    routers:
      - {name: tor, networks: [rack-1, rack-2]}
  cni: {type: bridge}
  nodes:
    - {name: node-1, network: rack-1}
    - {name: node-2, network: rack-1}
    - {name: node-3, network: rack-2}
    - {name: node-4, network: rack-3}
`;

function reach() {
  const spec = loadScenario([{ path: 's.yaml', text: TEXT }]).value;
  if (spec === undefined) throw new Error('scenario does not load');
  const built = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (built === undefined) throw new Error('cluster does not build');
  return underlayReachability(built.world);
}

describe('underlayReachability: can BIRD open its session', () => {
  const r = reach();
  const none = new Set<string>();
  it('on the same network, and across the router', () => {
    expect(r('node-1', ip('192.168.1.12'), undefined, none)).toBe(true);
    expect(r('node-1', ip('192.168.2.11'), undefined, none)).toBe(true);
    expect(r('node-3', ip('192.168.1.1'), undefined, none)).toBe(true);
  });
  it('not to an address nobody holds, nor to a network without a router', () => {
    expect(r('node-1', ip('192.168.1.99'), undefined, none)).toBe('Host is unreachable');
    expect(r('node-4', ip('192.168.1.11'), undefined, none)).toBe('Network is unreachable');
  });
  it('not to a dead machine, nor through a dead router or link', () => {
    expect(r('node-1', ip('192.168.1.12'), undefined, new Set(['node-2']))).toBe('Host is unreachable');
    expect(r('node-1', ip('192.168.2.11'), undefined, new Set(['tor']))).toBe('Host is unreachable');
    expect(r('node-1', ip('192.168.1.12'), undefined, new Set(['node-1/eth0']))).toBe('Network is unreachable');
    expect(r('node-1', ip('192.168.1.12'), undefined, new Set(['node-2/eth0']))).toBe('Host is unreachable');
  });
});
