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
 * there (EXITS_NETWORK); only the client's own address is routed to it.
 */
import { type Cidr, cidrContains, formatCidr } from '../../addr/cidr.js';
import { type Ip, formatIp } from '../../addr/ip.js';
import { macFromSeed } from '../../addr/mac.js';
import { CALICO_GATEWAY_V4, CALICO_GATEWAY_V6, CALICO_HOST_MAC } from '../../cni/calico/names.js';
import { addAddress } from '../../kernel/addr.js';
import { addVeth, setLinkUp } from '../../kernel/link/link.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { addRoute } from '../../kernel/route/table.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { addNetns, getNetns } from '../../kernel/world.js';
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

/**
 * The cloud load balancer, in its simplest mode: each `status.loadBalancer.ingress[].ip` is
 * delivered to one node as is (`ip route add VIP/32 via NODE-IP` on the exit), where kube-proxy's
 * KUBE-SERVICES rule for the VIP takes over. The node is the first one with a ready endpoint of
 * the Service when `externalTrafficPolicy: Local` (what the LB's health check on
 * healthCheckNodePort finds), else the first node. `ipMode: Proxy` and spreading over several
 * nodes are not modelled.
 */
export function loadBalancerRoutes(built: BuiltCluster, family: 4 | 6): { vip: Ip; node: Ip; service: string }[] {
  const out: { vip: Ip; node: Ip; service: string }[] = [];
  for (const svc of built.spec.services) {
    if (svc.type !== 'LoadBalancer') continue;
    const ready = new Set(
      built.endpointSlices
        .filter((sl) => sl.namespace === svc.namespace && sl.serviceName === svc.name)
        .flatMap((sl) => sl.endpoints.filter((e) => e.conditions.ready).flatMap((e) => (e.nodeName !== undefined ? [e.nodeName] : []))),
    );
    const nodes = built.spec.nodes;
    const node = svc.externalTrafficPolicy === 'Local' ? nodes.find((n) => ready.has(n.name)) : nodes[0];
    const nodeIp = node?.internalIPs.find((a) => a.family === family);
    if (nodeIp === undefined) continue;
    for (const vip of svc.loadBalancerIngress) if (vip.family === family) out.push({ vip, node: nodeIp, service: `${svc.namespace}/${svc.name}` });
  }
  return out;
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

/**
 * The cluster with an external host at `addr` behind its exit, in a copy of the world (the
 * built cluster is left as it was); or why `addr` cannot be one.
 */
export function withExternalHost(built: BuiltCluster, addr: Ip): BuiltCluster | { problem: string } {
  const problem = externalProblem(built, addr);
  if (problem !== undefined) return { problem };
  const exit = exitNetns(built) as string;
  const world = overlayWorld(built.world);
  // The exit is reconfigured (a veth, routes, proxy ARP): it gets a deep copy of its own.
  world.netns[exit] = structuredClone(getNetns(built.world, exit));
  addNetns(world, EXTERNAL_NETNS);
  setLinkUp(world, EXTERNAL_NETNS, 'lo');
  addVeth(world, { ns: EXTERNAL_NETNS, name: 'eth0', peer: EXTERNAL_EXIT_DEV, peerNs: exit, mac: macFromSeed(`${EXTERNAL_NETNS}/eth0`), peerMac: EXIT_MAC });
  setLinkUp(world, exit, EXTERNAL_EXIT_DEV);
  setLinkUp(world, EXTERNAL_NETNS, 'eth0');
  const ext = getNetns(world, EXTERNAL_NETNS);
  const gw = getNetns(world, exit);
  const full = addr.family === 4 ? 32 : 128;
  addAddress(ext, { dev: 'eth0', cidr: { addr, prefix: full } });
  if (addr.family === 4) {
    addRoute(ext, { dst: { addr: EXTERNAL_NEXT_HOP_V4, prefix: 32 }, dev: 'eth0', scope: 'link' });
    addRoute(ext, { dst: { addr: { family: 4, value: 0n }, prefix: 0 }, via: EXTERNAL_NEXT_HOP_V4, dev: 'eth0' });
    setSysctl(gw, `net.ipv4.conf.${EXTERNAL_EXIT_DEV}.proxy_arp`, '1');
  } else {
    addRoute(ext, { dst: { addr: { family: 6, value: 0n }, prefix: 0 }, via: CALICO_GATEWAY_V6, dev: 'eth0' });
  }
  addRoute(gw, { dst: { addr, prefix: full }, dev: EXTERNAL_EXIT_DEV, scope: 'link' });
  for (const lb of loadBalancerRoutes(built, addr.family)) {
    // A node the exit cannot reach directly (another rack of an underlay) gets no route: the VIP then leaves by the uplink.
    try {
      addRoute(gw, { dst: { addr: lb.vip, prefix: full }, via: lb.node });
    } catch {
      continue;
    }
  }
  return { ...built, world, owners: { ...built.owners, [EXTERNAL_NETNS]: { kind: 'external', name: formatIp(addr) } } };
}
