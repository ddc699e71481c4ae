/**
 * What confd knows of every Calico node (`/bgp/v1/host/<node>/…` in its cache): the BGP
 * addresses with their subnets (`ip_addr_v4`, `network_v4`), the AS (`as_num`, or the global
 * one), the route reflector cluster id (`rr_cluster_id`) and the labels BGPPeer selectors see.
 * A Calico `Node` document sets these; without one, calico-node autodetects the address as the
 * node's InternalIP with the prefix of its network (what `IP_AUTODETECTION_METHOD=first-found`
 * finds on eth0).
 */
import { type Cidr, type Family, type Ip, formatIp } from '../../addr/index.js';
import { sha256Bytes } from '../../hash/index.js';
import type { CalicoBgpObjects, CalicoCniConfig, ClusterConfig, Labels, Node } from '../objects.js';
import { nodeAttachment } from './underlay.js';

/** libcalico-go's default AS (`BGPConfiguration.asNumber`). */
export const CALICO_DEFAULT_AS = 64512;

/** One node as confd sees it. */
export interface ConfdNode {
  readonly name: string;
  /** The Kubernetes node's labels with its Calico Node's merged over them. */
  readonly labels: Labels;
  /** `ip_addr_v4` with `network_v4`'s prefix length (`192.168.1.11/24`). */
  readonly ipv4?: Cidr;
  readonly ipv6?: Cidr;
  /** The node's AS: its own `spec.bgp.asNumber`, or the BGPConfiguration's. */
  readonly asNumber: number;
  readonly rrClusterId?: Ip;
}

/** The BGP objects, with their defaults when the scenario has none. */
export function bgpObjectsOf(cfg: CalicoCniConfig): CalicoBgpObjects {
  return cfg.bgp ?? { configuration: { nodeToNodeMeshEnabled: true, asNumber: CALICO_DEFAULT_AS, serviceClusterIPs: [], serviceExternalIPs: [], serviceLoadBalancerIPs: [] }, peers: [], nodes: [] };
}

/** Every node as confd sees it, in the order given. */
export function confdNodes(cluster: ClusterConfig, cfg: CalicoCniConfig, nodes: readonly Node[]): ConfdNode[] {
  const bgp = bgpObjectsOf(cfg);
  const docs = new Map(bgp.nodes.map((n) => [n.name, n]));
  return nodes.map((node) => {
    const doc = docs.get(node.name);
    const prefix = nodeAttachment(cluster, node)?.cidr.prefix;
    const detected = (family: Family): Cidr | undefined => {
      const addr = node.internalIPs.find((a) => a.family === family);
      return addr === undefined ? undefined : { addr, prefix: prefix ?? (family === 4 ? 32 : 128) };
    };
    const ipv4 = doc?.ipv4Address ?? detected(4);
    const ipv6 = doc?.ipv6Address ?? detected(6);
    return {
      name: node.name,
      labels: node.labels,
      ...(ipv4 === undefined ? {} : { ipv4 }),
      ...(ipv6 === undefined ? {} : { ipv6 }),
      asNumber: doc?.asNumber ?? bgp.configuration.asNumber,
      ...(doc?.routeReflectorClusterID === undefined ? {} : { rrClusterId: doc.routeReflectorClusterID }),
    };
  });
}

/** The node's BGP address of a family. */
export function confdAddress(n: ConfdNode, family: Family): Ip | undefined {
  return (family === 4 ? n.ipv4 : n.ipv6)?.addr;
}

/**
 * `router id`: the node's IPv4 BGP address; without one, confd's `hashToIPv4(nodename)`
 * (`CALICO_ROUTER_ID=hash`, what Calico's docs set for IPv6-only clusters): the first four bytes
 * of sha256(name), the first lowered by 32 when above 223 (no class D/E router ids).
 */
export function routerIdOf(n: ConfdNode): Ip {
  return n.ipv4?.addr ?? hashToIPv4(n.name);
}

/** confd's template function `hashToIPv4`. */
export function hashToIPv4(name: string): Ip {
  const [a = 0, b = 0, c = 0, d = 0] = sha256Bytes(name);
  const first = a > 223 ? a - 32 : a;
  return { family: 4, value: (BigInt(first) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d) };
}

/** An address as confd's templates print it, dots or colons turned into `_` (`192_168_1_12`). */
export function protocolId(ip: Ip): string {
  return formatIp(ip).replaceAll(ip.family === 4 ? '.' : ':', '_');
}
