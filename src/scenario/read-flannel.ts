/**
 * flannel's address families: net-conf.json's `EnableIPv4` (on by default, `Network` is the
 * cluster's IPv4 clusterCIDR) and `EnableIPv6` with `IPv6Network` (netsim's `enableIPv6` and
 * `ipv6Network`, by default the cluster's IPv6 clusterCIDR). flanneld's kube subnet manager
 * leases each node's podCIDRs of the enabled families, and fails where net-conf.json and the
 * podCIDRs disagree; those are SCN_FLANNEL_FAMILY, with flanneld's own words.
 */
import { type Cidr, cidrContains, formatCidr } from '../addr/index.js';
import type { FlannelCniConfig } from '../cluster/objects.js';
import { optCidr } from './read-addr.js';
import type { CidrPair } from './read-dual-stack.js';
import { type Field, absent, child, fail, fieldName, optBool } from './reader.js';

/**
 * Checks `enableIPv4`, `enableIPv6` and `ipv6Network` of a flannel `cni` field against the
 * cluster's clusterCIDR (one prefix or a dual-stack pair), and returns the config with the IPv6
 * network when EnableIPv6 holds.
 */
export function readFlannelFamilies(f: Field, cfg: FlannelCniConfig, clusterCIDR: CidrPair): FlannelCniConfig {
  const pods = [clusterCIDR.primary.value, ...(clusterCIDR.secondary === undefined ? [] : [clusterCIDR.secondary.value])];
  const podV6 = pods.find((c) => c.addr.family === 6);
  const v4Field = child(f, 'enableIPv4');
  const v6Field = child(f, 'enableIPv6');
  const netField = child(f, 'ipv6Network');
  const enableIPv4 = optBool(v4Field) ?? true;
  const enableIPv6 = optBool(v6Field) ?? false;
  const given = optCidr(netField);
  if (given !== undefined && given.addr.family !== 6) fail(netField, 'SCN_BAD_CIDR', `${fieldName(netField)} is IPv4: net-conf.json's IPv6Network must be an IPv6 prefix`);
  const ipv6Network = given?.addr.family === 6 ? given : podV6;
  if (!enableIPv4) {
    fail(v4Field, 'SCN_FLANNEL_FAMILY', 'enableIPv4: false (an IPv6-only flannel) is not modelled: flannel runs IPv4, and IPv6 beside it with enableIPv6: true');
  }
  if (!enableIPv6) {
    if (podV6 !== undefined && pods.length > 1) {
      fail(absent(v6Field) ? f : v6Field, 'SCN_FLANNEL_FAMILY', `the cluster is dual-stack (clusterCIDR ${pods.map(formatCidr).join(',')}) but flannel's net-conf.json does not set EnableIPv6: flanneld would lease IPv4 only and pods would get no IPv6 address; set enableIPv6: true`, absent(v6Field) ? 'key' : 'value');
    }
    if (!absent(netField)) fail(netField, 'SCN_FLANNEL_FAMILY', 'ipv6Network is given but enableIPv6 is not true: flanneld leases no IPv6 subnet without EnableIPv6', 'key');
    return cfg;
  }
  if (ipv6Network === undefined) {
    fail(v6Field, 'SCN_FLANNEL_FAMILY', 'enableIPv6: true without an IPv6Network: flanneld says "please define a correct IPv6Network parameter in the flannel config"; set ipv6Network, or make clusterCIDR a dual-stack pair');
    return cfg;
  }
  if (podV6 === undefined) {
    fail(v6Field, 'SCN_FLANNEL_FAMILY', `enableIPv6: true but the nodes have no IPv6 podCIDR (clusterCIDR ${pods.map(formatCidr).join(',')} is IPv4 only): flanneld fails with "missing IPv6 address on n.Spec.PodCIDRs"; make clusterCIDR a dual-stack pair`);
    return cfg;
  }
  if (!contains(ipv6Network, podV6)) {
    fail(netField, 'SCN_FLANNEL_FAMILY', `subnet "${formatCidr(ipv6Network)}" specified in the flannel net config doesn't contain the nodes' IPv6 PodCIDRs (clusterCIDR ${formatCidr(podV6)}), as flanneld refuses each node's lease`);
    return cfg;
  }
  return { ...cfg, ipv6Network };
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.prefix <= inner.prefix && cidrContains(outer, inner.addr);
}
