/**
 * The Calico objects against the Cluster. With `cni: {type: calico}`: pools are unique by name,
 * of the cluster's family, inside clusterCIDR and disjoint (Calico's clientv3 refuses an
 * overlapping pool); without a pool, calico-node's startup pool over clusterCIDR; the
 * `default` IPAMConfig and FelixConfiguration, or their defaults. With another plugin the
 * objects are skipped with SCN_CALICO_NOT_IN_USE.
 */
import { type Cidr, cidrContains, cidrOverlaps, formatCidr } from '../../addr/index.js';
import type { CalicoCniConfig, CalicoIPPool, ClusterConfig } from '../../cluster/objects.js';
import { IPAM_CONFIG_DEFAULTS } from '../read-calico.js';
import { CLUSTER_DEFAULTS } from '../read-cluster.js';
import type { RawCalico, RawCluster, RawIPPool } from '../raw.js';
import { fail, warn } from '../reader.js';
import { dedupe } from './unique.js';

/** The cluster with its Calico configuration filled in (unchanged for other plugins). */
export function resolveCalico(raw: RawCalico, cluster: ClusterConfig, rawCluster: RawCluster): ClusterConfig {
  const cni = cluster.cni;
  if (cni.type !== 'calico') {
    for (const kind of raw.kinds) {
      warn(kind, 'SCN_CALICO_NOT_IN_USE', `the cluster's CNI plugin is ${cni.type}, not calico: this Calico ${String(kind.value)} is skipped (set Cluster spec.cni.type: calico to use it)`);
    }
    return cluster;
  }
  const pools = checkPools(dedupe(raw.pools, (p) => p.pool.name, (p) => p.nameField, 'IPPool'), cluster.clusterCIDR);
  const ipam = dedupe(raw.ipam, () => 'default', (c) => c.nameField, 'IPAMConfig')[0]?.value ?? IPAM_CONFIG_DEFAULTS;
  const felix = dedupe(raw.felix, () => 'default', (c) => c.nameField, 'FelixConfiguration')[0]?.value ?? {};
  const ipPools = pools.length > 0 ? pools : [defaultPool(cluster.clusterCIDR, rawCluster)];
  const calico: CalicoCniConfig = { ...cni, ipPools, ipam, felix };
  return { ...cluster, cni: calico };
}

/** The pools that fit the cluster; each that does not is reported and left out. */
function checkPools(pools: readonly RawIPPool[], clusterCIDR: Cidr): CalicoIPPool[] {
  const kept: RawIPPool[] = [];
  for (const p of pools) {
    const c = p.pool.cidr;
    const family = clusterCIDR.addr.family;
    if (c.addr.family !== family) {
      fail(p.cidrField, 'SCN_BAD_CIDR', `IPPool ${p.pool.name} is IPv${c.addr.family} but clusterCIDR ${formatCidr(clusterCIDR)} is IPv${family}; dual-stack is not modelled yet`);
      continue;
    }
    if (!cidrContains(clusterCIDR, c.addr) || c.prefix < clusterCIDR.prefix) {
      fail(p.cidrField, 'SCN_CALICO_POOL_OUTSIDE_CLUSTER', `IPPool ${p.pool.name} CIDR ${formatCidr(c)} is not inside clusterCIDR ${formatCidr(clusterCIDR)}: kube-proxy (--cluster-cidr) would take its pods for clients outside the cluster`);
      continue;
    }
    const clash = kept.find((k) => cidrOverlaps(k.pool.cidr, c));
    if (clash !== undefined) {
      fail(p.cidrField, 'SCN_CALICO_POOL_OVERLAP', `IPPool(${p.pool.name}) CIDR overlaps with IPPool(${clash.pool.name}) CIDR ${formatCidr(clash.pool.cidr)}`);
      continue;
    }
    kept.push(p);
  }
  return kept.map((k) => k.pool);
}

/** calico-node's startup pool over clusterCIDR (CALICO_IPV4POOL_CIDR = the kubeadm podSubnet). */
function defaultPool(clusterCIDR: Cidr, rawCluster: RawCluster): CalicoIPPool {
  const d = CLUSTER_DEFAULTS.calico.defaultPool[clusterCIDR.addr.family];
  if (clusterCIDR.prefix > d.blockSize) {
    fail(rawCluster.clusterCIDR.field, 'SCN_CALICO_BLOCK_SIZE', `clusterCIDR ${formatCidr(clusterCIDR)} is smaller than one /${d.blockSize} block of calico-node's default pool ${d.name}: IP pool size is too small for use with Calico IPAM. Add an IPPool with a smaller blockSize`);
  }
  return { ...d, cidr: clusterCIDR };
}
