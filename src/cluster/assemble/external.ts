/**
 * A client outside the cluster: a host on the internet behind the network's exit (the node
 * network's `gateway`, or the underlay's first router), built as data in a copy of the world so
 * that the kernel model alone moves its packets, there and back.
 *
 * The host is a namespace `external` joined to the exit by a veth pair (`ext0` on the exit,
 * `eth0` in the host), wired the way Calico wires a pod, since it needs no subnet of its own:
 *
 * ```
 * ip netns add external
 * ip -n gateway link add ext0 type veth peer name eth0 netns external   # ext0: ee:ee:ee:ee:ee:ee
 * ip -n external addr add 203.0.113.7/32 dev eth0
 * ip -n external route add 169.254.1.1 dev eth0 scope link
 * ip -n external route add default via 169.254.1.1 dev eth0             # IPv6: via fe80::ecee:eeff:feee:eeee
 * ip -n gateway route add 203.0.113.7/32 dev ext0 scope link
 * sysctl -w net.ipv4.conf.ext0.proxy_arp=1                              # IPv6: proxy_ndp is not needed, fe80:: is ext0's own
 * ```
 *
 * The `uplink` and its default route stay: every other outside address still leaves the model
 * there (EXITS_NETWORK); only the client's own address is routed to it. A host declared in
 * `Cluster.spec.externalHosts` gets its own name as its namespace, and all its addresses (IPv4
 * and IPv6); the cloud load balancer is programmed on the exit beside it (cloud-lb.ts).
 */
import { type Cidr, cidrContains, formatCidr } from '../../addr/cidr.js';
import { type Ip, formatIp, ipEquals } from '../../addr/ip.js';
import { macFromSeed } from '../../addr/mac.js';
import { CALICO_GATEWAY_V4, CALICO_GATEWAY_V6, CALICO_HOST_MAC } from '../../cni/calico/names.js';
import { addAddress } from '../../kernel/addr.js';
import { addVeth, setLinkUp } from '../../kernel/link/link.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { addRoute } from '../../kernel/route/table.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, addNetns, getNetns, putNetns } from '../../kernel/world.js';
import { installCloudLoadBalancer } from './cloud-lb.js';
import type { BuiltCluster } from './cluster.js';
import { NODE_GATEWAY } from './names.js';

/** The external host's namespace. */
export const EXTERNAL_NETNS = 'external';

/** The exit's end of the link to the external host. */
export const EXTERNAL_EXIT_DEV = 'ext0';

/**
 * The link-local next hop the external host routes through (answered by proxy ARP on ext0):
 * the same trick, and the same addresses, as Calico's pods use.
 */
export const EXTERNAL_NEXT_HOP_V4: Ip = CALICO_GATEWAY_V4;

/** ext0's MAC, whose EUI-64 link-local (Calico's IPv6 gateway) is the IPv6 next hop. */
const EXIT_MAC = CALICO_HOST_MAC;

/** The namespace traffic leaves the model through: the node network's gateway, or the first underlay router. */
export function exitNetns(built: BuiltCluster): string | undefined {
  const underlay = built.spec.cluster.underlay;
  if (underlay === undefined) return NODE_GATEWAY;
  return underlay.routers[0]?.name;
}

/** Why an address cannot be an outside client, if it cannot. */
export function externalProblem(built: BuiltCluster, addr: Ip): string | undefined {
  const c = built.spec.cluster;
  const within = (cidr: Cidr, what: string) => (cidr.addr.family === addr.family && cidrContains(cidr, addr) ? `${formatIp(addr)} is in the ${what} (${formatCidr(cidr)}) but nothing holds it, so it cannot send` : undefined);
  const nets: (readonly [Cidr, string])[] = [
    [c.clusterCIDR, 'cluster\'s pod network, clusterCIDR'],
    [c.serviceCIDR, 'Service network, serviceCIDR'],
    ...(c.underlay === undefined ? [[c.nodeNetwork, 'node network'] as const] : c.underlay.networks.map((n) => [n.cidr, `underlay network ${n.name}`] as const)),
  ];
  for (const [cidr, what] of nets) {
    const p = within(cidr, what);
    if (p !== undefined) return p;
  }
  if (exitNetns(built) === undefined) return `${formatIp(addr)} is outside the cluster, but the underlay has no router to enter by`;
  return undefined;
}

/** A host outside the cluster, as a trace needs it: its namespace, its label and its addresses. */
export interface OutsideHost {
  /** `external` for an address nobody declared; a declared host's own name. */
  readonly ns: string;
  /** What `external host …` says: the address, or the declared name. */
  readonly name: string;
  readonly addrs: readonly Ip[];
}

/** The declared host holding `addr`, if any (`Cluster.spec.externalHosts`). */
export function declaredHostAt(built: BuiltCluster, addr: Ip): OutsideHost | undefined {
  const h = (built.spec.cluster.externalHosts ?? []).find((x) => x.addresses.some((a) => ipEquals(a, addr)));
  return h === undefined ? undefined : { ns: h.name, name: h.name, addrs: h.addresses };
}

/** The host a trace puts at `addr`: the declared one that holds it, else an anonymous one in `external`. */
export function outsideHostAt(built: BuiltCluster, addr: Ip): OutsideHost {
  return declaredHostAt(built, addr) ?? { ns: EXTERNAL_NETNS, name: formatIp(addr), addrs: [addr] };
}

/**
 * The cluster with an external host at `addr` behind its exit (the declared host that holds it,
 * else an anonymous one), in a copy of the world (the built cluster is left as it was); or why
 * `addr` cannot be one.
 */
export function withExternalHost(built: BuiltCluster, addr: Ip): BuiltCluster | { problem: string } {
  return withExternalHosts(built, [outsideHostAt(built, addr)]);
}

/**
 * The cluster with these hosts behind its exit and the cloud load balancer programmed there (for
 * the hosts' families and `alsoFamilies`), in a copy of the world. The n-th host's link is `ext<n>` on the exit; all of them answer the
 * hosts' link-local next hop by proxy ARP, as every cali* device of a Calico node does.
 */
export function withExternalHosts(built: BuiltCluster, hosts: readonly OutsideHost[], alsoFamilies: readonly (4 | 6)[] = []): BuiltCluster | { problem: string } {
  for (const h of hosts) {
    for (const a of h.addrs) {
      const problem = externalProblem(built, a);
      if (problem !== undefined) return { problem };
    }
  }
  const exit = exitNetns(built);
  if (exit === undefined) return { problem: 'the underlay has no router to enter by' };
  const world = overlayWorld(built.world);
  // The exit is reconfigured (veths, routes, proxy ARP, the LB's rules): it gets a deep copy of its own.
  putNetns(world, exit, structuredClone(getNetns(built.world, exit)));
  const owners = { ...built.owners };
  hosts.forEach((h, i) => {
    attachHost(world, exit, h, i === 0 ? EXTERNAL_EXIT_DEV : `ext${i}`);
    owners[h.ns] = { kind: 'external', name: h.name };
  });
  const families = new Set([...hosts.flatMap((h) => h.addrs.map((a) => a.family)), ...alsoFamilies]);
  for (const family of [4, 6] as const) if (families.has(family)) installCloudLoadBalancer(built, getNetns(world, exit), family);
  return { ...built, world, owners };
}

/** One host's namespace, its veth to the exit (`dev` there) and the routes both ways. */
function attachHost(world: World, exit: string, h: OutsideHost, dev: string): void {
  addNetns(world, h.ns);
  setLinkUp(world, h.ns, 'lo');
  addVeth(world, { ns: h.ns, name: 'eth0', peer: dev, peerNs: exit, mac: macFromSeed(`${h.ns}/eth0`), peerMac: EXIT_MAC });
  setLinkUp(world, exit, dev);
  setLinkUp(world, h.ns, 'eth0');
  const ext = getNetns(world, h.ns);
  const gw = getNetns(world, exit);
  for (const addr of h.addrs) {
    const full = addr.family === 4 ? 32 : 128;
    addAddress(ext, { dev: 'eth0', cidr: { addr, prefix: full } });
    if (addr.family === 4) {
      addRoute(ext, { dst: { addr: EXTERNAL_NEXT_HOP_V4, prefix: 32 }, dev: 'eth0', scope: 'link' });
      addRoute(ext, { dst: { addr: { family: 4, value: 0n }, prefix: 0 }, via: EXTERNAL_NEXT_HOP_V4, dev: 'eth0' });
      setSysctl(gw, `net.ipv4.conf.${dev}.proxy_arp`, '1');
    } else {
      addRoute(ext, { dst: { addr: { family: 6, value: 0n }, prefix: 0 }, via: CALICO_GATEWAY_V6, dev: 'eth0' });
    }
    addRoute(gw, { dst: { addr, prefix: full }, dev, scope: 'link' });
  }
}
