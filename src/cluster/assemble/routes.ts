/**
 * Cross-node pod routes in flannel's host-gw layout: every node routes each other node's
 * podCIDR via that node's IP on the shared node network (`ip route add 10.244.1.0/24 via
 * 192.168.56.12 dev eth0`). This is what lets the plain bridge plugin carry two-node
 * scenarios; overlay plugins replace it with their own devices and routes.
 */
import { addRoute } from '../../kernel/route/table.js';
import { type World, getNetns } from '../../kernel/world.js';
import type { Node } from '../objects.js';

/** Installs the host-gw routes on every node. */
export function installHostGwRoutes(world: World, nodes: readonly Node[]): void {
  for (const node of nodes) {
    const ns = getNetns(world, node.name);
    for (const other of nodes) {
      if (other.name === node.name) continue;
      for (const podCIDR of other.podCIDRs) {
        const via = other.internalIPs.find((a) => a.family === podCIDR.addr.family);
        if (via !== undefined) addRoute(ns, { dst: { addr: podCIDR.addr, prefix: podCIDR.prefix }, via, dev: 'eth0' });
      }
    }
  }
}
