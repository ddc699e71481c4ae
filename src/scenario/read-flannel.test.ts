import { describe, expect, it } from 'vitest';
import { loadScenario } from './index.js';

/** The diagnostics of a Cluster with `clusterCIDR` and flannel `cni` options, as `CODE@line:col message`. */
function diags(clusterCIDR: string, cni: string): string[] {
  const text = `apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: ${clusterCIDR}\n  cni: {type: flannel${cni}}\n  nodes: [{name: n1}]\n`;
  return loadScenario([{ path: 's.yaml', text }]).diagnostics.map((d) => `${d.code}@${d.pos?.line}:${d.pos?.col} ${d.message}`);
}

describe('flannel families (net-conf.json EnableIPv4, EnableIPv6, IPv6Network)', () => {
  it('a dual-stack cluster with enableIPv6 loads, IPv6Network defaulting to the IPv6 clusterCIDR', () => {
    const text = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  cni: {type: flannel, enableIPv6: true}\n  nodes: [{name: n1}]\n';
    const r = loadScenario([{ path: 's.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    const cni = r.value?.cluster.cni;
    expect(cni?.type === 'flannel' && cni.ipv6Network).toEqual({ addr: expect.objectContaining({ family: 6 }), prefix: 56 });
    expect(diags('10.244.0.0/16,fd00:10:244::/56', ', enableIPv6: true, ipv6Network: "fd00:10:244::/48"')).toEqual([]);
  });

  it('a dual-stack cluster without enableIPv6 is refused: flanneld would lease IPv4 only', () => {
    expect(diags('10.244.0.0/16,fd00:10:244::/56', '')).toEqual([
      "SCN_FLANNEL_FAMILY@5:3 the cluster is dual-stack (clusterCIDR 10.244.0.0/16,fd00:10:244::/56) but flannel's net-conf.json does not set EnableIPv6: flanneld would lease IPv4 only and pods would get no IPv6 address; set enableIPv6: true",
    ]);
    expect(diags('10.244.0.0/16,fd00:10:244::/56', ', enableIPv6: false')[0]).toMatch(/^SCN_FLANNEL_FAMILY@5:36 /);
  });

  it('enableIPv6 without an IPv6Network, or without IPv6 podCIDRs, gets flanneld\'s words', () => {
    expect(diags('10.244.0.0/16', ', enableIPv6: true')).toEqual([
      'SCN_FLANNEL_FAMILY@5:36 enableIPv6: true without an IPv6Network: flanneld says "please define a correct IPv6Network parameter in the flannel config"; set ipv6Network, or make clusterCIDR a dual-stack pair',
    ]);
    expect(diags('10.244.0.0/16', ', enableIPv6: true, ipv6Network: "fd00::/56"')).toEqual([
      'SCN_FLANNEL_FAMILY@5:36 enableIPv6: true but the nodes have no IPv6 podCIDR (clusterCIDR 10.244.0.0/16 is IPv4 only): flanneld fails with "missing IPv6 address on n.Spec.PodCIDRs"; make clusterCIDR a dual-stack pair',
    ]);
  });

  it('an IPv6Network that does not hold the podCIDRs, of the wrong family, or without enableIPv6; enableIPv4: false', () => {
    expect(diags('10.244.0.0/16,fd00:10:244::/56', ', enableIPv6: true, ipv6Network: "fd00:99::/56"')).toEqual([
      'SCN_FLANNEL_FAMILY@5:55 subnet "fd00:99::/56" specified in the flannel net config doesn\'t contain the nodes\' IPv6 PodCIDRs (clusterCIDR fd00:10:244::/56), as flanneld refuses each node\'s lease',
    ]);
    expect(diags('10.244.0.0/16,fd00:10:244::/56', ', enableIPv6: true, ipv6Network: 10.0.0.0/8')[0]).toMatch(/^SCN_BAD_CIDR@5:55 spec.cni.ipv6Network is IPv4/);
    expect(diags('10.244.0.0/16', ', ipv6Network: "fd00::/56"')).toEqual(['SCN_FLANNEL_FAMILY@5:24 ipv6Network is given but enableIPv6 is not true: flanneld leases no IPv6 subnet without EnableIPv6']);
    expect(diags('10.244.0.0/16', ', enableIPv4: false')).toEqual(['SCN_FLANNEL_FAMILY@5:36 enableIPv4: false (an IPv6-only flannel) is not modelled: flannel runs IPv4, and IPv6 beside it with enableIPv6: true']);
  });

  it('canal stays single-stack', () => {
    const text = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: 10.244.0.0/16,fd00:10:244::/56\n  cni: {type: flannel, enableIPv6: true}\n  networkPolicy: {enforcer: canal}\n  nodes: [{name: n1}]\n';
    expect(loadScenario([{ path: 's.yaml', text }]).diagnostics.map((d) => d.code)).toEqual(['SCN_BAD_VALUE']);
  });
});
