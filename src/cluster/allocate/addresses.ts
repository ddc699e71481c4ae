/**
 * Node addresses on the node network and Service ClusterIPs from the service CIDR.
 *
 * - Node InternalIPs: `.11` upward in `nodeNetwork` (`::11` for IPv6), in node order,
 *   skipping addresses a Node object fixes. `.1`–`.10` stay free for the network's router and
 *   for the hosts, load balancers and external clients later scenarios put on the segment.
 * - Underlay routers: `.1` upward on each network they join, in router order.
 * - ClusterIPs: the first address of `serviceCIDR` (`10.96.0.1`) is kept for the `kubernetes`
 *   Service, as the API server does; every other Service without a `clusterIP` gets the lowest
 *   free address from the second one up, in document order, after every fixed `clusterIP` is
 *   reserved. The IPv4 broadcast address is never handed out.
 */
import { type Cidr, type Family, type Ip, ipFromValue, lastAddress, networkOf } from '../../addr/index.js';
import { type IntRange, lowestFree } from './free.js';

/** Offset of the first node address from the network address, per family (`.11`, `::11`). */
export const NODE_IP_OFFSET: Readonly<Record<Family, bigint>> = { 4: 11n, 6: 0x11n };

/** Offset of the first router's address on an underlay network (`.1`); routers take `.1`–`.10`. */
export const ROUTER_IP_OFFSET = 1n;

/** How many routers fit on one network before they would reach the nodes' `.11`. */
export const MAX_ROUTERS_PER_NETWORK = 10;

/** The address of the `index`-th router (document order) joining `net`: `.1`, `.2`, … */
export function routerIp(net: Cidr, index: number): Ip {
  return ipFromValue(net.addr.family, networkOf(net).value + ROUTER_IP_OFFSET + BigInt(index));
}

/** Offset of the `kubernetes` Service's ClusterIP in the service CIDR. */
export const KUBERNETES_SERVICE_IP_OFFSET = 1n;

/** The addresses of a prefix that hosts may use: no network address, no IPv4 broadcast. */
export function usableRange(c: Cidr): IntRange {
  const first = networkOf(c).value + 1n;
  const last = lastAddress(c).value - (c.addr.family === 4 ? 1n : 0n);
  return { first, last };
}

/** The range node addresses are allocated from. */
export function nodeIpRange(nodeNetwork: Cidr): IntRange {
  const usable = usableRange(nodeNetwork);
  return { first: networkOf(nodeNetwork).value + NODE_IP_OFFSET[nodeNetwork.addr.family], last: usable.last };
}

/** The `kubernetes` Service's ClusterIP: the first address of the service CIDR. */
export function kubernetesServiceIp(serviceCIDR: Cidr): Ip {
  return ipFromValue(serviceCIDR.addr.family, networkOf(serviceCIDR).value + KUBERNETES_SERVICE_IP_OFFSET);
}

/** The range ClusterIPs of other Services are allocated from (after the `kubernetes` one). */
export function clusterIpRange(serviceCIDR: Cidr): IntRange {
  const usable = usableRange(serviceCIDR);
  return { first: networkOf(serviceCIDR).value + KUBERNETES_SERVICE_IP_OFFSET + 1n, last: usable.last };
}

/**
 * Allocates `count` addresses from `range` of `family`, avoiding `taken`. Entries past the
 * end of the range are undefined (exhausted).
 */
export function allocateAddresses(family: Family, range: IntRange, taken: readonly Ip[], count: number): (Ip | undefined)[] {
  const used = new Set(taken.filter((t) => t.family === family).map((t) => t.value));
  const free = lowestFree(range, used, count);
  return Array.from({ length: count }, (_, i) => {
    const v = free[i];
    return v === undefined ? undefined : ipFromValue(family, v);
  });
}
