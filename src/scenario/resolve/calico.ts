/**
 * The Calico objects against the Cluster. With `cni: {type: calico}`: pools are unique by name,
 * of the cluster's family, inside clusterCIDR and disjoint (Calico's clientv3 refuses an
 * overlapping pool); without a pool, calico-node's startup pool over clusterCIDR; the
 * `default` IPAMConfig and FelixConfiguration, or their defaults. With another plugin the
 * objects are skipped with SCN_CALICO_NOT_IN_USE. The BGP objects' checks against the nodes and
 * the underlay are in calico-bgp.ts.
 */
import { type Cidr, cidrContains, cidrOverlaps, formatCidr } from '../../addr/index.js';
import type { CalicoBgpObjects, CalicoCniConfig, CalicoIPPool, ClusterConfig } from '../../cluster/objects.js';
import { IPAM_CONFIG_DEFAULTS } from '../read-calico.js';
import { BGP_CONFIG_DEFAULTS } from '../read-calico-bgp.js';
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
  const backend = cni.backend ?? 'bird';
  const rawPools = dedupe(raw.pools, (p) => p.pool.name, (p) => p.nameField, 'IPPool');
  const clusterCIDRs = [cluster.clusterCIDR, ...(cluster.secondary === undefined ? [] : [cluster.secondary.clusterCIDR])];
  const pools = checkPools(rawPools, clusterCIDRs);
  const ipam = dedupe(raw.ipam, () => 'default', (c) => c.nameField, 'IPAMConfig')[0]?.value ?? IPAM_CONFIG_DEFAULTS;
  const felix = dedupe(raw.felix, () => 'default', (c) => c.nameField, 'FelixConfiguration')[0]?.value ?? {};
  // calico-node's startup adds a default pool for each family that has none (startup.go's
  // configureIPPools: CALICO_IPV4POOL_CIDR, and CALICO_IPV6POOL_CIDR on a dual-stack cluster).
  const defaults = clusterCIDRs.filter((c) => !pools.some((p) => p.cidr.addr.family === c.addr.family)).map((c) => defaultPool(c, rawCluster, backend));
  const ipPools = [...pools, ...defaults];
  checkBackend(backend, rawPools.filter((p) => pools.includes(p.pool)));
  const bgp = bgpObjects(raw, backend);
  const calico: CalicoCniConfig = { ...cni, ipPools, ipam, felix, backend, bgp };
  return { ...cluster, cni: calico };
}

/**
 * IPIP pools need BIRD: only its `krt_tunnel` routes send traffic into tunl0 (Felix programs
 * VXLAN routes itself). Calico's docs: with `calico_backend: vxlan` (or none), use VXLAN pools.
 */
function checkBackend(backend: string, pools: readonly RawIPPool[]): void {
  if (backend === 'bird') return;
  for (const p of pools) {
    if (p.pool.ipipMode === 'Never') continue;
    fail(p.cidrField, 'SCN_CALICO_BACKEND', `IPPool ${p.pool.name} has ipipMode ${p.pool.ipipMode}, but calico_backend is ${backend}: IP-in-IP routes are BIRD's to program, and only backend bird runs it (use vxlanMode, or cni backend: bird)`);
  }
}

/** The BGP objects confd reads; without BIRD (backend vxlan or none) they are skipped with a warning. */
function bgpObjects(raw: RawCalico, backend: string): CalicoBgpObjects {
  const configuration = dedupe(raw.bgpConfig, () => 'default', (c) => c.nameField, 'BGPConfiguration')[0]?.value ?? BGP_CONFIG_DEFAULTS;
  const peers = dedupe(raw.bgpPeers, (p) => p.peer.name, (p) => p.nameField, 'BGPPeer').map((p) => p.peer);
  const nodes = dedupe(raw.nodes, (n) => n.node.name, (n) => n.nameField, 'Calico Node').map((n) => n.node);
  if (backend !== 'bird') {
    for (const f of [...raw.bgpConfig.map((c) => c.nameField), ...raw.bgpPeers.map((p) => p.nameField)]) {
      warn(f, 'SCN_CALICO_NOT_IN_USE', `calico_backend is ${backend}: calico-node runs no BIRD, so this BGP object has no effect (set Cluster spec.cni.backend: bird)`);
    }
  }
  return { configuration, peers, nodes };
}

/** The pools that fit the cluster; each that does not is reported and left out. */
function checkPools(pools: readonly RawIPPool[], clusterCIDRs: readonly Cidr[]): CalicoIPPool[] {
  const kept: RawIPPool[] = [];
  for (const p of pools) {
    const c = p.pool.cidr;
    const clusterCIDR = clusterCIDRs.find((x) => x.addr.family === c.addr.family);
    if (clusterCIDR === undefined) {
      const [first] = clusterCIDRs;
      fail(p.cidrField, 'SCN_BAD_CIDR', `IPPool ${p.pool.name} is IPv${c.addr.family} but clusterCIDR ${clusterCIDRs.map(formatCidr).join(',')} is IPv${first?.addr.family ?? 4} only; a pool of each family needs a dual-stack clusterCIDR pair`);
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

/**
 * calico-node's startup pool over clusterCIDR (CALICO_IPV4POOL_CIDR = the kubeadm podSubnet).
 * Without BIRD, as calico-vxlan.yaml sets it: `CALICO_IPV4POOL_IPIP: Never` and, for the vxlan
 * backend, `CALICO_IPV4POOL_VXLAN: Always`.
 */
function defaultPool(clusterCIDR: Cidr, rawCluster: RawCluster, backend: string): CalicoIPPool {
  const manifest = CLUSTER_DEFAULTS.calico.defaultPool[clusterCIDR.addr.family];
  const d = backend === 'bird' || clusterCIDR.addr.family === 6 ? manifest : { ...manifest, ipipMode: 'Never' as const, vxlanMode: backend === 'vxlan' ? ('Always' as const) : ('Never' as const) };
  if (clusterCIDR.prefix > d.blockSize) {
    fail(rawCluster.clusterCIDR.field, 'SCN_CALICO_BLOCK_SIZE', `clusterCIDR ${formatCidr(clusterCIDR)} is smaller than one /${d.blockSize} block of calico-node's default pool ${d.name}: IP pool size is too small for use with Calico IPAM. Add an IPPool with a smaller blockSize`);
  }
  return { ...d, cidr: clusterCIDR };
}
