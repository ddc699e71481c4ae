/**
 * A routed underlay: each network of `spec.underlay` is an L2 segment (a hidden namespace with a
 * bridge, as the single node network is), and each router is a namespace with
 * `net.ipv4.ip_forward=1`, one interface per network it joins (`eth0`, `eth1`, … in the order
 * it lists them, each at the router's `.1`-upward address there, with the network's MTU) and
 * static routes to the networks it does not join (`ip route add CIDR via NEIGHBOUR dev ethN`,
 * along the fewest routers).
 *
 * The first router is the exit: like the single node network's gateway it has an `uplink` with
 * nothing modelled behind it and a default route through it, so traffic for the rest of the
 * world leaves the model there (EXITS_NETWORK). Every other router's default route points at
 * its next router towards the exit. A node's default route is via the first router on its
 * network; a network without a router gives its nodes no default route.
 */
import { networkOf } from '../../addr/cidr.js';
import type { Ip } from '../../addr/ip.js';
import { macFromSeed } from '../../addr/mac.js';
import { addAddress } from '../../kernel/addr.js';
import { addDummy, setLinkUp } from '../../kernel/link/link.js';
import { addRoute } from '../../kernel/route/table.js';
import { addSegment, attachToSegment } from '../../kernel/segment.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, addNetns, getNetns } from '../../kernel/world.js';
import { routerIp } from '../allocate/addresses.js';
import type { ClusterConfig, Node, Underlay, UnderlayNetwork, UnderlayRouter } from '../objects.js';
import { NODE_SEGMENT } from './names.js';
import { type NodeAttachment, gatewayAddress } from './nodes.js';


/** The device a router uses on the `i`-th network it lists. */
export function routerDev(i: number): string {
  return `eth${i}`;
}

/** The address of `router` on `network`: `.1` for the first router joining it, `.2` for the next, … */
export function routerAddressOn(underlay: Underlay, router: string, network: UnderlayNetwork): Ip | undefined {
  const joining = underlay.routers.filter((r) => r.networks.includes(network.name));
  const i = joining.findIndex((r) => r.name === router);
  return i < 0 ? undefined : routerIp(network.cidr, i);
}

/** A node's attachment: the shared node network, or its underlay network. */
export function nodeAttachment(cluster: ClusterConfig, node: Node): NodeAttachment | undefined {
  const underlay = cluster.underlay;
  if (underlay === undefined) {
    const sec = cluster.secondary?.nodeNetwork;
    const secondary = sec === undefined ? {} : { secondary: { cidr: sec, gateway: gatewayAddress(sec) } };
    return { segment: NODE_SEGMENT, cidr: cluster.nodeNetwork, gateway: gatewayAddress(cluster.nodeNetwork), ...secondary };
  }
  const net = underlay.networks.find((n) => n.name === node.network);
  if (net === undefined) return undefined;
  const first = underlay.routers.find((r) => r.networks.includes(net.name));
  const gateway = first === undefined ? undefined : routerAddressOn(underlay, first.name, net);
  return { segment: net.name, cidr: net.cidr, mtu: net.interfaceMtu, portMtu: net.mtu, ...(gateway !== undefined ? { gateway } : {}) };
}

/** Creates every network segment and router, with addresses and routes. */
export function buildUnderlay(world: World, underlay: Underlay): void {
  for (const net of underlay.networks) addSegment(world, net.name);
  for (const r of underlay.routers) buildRouter(world, underlay, r);
  underlay.routers.forEach((r, i) => installRouterRoutes(world, underlay, r, i === 0));
}

function buildRouter(world: World, underlay: Underlay, r: UnderlayRouter): void {
  addNetns(world, r.name);
  setLinkUp(world, r.name, 'lo');
  const ns = getNetns(world, r.name);
  r.networks.forEach((name, i) => {
    const net = underlay.networks.find((n) => n.name === name);
    const addr = net === undefined ? undefined : routerAddressOn(underlay, r.name, net);
    if (net === undefined || addr === undefined) return;
    const dev = routerDev(i);
    attachToSegment(world, { segment: net.name, ns: r.name, dev, mac: macFromSeed(`${r.name}/${dev}`), mtu: net.interfaceMtu, portMtu: net.mtu });
    setLinkUp(world, r.name, dev);
    addAddress(ns, { dev, cidr: { addr, prefix: net.cidr.prefix } });
  });
  const family = underlay.networks[0]?.cidr.addr.family ?? 4;
  setSysctl(ns, family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding', '1');
}

/** The first hop from one router towards another: the neighbour, and the network they share. */
interface FirstHop {
  readonly neighbour: UnderlayRouter;
  readonly network: string;
}

/** Breadth-first over routers sharing a network, in document order: each reachable router's first hop. */
export function firstHops(underlay: Underlay, from: UnderlayRouter): Map<string, FirstHop> {
  const hops = new Map<string, FirstHop>();
  const queue: { router: UnderlayRouter; first?: FirstHop }[] = [{ router: from }];
  const seen = new Set([from.name]);
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const { router, first } = item;
    for (const network of router.networks) {
      for (const next of underlay.routers) {
        if (seen.has(next.name) || !next.networks.includes(network)) continue;
        seen.add(next.name);
        const hop = first ?? { neighbour: next, network };
        hops.set(next.name, hop);
        queue.push({ router: next, first: hop });
      }
    }
  }
  return hops;
}

/** `ip route add CIDR via NEIGHBOUR dev ethN` for each network not joined; the default route. */
function installRouterRoutes(world: World, underlay: Underlay, r: UnderlayRouter, exit: boolean): void {
  const ns = getNetns(world, r.name);
  const hops = firstHops(underlay, r);
  const via = (hop: FirstHop): { via: Ip; dev: string } | undefined => {
    const net = underlay.networks.find((n) => n.name === hop.network);
    const addr = net === undefined ? undefined : routerAddressOn(underlay, hop.neighbour.name, net);
    return addr === undefined ? undefined : { via: addr, dev: routerDev(r.networks.indexOf(hop.network)) };
  };
  for (const net of underlay.networks) {
    if (r.networks.includes(net.name)) continue;
    // The nearest router joining it: hops are in breadth-first order.
    const hop = [...hops].find(([name]) => underlay.routers.some((o) => o.name === name && o.networks.includes(net.name)))?.[1];
    const nh = hop === undefined ? undefined : via(hop);
    if (nh !== undefined) addRoute(ns, { dst: net.cidr, ...nh });
  }
  const some = underlay.networks[0]?.cidr;
  if (some === undefined) return;
  const anywhere = { addr: networkOf({ addr: some.addr, prefix: 0 }), prefix: 0 };
  if (exit) {
    addDummy(ns, 'uplink');
    setLinkUp(world, r.name, 'uplink');
    addRoute(ns, { dst: anywhere, dev: 'uplink' });
    return;
  }
  const toExit = underlay.routers[0] === undefined ? undefined : hops.get(underlay.routers[0].name);
  const nh = toExit === undefined ? undefined : via(toExit);
  if (nh !== undefined) addRoute(ns, { dst: anywhere, ...nh });
}
