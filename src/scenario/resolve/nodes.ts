/**
 * Nodes: unique names, InternalIPs in the node network (given or allocated from `.11`), and
 * podCIDRs in the cluster CIDR (given or allocated in node order), none shared. With an
 * underlay, each node's network is the one it names, or failing that the one holding its given
 * InternalIP, and addresses are allocated from `.11` per network.
 */
import { type Cidr, type Family, type Ip, cidrContains, cidrOverlaps, formatCidr, formatIp, ipEquals } from '../../addr/index.js';
import { allocateAddresses, allocateSubnets, nodeIpRange, routerIp, usableRange } from '../../cluster/allocate/index.js';
import type { ClusterConfig, Node, Underlay } from '../../cluster/objects.js';
import type { RawCluster, RawNode } from '../raw.js';
import { child, fail, fieldName } from '../reader.js';
import { dedupe } from './unique.js';
import { checkNamespaceNames } from './underlay.js';

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
  const underlay = cluster.underlay;
  if (underlay !== undefined && rawCluster.underlay !== undefined) checkNamespaceNames(rawCluster.underlay, underlay, nodes);
  const networks = underlay === undefined ? nodes.map(() => undefined) : nodeNetworks(nodes, underlay);
  if (underlay === undefined) for (const n of nodes) if (n.network !== undefined) fail(n.network.field, 'SCN_BAD_VALUE', `node ${n.meta.name} names network ${n.network.value}, but the cluster has no underlay: add spec.underlay or drop network`);
  const sec = cluster.secondary;
  // On a dual-stack cluster a given address or podCIDR of the second family is that family's.
  const primary = sec === undefined ? nodes : nodes.map((n) => onlyFamily(n, cluster.clusterCIDR.addr.family));
  const ips = underlay === undefined ? nodeIps(primary, cluster.nodeNetwork) : underlayIps(primary, networks, underlay);
  const cidrs = podCidrs(primary, cluster);
  const second = sec === undefined ? undefined : nodes.map((n) => onlyFamily(n, sec.clusterCIDR.addr.family));
  const ips2 = second === undefined || sec === undefined ? [] : nodeIps(second, sec.nodeNetwork);
  const cidrs2 = second === undefined || sec === undefined ? [] : podCidrs(second, { ...cluster, ...sec });
  return nodes.map((n, i) => {
    const network = networks[i];
    return {
      name: n.meta.name,
      labels: { 'kubernetes.io/hostname': n.meta.name, 'kubernetes.io/os': 'linux', ...n.meta.labels },
      internalIPs: [ips[i], ips2[i]].filter((x): x is Ip => x !== undefined),
      podCIDRs: [cidrs[i], cidrs2[i]].filter((x): x is Cidr => x !== undefined),
      ...(network === undefined ? {} : { network }),
      ...(n.extraAddresses === undefined || n.extraAddresses.length === 0 ? {} : { extraAddresses: n.extraAddresses }),
      ...(n.extraInterfaces === undefined || n.extraInterfaces.length === 0 ? {} : { extraInterfaces: n.extraInterfaces }),
      ...(n.taints === undefined ? {} : { taints: n.taints }),
      pos: n.meta.pos,
    };
  });
}

/** The node with only the given address and podCIDR of `family` (a dual-stack cluster resolves each family apart). */
function onlyFamily(n: RawNode, family: Family): RawNode {
  const { internalIP, podCIDR, ...rest } = n;
  return {
    ...rest,
    ...(internalIP === undefined || internalIP.value.family !== family ? {} : { internalIP }),
    ...(podCIDR === undefined || podCIDR.value.addr.family !== family ? {} : { podCIDR }),
  };
}

/** Each node's underlay network: the one it names, else the one holding its InternalIP. */
function nodeNetworks(nodes: readonly RawNode[], underlay: Underlay): (string | undefined)[] {
  const names = underlay.networks.map((x) => x.name).join(', ');
  return nodes.map((n) => {
    if (n.network !== undefined) {
      if (underlay.networks.some((x) => x.name === n.network?.value)) return n.network.value;
      fail(n.network.field, 'SCN_MISSING_REFERENCE', `node ${n.meta.name} is on network ${n.network.value}, which underlay.networks does not declare (it has ${names})`);
      return undefined;
    }
    const ip = n.internalIP?.value;
    const holding = ip === undefined ? undefined : underlay.networks.find((x) => cidrContains(x.cidr, ip));
    if (holding !== undefined) return holding.name;
    fail(n.meta.nameField, 'SCN_MISSING_FIELD', `node ${n.meta.name} has no network: with an underlay, every node names one of ${names} (or has an InternalIP inside one)`);
    return undefined;
  });
}

/** Node addresses per underlay network, each allocated as on a single node network. */
function underlayIps(nodes: readonly RawNode[], networks: readonly (string | undefined)[], underlay: Underlay): (Ip | undefined)[] {
  const out: (Ip | undefined)[] = nodes.map(() => undefined);
  for (const net of underlay.networks) {
    const idx = nodes.flatMap((_, i) => (networks[i] === net.name ? [i] : []));
    const onNet = idx.map((i) => nodes[i]).filter((n): n is RawNode => n !== undefined);
    checkRouterAddresses(onNet, net.cidr, underlay.routers.filter((r) => r.networks.includes(net.name)).length);
    nodeIps(onNet, net.cidr, `network ${net.name}`).forEach((ip, k) => {
      const i = idx[k];
      if (i !== undefined) out[i] = ip;
    });
  }
  return out;
}

/** A node may not take an address a router on its network holds (`.1` upward). */
function checkRouterAddresses(nodes: readonly RawNode[], net: Cidr, routers: number): void {
  const taken = Array.from({ length: routers }, (_, i) => routerIp(net, i));
  for (const n of nodes) {
    const given = n.internalIP;
    if (given !== undefined && taken.some((t) => ipEquals(t, given.value))) {
      fail(given.field, 'SCN_DUPLICATE_ADDRESS', `node ${n.meta.name}'s address ${formatIp(given.value)} belongs to a router of its network (routers take .1 upward)`);
    }
  }
}

function nodeIps(nodes: readonly RawNode[], net: Cidr, netName = 'nodeNetwork'): (Ip | undefined)[] {
  const usable = usableRange(net);
  const taken: Ip[] = [];
  for (const n of nodes) {
    const given = n.internalIP;
    if (given === undefined) continue;
    const v = given.value;
    if (!cidrContains(net, v) || v.value < usable.first || v.value > usable.last) {
      fail(given.field, 'SCN_ADDRESS_OUT_OF_RANGE', `node ${n.meta.name}'s address ${formatIp(v)} is not a host address of ${netName} ${formatCidr(net)}`);
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
    if (ip === undefined) fail(n.meta.nameField, 'SCN_IP_EXHAUSTED', `no address left for node ${n.meta.name} in ${netName} ${formatCidr(net)} (nodes get .11 upward)`);
    return ip;
  });
}

function podCidrs(nodes: readonly RawNode[], cluster: Pick<ClusterConfig, 'clusterCIDR' | 'nodeCIDRMaskSize'>): (Cidr | undefined)[] {
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
