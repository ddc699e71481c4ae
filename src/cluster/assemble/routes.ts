/**
 * Cross-node pod routes in flannel's host-gw layout: every node routes each other node's
 * podCIDR via that node's IP on the shared node network (`ip route add 10.244.1.0/24 via
 * 192.168.56.12 dev eth0`). This is what lets the plain bridge plugin carry two-node
 * scenarios; overlay plugins replace it with their own devices and routes.
 *
 * Such a route needs the next hop on the node's own L2 network. Across a router it is not, and
 * the kernel refuses the route (fib_check_nh_v4_gw: `Error: Nexthop has invalid gateway.`,
 * checked on Linux 6.18 in a namespace), so it is not installed: the node's traffic for that
 * podCIDR follows its default route to the router instead. The refusals are returned, for a
 * warning at build time and a note in every trace whose route lookup they would have changed.
 */
import { type Cidr, formatCidr } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';
import { CommandError } from '../../kernel/errors.js';
import { type BatchRoute, type RouteBatch, addRouteBatch, routeBatch } from '../../kernel/route/batch.js';
import { addRoute } from '../../kernel/route/table.js';
import { type World, getNetns } from '../../kernel/world.js';
import type { Node } from '../objects.js';

/** A route the kernel would not install, with what `ip route add` answered. */
export interface RefusedRoute {
  /** The node (namespace) it was meant for. */
  readonly ns: string;
  readonly dst: Cidr;
  readonly via: Ip;
  readonly dev: string;
  /** `ip route add 10.244.1.0/24 via 192.168.2.11 dev eth0`. */
  readonly command: string;
  /** `Error: Nexthop has invalid gateway.` */
  readonly answer: string;
}

/** Installs the host-gw routes on every node; returns the ones the kernel refused. */
export function installHostGwRoutes(world: World, nodes: readonly Node[]): RefusedRoute[] {
  return nodes.flatMap((node) => installHostGwRoutesOn(world, node, nodes));
}

/**
 * Installs the host-gw routes on `node` (to every other node's podCIDRs); returns the ones the
 * kernel refused. Each family's routes are one batch shared by every node (kernel/route/batch.ts)
 * when the kernel would accept them all; otherwise they are added one by one, in the same order.
 */
export function installHostGwRoutesOn(world: World, node: Node, nodes: readonly Node[]): RefusedRoute[] {
  const refused: RefusedRoute[] = [];
  const ns = getNetns(world, node.name);
  const batches = hostGwBatches(nodes);
  const shared = new Set(batches.filter((b) => addRouteBatch(ns, b, node.name)).map((b) => b.family));
  // A family without a batch has no route to add (a batch holds every route of its family): with
  // every batch shared, the walk below would add nothing (it was a node's first read's largest
  // loop at 5,000 nodes).
  if (shared.size === batches.length) return refused;
  for (const other of nodes) {
    if (other.name === node.name) continue;
    for (const podCIDR of other.podCIDRs) {
      if (shared.has(podCIDR.addr.family)) continue;
      const via = other.internalIPs.find((a) => a.family === podCIDR.addr.family);
      if (via === undefined) continue;
      const dst = { addr: podCIDR.addr, prefix: podCIDR.prefix };
      try {
        addRoute(ns, { dst, via, dev: 'eth0' });
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        refused.push({ ns: node.name, dst, via, dev: 'eth0', command: e.command, answer: e.answer });
      }
    }
  }
  return refused;
}

const batches = new WeakMap<readonly Node[], readonly RouteBatch[]>();

/** Every node's host-gw routes, a batch per family (computed once per node list). */
function hostGwBatches(nodes: readonly Node[]): readonly RouteBatch[] {
  let out = batches.get(nodes);
  if (out !== undefined) return out;
  const byFamily: Record<Family, BatchRoute[]> = { 4: [], 6: [] };
  for (const other of nodes) {
    for (const podCIDR of other.podCIDRs) {
      const via = other.internalIPs.find((a) => a.family === podCIDR.addr.family);
      if (via !== undefined) byFamily[podCIDR.addr.family].push({ owner: other.name, dst: podCIDR, via });
    }
  }
  out = ([4, 6] as const).filter((f) => byFamily[f].length > 0).map((f) => routeBatch(f, 'eth0', byFamily[f]));
  batches.set(nodes, out);
  return out;
}

/** The build warning of a refused route. */
export function refusedMessage(r: RefusedRoute): string {
  return `${r.ns}: ${r.command}: ${r.answer} The next hop is not on ${r.dev}'s network, so ${formatCidr(r.dst)} follows the default route`;
}
