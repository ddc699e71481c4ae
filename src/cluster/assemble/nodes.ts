/**
 * Nodes as kubeadm leaves them: a namespace with `lo` and `eth0` on the shared node network (or
 * on their underlay network),
 * the node IP on `eth0`, forwarding on, and `br_netfilter` loaded with
 * `net.bridge.bridge-nf-call-iptables=1`, as Kubernetes requires for bridged pod traffic.
 */
import { type Cidr, networkOf } from '../../addr/cidr.js';
import { type Ip, ipAdd } from '../../addr/ip.js';
import { macFromSeed } from '../../addr/mac.js';
import { addAddress } from '../../kernel/addr.js';
import { addDummy, setLinkUp } from '../../kernel/link/link.js';
import { addRoute } from '../../kernel/route/table.js';
import { addSegment, attachToSegment } from '../../kernel/segment.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, addNetns, getNetns } from '../../kernel/world.js';
import type { Node } from '../objects.js';
import { NODE_GATEWAY, NODE_SEGMENT } from './names.js';

/** Sysctls every node gets (kubeadm's preflight requirements). */
export const NODE_SYSCTLS: readonly (readonly [string, string])[] = [
  ['net.ipv4.ip_forward', '1'],
  ['net.ipv6.conf.all.forwarding', '1'],
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.bridge.bridge-nf-call-ip6tables', '1'],
];

/** The node network's default gateway: its first address (`192.168.56.1`). */
export function gatewayAddress(nodeNetwork: Cidr) {
  return ipAdd(networkOf(nodeNetwork), 1n);
}

/**
 * Creates the node network segment and its default gateway: a router namespace at the first
 * address whose uplink is a device with nothing modelled behind it, so traffic for the rest
 * of the world leaves the model there (EXITS_NETWORK) instead of dying for want of a route.
 */
export function buildNodeNetwork(world: World, nodeNetwork: Cidr, secondary?: Cidr): void {
  addSegment(world, NODE_SEGMENT);
  addNetns(world, NODE_GATEWAY);
  setLinkUp(world, NODE_GATEWAY, 'lo');
  attachToSegment(world, { segment: NODE_SEGMENT, ns: NODE_GATEWAY, dev: 'eth0', mac: macFromSeed(`${NODE_GATEWAY}/eth0`) });
  setLinkUp(world, NODE_GATEWAY, 'eth0');
  const gw = getNetns(world, NODE_GATEWAY);
  // A dual-stack node network: the gateway routes both families (its second prefix's `::1` too).
  const nets = secondary === undefined ? [nodeNetwork] : [nodeNetwork, secondary];
  for (const net of nets) addAddress(gw, { dev: 'eth0', cidr: { addr: gatewayAddress(net), prefix: net.prefix } });
  addDummy(gw, 'uplink');
  setLinkUp(world, NODE_GATEWAY, 'uplink');
  for (const net of nets) {
    addRoute(gw, { dst: { addr: networkOf({ addr: net.addr, prefix: 0 }), prefix: 0 }, dev: 'uplink' });
    setSysctl(gw, net.addr.family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding', '1');
  }
}

/**
 * `ip netns add NODE`, `eth0` on its network (the node network, or its underlay network with
 * that network's MTU) with the node's addresses, sysctls, and the default route via the
 * network's gateway when it has one.
 */
export function buildNode(world: World, node: Node, at: NodeAttachment): void {
  addNetns(world, node.name);
  setLinkUp(world, node.name, 'lo');
  attachToSegment(world, { segment: at.segment, ns: node.name, dev: 'eth0', mac: macFromSeed(`${node.name}/eth0`), ...(at.mtu !== undefined ? { mtu: at.mtu } : {}), ...(at.portMtu !== undefined ? { portMtu: at.portMtu } : {}) });
  setLinkUp(world, node.name, 'eth0');
  const ns = getNetns(world, node.name);
  const nets = at.secondary === undefined ? [at] : [at, at.secondary];
  for (const { cidr: net } of nets) {
    for (const addr of node.internalIPs) {
      if (addr.family === net.addr.family) addAddress(ns, { dev: 'eth0', cidr: { addr, prefix: net.prefix } });
    }
  }
  for (const cidr of node.extraAddresses ?? []) addAddress(ns, { dev: 'eth0', cidr });
  for (const dev of node.extraInterfaces ?? []) {
    addDummy(ns, dev.name);
    setLinkUp(world, node.name, dev.name);
    for (const cidr of dev.addresses) addAddress(ns, { dev: dev.name, cidr });
  }
  for (const [key, value] of NODE_SYSCTLS) setSysctl(ns, key, value);
  for (const { cidr: net, gateway } of nets) {
    if (gateway !== undefined) addRoute(ns, { dst: { addr: networkOf({ addr: net.addr, prefix: 0 }), prefix: 0 }, via: gateway, dev: 'eth0' });
  }
}

/** Where a node's `eth0` goes (built by the single node network or by underlay.ts). */
export interface NodeAttachment {
  /** The segment namespace. */
  readonly segment: string;
  readonly cidr: Cidr;
  readonly gateway?: Ip;
  /** Absent on the single node network, which keeps the device default. */
  readonly mtu?: number;
  /** The MTU of the segment's port (what the network carries), when it differs. */
  readonly portMtu?: number;
  /** The second family's prefix and gateway on a dual-stack node network. */
  readonly secondary?: { readonly cidr: Cidr; readonly gateway: Ip };
}
