/**
 * Nodes: unique names, InternalIPs in the node network (given or allocated from `.11`), and
 * podCIDRs in the cluster CIDR (given or allocated in node order), none shared.
 */
import { type Cidr, type Ip, cidrContains, cidrOverlaps, formatCidr, formatIp, ipEquals } from '../../addr/index.js';
import { allocateAddresses, allocateSubnets, nodeIpRange, usableRange } from '../../cluster/allocate/index.js';
import type { ClusterConfig, Node } from '../../cluster/objects.js';
import type { RawCluster, RawNode } from '../raw.js';
import { child, fail, fieldName } from '../reader.js';
import { dedupe } from './unique.js';

/** Resolves the nodes' addresses and podCIDRs. */
export function resolveNodes(raw: readonly RawNode[], cluster: ClusterConfig, rawCluster: RawCluster): Node[] {
  const nodes = dedupe(raw, (n) => n.meta.name, (n) => n.meta.nameField, 'Node');
  if (nodes.length === 0) {
    // At `nodes: []` when the list is there but empty, else at the `spec:` key that lacks it.
    const spec = child(rawCluster.field, 'spec');
    const list = child(spec, 'nodes');
    const where = list.value === undefined ? (spec.value === undefined ? rawCluster.field : spec) : list;
    fail(where, 'SCN_NO_NODES', 'the cluster has no nodes: list them in spec.nodes or add kind: Node objects', where === spec ? 'key' : 'value');
  }
  const ips = nodeIps(nodes, cluster.nodeNetwork);
  const cidrs = podCidrs(nodes, cluster);
  return nodes.map((n, i) => ({
    name: n.meta.name,
    labels: { 'kubernetes.io/hostname': n.meta.name, 'kubernetes.io/os': 'linux', ...n.meta.labels },
    internalIPs: ips[i] === undefined ? [] : [ips[i]],
    podCIDRs: cidrs[i] === undefined ? [] : [cidrs[i]],
    pos: n.meta.pos,
  }));
}

function nodeIps(nodes: readonly RawNode[], net: Cidr): (Ip | undefined)[] {
  const usable = usableRange(net);
  const taken: Ip[] = [];
  for (const n of nodes) {
    const given = n.internalIP;
    if (given === undefined) continue;
    const v = given.value;
    if (!cidrContains(net, v) || v.value < usable.first || v.value > usable.last) {
      fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `node ${n.meta.name}'s address ${formatIp(v)} is not a host address of nodeNetwork ${formatCidr(net)}`);
    } else if (taken.some((t) => ipEquals(t, v))) {
      fail(given.field, 'SCN_DUPLICATE_ADDRESS', `node ${n.meta.name}'s address ${formatIp(v)} is already another node's`);
    } else taken.push(v);
  }
  const wanting = nodes.filter((n) => n.internalIP === undefined);
  const fresh = allocateAddresses(net.addr.family, nodeIpRange(net), taken, wanting.length);
  const byName = new Map(wanting.map((n, i) => [n.meta.name, fresh[i]]));
  return nodes.map((n) => {
    if (n.internalIP !== undefined) return n.internalIP.value;
    const ip = byName.get(n.meta.name);
    if (ip === undefined) fail(n.meta.nameField, 'SCN_IP_EXHAUSTED', `no address left for node ${n.meta.name} in nodeNetwork ${formatCidr(net)} (nodes get .11 upward)`);
    return ip;
  });
}

function podCidrs(nodes: readonly RawNode[], cluster: ClusterConfig): (Cidr | undefined)[] {
  const parent = cluster.clusterCIDR;
  const taken: Cidr[] = [];
  for (const n of nodes) {
    const given = n.podCIDR;
    if (given === undefined) continue;
    const c = given.value;
    const clash = taken.find((t) => cidrOverlaps(t, c));
    if (!cidrContains(parent, c.addr) || c.prefix < parent.prefix) {
      fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `${fieldName(given.field)} ${formatCidr(c)} of node ${n.meta.name} is not inside clusterCIDR ${formatCidr(parent)}`);
    } else if (clash !== undefined) {
      fail(given.field, 'SCN_CIDR_OVERLAP', `${fieldName(given.field)} ${formatCidr(c)} of node ${n.meta.name} overlaps another node's ${formatCidr(clash)}`);
    } else taken.push(c);
  }
  const wanting = nodes.filter((n) => n.podCIDR === undefined);
  const fresh = allocateSubnets(parent, cluster.nodeCIDRMaskSize, taken, wanting.length);
  const byName = new Map(wanting.map((n, i) => [n.meta.name, fresh[i]]));
  return nodes.map((n) => {
    if (n.podCIDR !== undefined) return n.podCIDR.value;
    const c = byName.get(n.meta.name);
    if (c === undefined) {
      fail(n.meta.nameField, 'SCN_IP_EXHAUSTED', `no /${cluster.nodeCIDRMaskSize} podCIDR left in clusterCIDR ${formatCidr(parent)} for node ${n.meta.name}`);
    }
    return c;
  });
}
