/**
 * What a node's BIRD originates and its filters, as confd's `bird_aggr.cfg.template` and
 * `bird_ipam.cfg.template` (and their bird6 twins) write them:
 *
 * - `protocol static` (`static1`): `route <block> blackhole;` for every block affine to the node
 *   (not /32 or /128 blocks), and the Service ranges of the BGPConfiguration (confd's
 *   `/staticroutes`);
 * - `protocol kernel` (`kernel1`, `learn`): the node's pod routes `<ip>/32 dev caliXXX`, which the
 *   CNI plugin wrote, learned back from the kernel as alien routes;
 * - `calico_export_to_bgp_peers` → `calico_aggr()`: for each own block `net = block` accept,
 *   `net ~ block` reject; then the Service ranges `net ~ cidr` accept; then each pool `net ~
 *   pool` accept; anything else is rejected by the protocol's export filter. So a borrowed
 *   address (a /32 inside another node's block) leaves as a /32, and the own pods' /32s do not;
 * - `calico_kernel_programming`: the Service ranges are rejected (`/rejectcidrs`: never into the
 *   kernel); per pool, VXLAN pools are rejected (Felix programs those), IPIP Always pools get
 *   `krt_tunnel = "tunl0"`, IPIP CrossSubnet pools get it only when the BGP next hop is outside
 *   the node's `network_v4`, other pools are plain; anything else is accepted.
 *   IPv6 pools: only the VXLAN reject (bird6_ipam.cfg has no tunnel).
 */
import { type Cidr, type Family, type Ip, canonicalCidr, cidrContains } from '../../addr/index.js';
import type { KernelRule, OriginatedRoute, PrefixRule } from '../../bgp/types.js';
import type { CalicoIpamView } from '../../cni/calico/ipam/view.js';
import { vethNameForWorkload } from '../../cni/calico/names.js';
import type { CalicoBgpConfiguration, CalicoIPPool } from '../objects.js';
import { CALICO_TUNNELS } from './calico.js';
import type { ConfdNode } from './calico-confd-nodes.js';

/** A pod address used on a node, with the host end of its veth. */
export interface LocalWorkloadAddress {
  readonly node: string;
  readonly ip: Ip;
  /** `cali…`: the device of its `/32` route. */
  readonly dev: string;
}

/** BIRD's protocol names in a Calico node's `show protocols`. */
export const CALICO_BIRD_PROTOCOLS = { static: 'static1', kernel: 'kernel1' } as const;

const hostPrefix = (f: Family): number => (f === 4 ? 32 : 128);

/** The node's blocks (affinity `host:<node>`), in claim order. */
export function ownBlocks(view: CalicoIpamView, node: string): Cidr[] {
  return view.blocks.filter((b) => b.node === node).map((b) => b.cidr);
}

/** Every Service range the BGPConfiguration advertises. */
export function serviceRanges(conf: CalicoBgpConfiguration): Cidr[] {
  return [...conf.serviceClusterIPs, ...conf.serviceExternalIPs, ...conf.serviceLoadBalancerIPs].map(canonicalCidr);
}

/**
 * The pod addresses on each node, from calico-ipam's allocations (the pods' handles), with their
 * veth names (`vethNameForWorkload(namespace, pod)`).
 */
export function workloadsFromView(view: CalicoIpamView): LocalWorkloadAddress[] {
  return view.blocks.flatMap((b) => b.allocations.flatMap((a): LocalWorkloadAddress[] => {
    if (a.pod === undefined) return [];
    const [namespace = '', pod = ''] = a.pod.split('/');
    return [{ node: a.node, ip: a.ip, dev: vethNameForWorkload(namespace, pod) }];
  }));
}

/** `static1` blackholes and `kernel1` pod routes of a node, for its families. */
export function originated(node: ConfdNode, families: readonly Family[], blocks: readonly Cidr[], services: readonly Cidr[], workloads: readonly LocalWorkloadAddress[]): OriginatedRoute[] {
  const on = (c: Cidr): boolean => families.includes(c.addr.family);
  const statics = [...blocks.filter((b) => b.prefix !== hostPrefix(b.addr.family)), ...services].filter(on);
  const kernel = workloads.filter((w) => w.node === node.name && families.includes(w.ip.family));
  return [
    ...statics.map((prefix): OriginatedRoute => ({ prefix, protocol: CALICO_BIRD_PROTOCOLS.static, blackhole: true })),
    ...kernel.map((w): OriginatedRoute => ({ prefix: { addr: w.ip, prefix: hostPrefix(w.ip.family) }, protocol: CALICO_BIRD_PROTOCOLS.kernel, blackhole: false, dev: w.dev })),
  ];
}

/** `calico_export_to_bgp_peers`: calico_aggr, the Service ranges, the pools. */
export function exportRules(families: readonly Family[], blocks: readonly Cidr[], services: readonly Cidr[], pools: readonly CalicoIPPool[]): PrefixRule[] {
  const on = (c: Cidr): boolean => families.includes(c.addr.family);
  return [
    ...blocks.filter(on).flatMap((cidr): PrefixRule[] => [{ match: 'exact', cidr, action: 'accept' }, { match: 'within', cidr, action: 'reject' }]),
    ...services.filter(on).map((cidr): PrefixRule => ({ match: 'within', cidr, action: 'accept' })),
    ...pools.map((p) => p.cidr).filter(on).map((cidr): PrefixRule => ({ match: 'within', cidr, action: 'accept' })),
  ];
}

/** `calico_kernel_programming` for a node. */
export function kernelRules(node: ConfdNode, families: readonly Family[], services: readonly Cidr[], pools: readonly CalicoIPPool[]): KernelRule[] {
  const on = (c: Cidr): boolean => families.includes(c.addr.family);
  const rejects = services.filter(on).map((cidr): KernelRule => ({ cidr, action: 'reject', tunnel: 'never' }));
  const network = node.ipv4 === undefined ? undefined : canonicalCidr(node.ipv4);
  const poolRules = pools.filter((p) => on(p.cidr)).flatMap((p): KernelRule[] => {
    if (p.vxlanMode !== 'Never') return [{ cidr: p.cidr, action: 'reject', tunnel: 'never' }];
    if (p.cidr.addr.family === 6) return []; // bird6_ipam.cfg: no krt_tunnel
    // The IPv4 pool terms need `network_v4`: without a node address there are none.
    if (network === undefined) return [];
    const tunnelDev = CALICO_TUNNELS.ipip.dev;
    if (p.ipipMode === 'Always') return [{ cidr: p.cidr, action: 'accept', tunnel: 'always', tunnelDev }];
    if (p.ipipMode === 'CrossSubnet') return [{ cidr: p.cidr, action: 'accept', tunnel: 'cross-subnet', tunnelDev, localSubnet: network }];
    return [{ cidr: p.cidr, action: 'accept', tunnel: 'never' }];
  });
  return [...rejects, ...poolRules];
}

/** True when `ip` is inside one of the pools (a pod address). */
export function inPools(pools: readonly CalicoIPPool[], ip: Ip): boolean {
  return pools.some((p) => cidrContains(p.cidr, ip));
}
