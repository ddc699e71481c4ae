/**
 * The declared external hosts (`Cluster.spec.externalHosts`), checked against the cluster they
 * stand outside of: an address inside the pod, Service or node networks would not be outside
 * (SCN_EXTERNAL_HOST_ADDRESS), a family the cluster lacks has no way in (SCN_BAD_ADDRESS), an
 * address a node or another host holds is SCN_DUPLICATE_ADDRESS, and a name that is already a
 * network namespace's (a node, a router, the gateway) is SCN_DUPLICATE_NAME.
 */
import { type Cidr, type Ip, cidrContains, formatCidr, formatIp, ipEquals } from '../../addr/index.js';
import { NODE_GATEWAY } from '../../cluster/assemble/names.js';
import type { ClusterConfig, ExternalHost, Node } from '../../cluster/objects.js';
import { hostPos } from '../read-external.js';
import type { At, RawCluster } from '../raw.js';
import { fail, fieldName } from '../reader.js';

/** The namespace of an undeclared outside client (cluster/assemble/external.ts). */
const ANONYMOUS_HOST = 'external';

/** The cluster's networks, named as an error message names them. */
function clusterNetworks(c: ClusterConfig): (readonly [Cidr, string])[] {
  const nets: (readonly [Cidr, string])[] = [[c.clusterCIDR, 'clusterCIDR'], [c.serviceCIDR, 'serviceCIDR']];
  if (c.underlay === undefined) nets.push([c.nodeNetwork, 'nodeNetwork']);
  for (const n of c.underlay?.networks ?? []) nets.push([n.cidr, `underlay network ${n.name}`]);
  const s = c.secondary;
  if (s !== undefined) nets.push([s.clusterCIDR, 'clusterCIDR'], [s.serviceCIDR, 'serviceCIDR'], [s.nodeNetwork, 'nodeNetwork']);
  return nets;
}

/** The hosts that pass the checks, for `ClusterConfig.externalHosts`. */
export function resolveExternalHosts(raw: RawCluster, cluster: ClusterConfig, nodes: readonly Node[]): ExternalHost[] {
  const families = new Set([cluster.clusterCIDR.addr.family, ...(cluster.secondary === undefined ? [] : [cluster.secondary.clusterCIDR.addr.family])]);
  const taken = new Set([NODE_GATEWAY, ANONYMOUS_HOST, ...nodes.map((n) => n.name), ...(cluster.underlay?.routers ?? []).map((r) => r.name)]);
  const nets = clusterNetworks(cluster);
  const held: Ip[] = nodes.flatMap((n) => [...n.internalIPs, ...(n.extraAddresses ?? []).map((c) => c.addr)]);
  const out: ExternalHost[] = [];
  for (const h of raw.externalHosts) {
    if (taken.has(h.name.value)) {
      fail(h.name.field, 'SCN_DUPLICATE_NAME', `${fieldName(h.name.field)}: Duplicate value: "${h.name.value}": a node, router or the gateway has this name, and each has a network namespace of that name`);
      continue;
    }
    const ok = h.addresses.filter((a) => addressProblem(a, { families, nets, held }) === undefined);
    if (ok.length !== h.addresses.length) continue;
    held.push(...ok.map((a) => a.value));
    out.push({ name: h.name.value, addresses: ok.map((a) => a.value), pos: hostPos(h) });
  }
  return out;
}

/** Reports what is wrong with one address, if anything. */
function addressProblem(a: At<Ip>, ctx: { families: ReadonlySet<number>; nets: readonly (readonly [Cidr, string])[]; held: readonly Ip[] }): string | undefined {
  const ip = a.value;
  const name = `${fieldName(a.field)} ${formatIp(ip)}`;
  if (!ctx.families.has(ip.family)) return report(a, 'SCN_BAD_ADDRESS', `${name}: the cluster has no IPv${ip.family} network, so no IPv${ip.family} packet reaches it`);
  const inside = ctx.nets.find(([cidr]) => cidr.addr.family === ip.family && cidrContains(cidr, ip));
  if (inside !== undefined) return report(a, 'SCN_EXTERNAL_HOST_ADDRESS', `${name} is inside ${inside[1]} ${formatCidr(inside[0])}: an external host's address lies outside the cluster's networks`);
  if (ctx.held.some((h) => ipEquals(h, ip))) return report(a, 'SCN_DUPLICATE_ADDRESS', `${name}: Duplicate value: a node or another external host holds this address`);
  return undefined;
}

function report(a: At<Ip>, code: string, message: string): string {
  fail(a.field, code, message);
  return message;
}
