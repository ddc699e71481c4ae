/**
 * Nodes as kubeadm leaves them: a namespace with `lo` and `eth0` on the shared node network,
 * the node IP on `eth0`, forwarding on, and `br_netfilter` loaded with
 * `net.bridge.bridge-nf-call-iptables=1`, as Kubernetes requires for bridged pod traffic.
 */
import { type Cidr } from '../../addr/cidr.js';
import { macFromSeed } from '../../addr/mac.js';
import { addAddress } from '../../kernel/addr.js';
import { setLinkUp } from '../../kernel/link/link.js';
import { addSegment, attachToSegment } from '../../kernel/segment.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, addNetns, getNetns } from '../../kernel/world.js';
import type { Node } from '../objects.js';
import { NODE_SEGMENT } from './names.js';

/** Sysctls every node gets (kubeadm's preflight requirements). */
export const NODE_SYSCTLS: readonly (readonly [string, string])[] = [
  ['net.ipv4.ip_forward', '1'],
  ['net.ipv6.conf.all.forwarding', '1'],
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.bridge.bridge-nf-call-ip6tables', '1'],
];

/** Creates the node network segment. */
export function buildNodeNetwork(world: World): void {
  addSegment(world, NODE_SEGMENT);
}

/** `ip netns add NODE`, `eth0` on the node network with the node's addresses, sysctls. */
export function buildNode(world: World, node: Node, nodeNetwork: Cidr): void {
  addNetns(world, node.name);
  setLinkUp(world, node.name, 'lo');
  attachToSegment(world, { segment: NODE_SEGMENT, ns: node.name, dev: 'eth0', mac: macFromSeed(`${node.name}/eth0`) });
  setLinkUp(world, node.name, 'eth0');
  const ns = getNetns(world, node.name);
  for (const addr of node.internalIPs) {
    if (addr.family === nodeNetwork.addr.family) addAddress(ns, { dev: 'eth0', cidr: { addr, prefix: nodeNetwork.prefix } });
  }
  for (const [key, value] of NODE_SYSCTLS) setSysctl(ns, key, value);
}
