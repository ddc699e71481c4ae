/**
 * calico-node's start on one node, before any pod (calico.yaml's DaemonSet: the `startup`
 * binary, then Felix), as the kernel is left by it:
 *
 * 1. `/var/lib/calico/nodename` (the node's name) and `/var/lib/calico/mtu` (the pod MTU it
 *    detected) for the CNI plugin;
 * 2. IPIP (a pool with `ipipMode` ≠ Never): `tunl0`, the ipip module's fallback device (`ipip any
 *    remote any local any ttl inherit`), MTU = host MTU − 20, the node's IPIP tunnel address /32, up;
 * 3. VXLAN (`vxlanMode` ≠ Never): `vxlan.calico` (VNI 4096, dstport 4789, `local <node IP> dev
 *    eth0`, `nolearning`, MTU = host MTU − 50, MAC from the node name as Felix derives it), the
 *    VXLAN tunnel address /32, up; `vxlan-v6.calico` likewise for IPv6 pools (− 70);
 * 4. forwarding on (`net.ipv4.ip_forward=1`, `net.ipv6.conf.all.forwarding=1` with IPv6 pools).
 *
 * The tunnel addresses are calico-ipam's (the first address of the node's first block, handle
 * `ipip-tunnel-addr-<node>` / `vxlan-tunnel-addr-<node>`); the caller allocates them and hands
 * them in. Felix's iptables are not part of this step.
 */
import type { Ip } from '../../addr/ip.js';
import { CALICO_MTU_PATH, CALICO_NODENAME_PATH, calicoVtepMac } from '../../cni/calico/names.js';
import { addAddress } from '../../kernel/addr.js';
import { addIpip, addVxlan, getLink, setLinkUp } from '../../kernel/link/link.js';
import { setSysctl } from '../../kernel/sysctl.js';
import { type World, getNetns } from '../../kernel/world.js';
import type { CalicoCniConfig, ClusterConfig, Node } from '../objects.js';

/** Calico's tunnel devices and their fixed parameters. */
export const CALICO_TUNNELS = {
  ipip: { dev: 'tunl0', overhead: 20 },
  vxlan: { dev: 'vxlan.calico', vni: 4096, dstport: 4789, overhead: 50 },
  vxlanV6: { dev: 'vxlan-v6.calico', vni: 4096, dstport: 4789, overhead: 70 },
} as const;

/** Which encapsulations the (enabled) pools turn on, per family. */
export interface CalicoEncaps {
  readonly ipip: boolean;
  readonly vxlan: boolean;
  readonly vxlanV6: boolean;
}

/** The encapsulations some enabled pool uses (Felix enables a tunnel when any pool needs it). */
export function calicoEncaps(cfg: CalicoCniConfig): CalicoEncaps {
  const pools = cfg.ipPools.filter((p) => !p.disabled);
  return {
    ipip: pools.some((p) => p.cidr.addr.family === 4 && p.ipipMode !== 'Never'),
    vxlan: pools.some((p) => p.cidr.addr.family === 4 && p.vxlanMode !== 'Never'),
    vxlanV6: pools.some((p) => p.cidr.addr.family === 6 && p.vxlanMode !== 'Never'),
  };
}

/**
 * The pod MTU calico-node writes to /var/lib/calico/mtu: `veth_mtu` when set, else the host MTU
 * minus the largest overhead of the enabled encapsulations (20 IPIP, 50 VXLAN, 70 VXLAN over
 * IPv6; 0 with none), as Felix takes the smallest of the enabled tunnels' MTUs.
 */
export function calicoMtu(cfg: CalicoCniConfig, hostMtu: number): number {
  if (cfg.mtu !== 'auto') return cfg.mtu;
  const e = calicoEncaps(cfg);
  const overheads = [0, e.ipip ? CALICO_TUNNELS.ipip.overhead : 0, e.vxlan ? CALICO_TUNNELS.vxlan.overhead : 0, e.vxlanV6 ? CALICO_TUNNELS.vxlanV6.overhead : 0];
  return hostMtu - Math.max(...overheads);
}

/** What {@link startCalicoNode} needs. */
export interface CalicoNodeInput {
  readonly cluster: ClusterConfig;
  readonly cfg: CalicoCniConfig;
  readonly node: Node;
  /** The node's IPIP tunnel address (`ipip-tunnel-addr-<node>`), when IPIP is on. */
  readonly tunnelAddr?: Ip;
  /** The node's VXLAN tunnel address (`vxlan-tunnel-addr-<node>`), when VXLAN is on. */
  readonly vxlanTunnelAddr?: Ip;
  /** The node's IPv6 VXLAN tunnel address, when an IPv6 pool uses VXLAN. */
  readonly tunnelAddrV6?: Ip;
  /** The node's CNI plugin store (its /var/lib/calico files). */
  readonly store: Record<string, string>;
}

/** calico-node's start on one node: files for the plugin, tunnel devices, sysctls. */
export function startCalicoNode(world: World, input: CalicoNodeInput): void {
  const { cfg, node } = input;
  const ns = getNetns(world, node.name);
  const hostMtu = getLink(ns, 'eth0').mtu;
  const encaps = calicoEncaps(cfg);
  input.store[CALICO_NODENAME_PATH] = node.name;
  input.store[CALICO_MTU_PATH] = String(calicoMtu(cfg, hostMtu));
  const v4 = node.internalIPs.find((a) => a.family === 4);
  const v6 = node.internalIPs.find((a) => a.family === 6);
  if (encaps.ipip) {
    addIpip(ns, CALICO_TUNNELS.ipip.dev, { mtu: hostMtu - CALICO_TUNNELS.ipip.overhead, ttl: 'inherit' });
    if (input.tunnelAddr !== undefined) addAddress(ns, { dev: CALICO_TUNNELS.ipip.dev, cidr: { addr: input.tunnelAddr, prefix: 32 } });
    setLinkUp(world, node.name, CALICO_TUNNELS.ipip.dev);
  }
  if (encaps.vxlan && v4 !== undefined) addVtep(world, node, { ...CALICO_TUNNELS.vxlan, family: 4, local: v4, hostMtu, ...(input.vxlanTunnelAddr !== undefined ? { addr: input.vxlanTunnelAddr } : {}) });
  if (encaps.vxlanV6 && v6 !== undefined) addVtep(world, node, { ...CALICO_TUNNELS.vxlanV6, family: 6, local: v6, hostMtu, ...(input.tunnelAddrV6 !== undefined ? { addr: input.tunnelAddrV6 } : {}) });
  setSysctl(ns, 'net.ipv4.ip_forward', '1');
  if (cfg.ipPools.some((p) => p.cidr.addr.family === 6)) setSysctl(ns, 'net.ipv6.conf.all.forwarding', '1');
}

/** Felix's `configureVXLANDevice`: the device, its MTU, its one address, up. */
function addVtep(world: World, node: Node, v: { dev: string; vni: number; dstport: number; overhead: number; family: 4 | 6; local: Ip; hostMtu: number; addr?: Ip }): void {
  const ns = getNetns(world, node.name);
  addVxlan(ns, v.dev, { vni: v.vni, local: v.local, dev: 'eth0', dstport: v.dstport, learning: false, mtu: v.hostMtu - v.overhead, mac: calicoVtepMac(node.name, v.family) });
  if (v.addr !== undefined) addAddress(ns, { dev: v.dev, cidr: { addr: v.addr, prefix: v.family === 4 ? 32 : 128 } });
  setLinkUp(world, node.name, v.dev);
}
