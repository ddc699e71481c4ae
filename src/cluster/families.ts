/**
 * The address families of a cluster: one on a single-stack cluster, two (primary first) on a
 * dual-stack one, and each family's networks. The primary family is the first prefix of
 * `clusterCIDR`, as kube-controller-manager and the API server take the first entry of their
 * comma-separated flags as the primary.
 *
 * Layer `cluster`: imports `addr` only.
 */
import type { Cidr, Family } from '../addr/index.js';
import type { ClusterConfig, Service } from './objects.js';

/** The cluster's families, primary first. */
export function clusterFamilies(cluster: Pick<ClusterConfig, 'clusterCIDR' | 'secondary'>): Family[] {
  const primary = cluster.clusterCIDR.addr.family;
  return cluster.secondary === undefined ? [primary] : [primary, cluster.secondary.clusterCIDR.addr.family];
}

/** One family's networks: `clusterCIDR`, `serviceCIDR`, `nodeNetwork` and the node mask size. */
export interface FamilyNetworks {
  readonly clusterCIDR: Cidr;
  readonly serviceCIDR: Cidr;
  readonly nodeNetwork: Cidr;
  readonly nodeCIDRMaskSize: number;
}

/** The networks of `family`, or undefined when the cluster does not have it. */
export function familyNetworks(cluster: ClusterConfig, family: Family): FamilyNetworks | undefined {
  if (cluster.clusterCIDR.addr.family === family) return cluster;
  return cluster.secondary?.clusterCIDR.addr.family === family ? cluster.secondary : undefined;
}

/** `spec.ipFamilies` of a Service: as defaulted, or the families of its clusterIPs. */
export function serviceFamilies(svc: Pick<Service, 'ipFamilies' | 'clusterIPs'>): readonly Family[] {
  return svc.ipFamilies ?? svc.clusterIPs.map((ip) => ip.family);
}

/** `IPv4` or `IPv6`, as `spec.ipFamilies` writes a family. */
export function ipFamilyName(family: Family): 'IPv4' | 'IPv6' {
  return family === 4 ? 'IPv4' : 'IPv6';
}
