import { describe, expect, it } from 'vitest';
import { formatCidr } from '../../addr/index.js';
import { loadScenario } from '../index.js';

const CLUSTER = (cidr: string): string => `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: ${cidr}\n  cni: {type: calico}\n  nodes: [{name: n1}]\n`;
const POOL = (name: string, cidr: string, extra = ''): string => `---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: ${name}}\nspec: {cidr: "${cidr}"${extra}}\n`;

function pools(text: string): { pools: string[]; diags: string[] } {
  const r = loadScenario([{ path: 's.yaml', text }]);
  const cni = r.value?.cluster.cni;
  return {
    pools: cni?.type === 'calico' ? cni.ipPools.map((p) => `${p.name} ${formatCidr(p.cidr)} /${p.blockSize} ipip ${p.ipipMode} vxlan ${p.vxlanMode}`) : [],
    diags: r.diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col} ${d.message}`),
  };
}

describe('Calico pools on a dual-stack cluster', () => {
  it('without pools: calico-node creates the default pool of each family', () => {
    expect(pools(CLUSTER('10.244.0.0/16,fd00:10:244::/56'))).toEqual({
      pools: ['default-ipv4-ippool 10.244.0.0/16 /26 ipip Always vxlan Never', 'default-ipv6-ippool fd00:10:244::/56 /122 ipip Never vxlan Never'],
      diags: [],
    });
  });

  it('a pool of one family given: the default pool of the other is added', () => {
    expect(pools(`${CLUSTER('10.244.0.0/16,fd00:10:244::/56')}${POOL('v6', 'fd00:10:244::/64', ', vxlanMode: Always')}`).pools).toEqual([
      'v6 fd00:10:244::/64 /122 ipip Never vxlan Always',
      'default-ipv4-ippool 10.244.0.0/16 /26 ipip Always vxlan Never',
    ]);
  });

  it('each pool must lie in the clusterCIDR of its family; an IPv6 pool needs an IPv6 clusterCIDR', () => {
    expect(pools(`${CLUSTER('10.244.0.0/16,fd00:10:244::/56')}${POOL('v6', 'fd00:99::/64')}`).diags).toEqual([
      'SCN_CALICO_POOL_OUTSIDE_CLUSTER@11:14 IPPool v6 CIDR fd00:99::/64 is not inside clusterCIDR fd00:10:244::/56: kube-proxy (--cluster-cidr) would take its pods for clients outside the cluster',
    ]);
    expect(pools(`${CLUSTER('10.244.0.0/16')}${POOL('v6', 'fd00:10:244::/64')}`).diags).toEqual([
      'SCN_BAD_CIDR@11:14 IPPool v6 is IPv6 but clusterCIDR 10.244.0.0/16 is IPv4 only; a pool of each family needs a dual-stack clusterCIDR pair',
    ]);
  });
});
