/**
 * flanneld on each node, as kube-flannel's DaemonSet leaves it (flannel-io/flannel with
 * `--kube-subnet-mgr --ip-masq`):
 *
 * 1. the lease is the node's `spec.podCIDR`; `/run/flannel/subnet.env` is written for the CNI
 *    plugin (`WriteSubnetFile`);
 * 2. vxlan backend: `flannel.1` (`newVXLANDevice`: VNI 1, `local <node IP> dev eth0`, dstport 0
 *    → the kernel's 8472, `nolearning`), with the lease's network address as /32
 *    (`vxlanDevice.Configure`), then up;
 * 3. per remote lease (`handleSubnetEvents`): vxlan adds the PERMANENT neighbour `<subnet>.0 →
 *    VTEP MAC`, the FDB entry `VTEP MAC → node IP` and `<subnet> via <subnet>.0 dev flannel.1
 *    onlink`, in that order so the kernel never has to resolve anything on flannel.1; with
 *    DirectRouting a peer whose IP is reached without a gateway gets `<subnet> via <node IP> dev
 *    eth0` instead. host-gw always installs that plain route (`hostgw` backend, `RouteNetwork`);
 * 4. its iptables (pkg/trafficmngr/iptables `masqRules`, `forwardRules`): FLANNEL-POSTRTG
 *    appended to nat POSTROUTING (with `--ip-masq`) and FLANNEL-FWD to filter FORWARD, after
 *    kube-proxy's jumps, which kube-proxy inserts at the top.
 *
 * With net-conf.json's `EnableIPv6` (dual-stack) each step is done again for the IPv6 lease, the
 * node's second podCIDR: a second VXLAN device `flannel-v6.1` (same VNI and port, `local <node
 * IPv6>`, its own MAC) holding `<lease>::/128` (`ConfigureIPv6`), the IPv6 neighbour, FDB entry
 * and onlink route per peer (`AddV6ARP`, `AddV6FDB`), or host-gw's `<lease> via <node IPv6> dev
 * eth0`; FLANNEL_IPV6_NETWORK/SUBNET in subnet.env; and the same chains in ip6tables
 * (`masqIP6Rules`: multicast is ff00::/8 there).
 *
 * Everything goes through the kernel's verbs; a route the kernel refuses (a host-gw peer that is
 * not on this L2 network: "Nexthop has invalid gateway") becomes a diagnostic, as flanneld only
 * logs it and retries.
 */
import { type Cidr, formatCidr, networkOf } from '../../addr/cidr.js';
import { type Family, type Ip, formatIp, ipAdd } from '../../addr/ip.js';
import { type Diagnostic, InternalError, warning } from '../../diag/diagnostic.js';
import { SUBNET_ENV_PATH, formatSubnetEnv } from '../../cni/flannel/subnet-env.js';
import { addAddress } from '../../kernel/addr.js';
import { CommandError } from '../../kernel/errors.js';
import { addVxlanFdbEntry } from '../../kernel/link/fdb.js';
import { addVxlan, getLink, setLinkUp } from '../../kernel/link/link.js';
import { addNeigh } from '../../kernel/neigh.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { addRoute, lookupTable } from '../../kernel/route/table.js';
import { type World, getNetns } from '../../kernel/world.js';
import { familyNetworks } from '../families.js';
import type { ClusterConfig, FlannelCniConfig, Node } from '../objects.js';
import type { RefusedRoute } from './routes.js';

/** flannel's VXLAN devices and their fixed parameters (`vxlan` backend defaults: `flannel.<VNI>`, `flannel-v6.<VNI>`). */
export const FLANNEL_VXLAN = { dev: 'flannel.1', dev6: 'flannel-v6.1', vni: 1, dstport: 8472, overhead: 50 } as const;

/** The kube-proxy mark flannel leaves to KUBE-POSTROUTING (`trafficmngr.KubeProxyMark`). */
const KUBE_PROXY_MARK = '0x4000/0x4000';

/** One family flanneld runs: its net-conf.json network and its VXLAN device. */
interface FlannelFamily {
  readonly family: Family;
  /** `Network` or `IPv6Network`. */
  readonly network: Cidr;
  readonly dev: string;
}

/** The families of net-conf.json: IPv4 (`Network`, the cluster's IPv4 clusterCIDR), then IPv6 with `EnableIPv6`. */
export function flannelFamilies(cluster: ClusterConfig, cfg: FlannelCniConfig): FlannelFamily[] {
  const v4 = familyNetworks(cluster, 4)?.clusterCIDR;
  return [
    ...(v4 === undefined ? [] : [{ family: 4 as const, network: v4, dev: FLANNEL_VXLAN.dev }]),
    ...(cfg.ipv6Network === undefined ? [] : [{ family: 6 as const, network: cfg.ipv6Network, dev: FLANNEL_VXLAN.dev6 }]),
  ];
}

/** The node's lease of a family: its podCIDR of that family (`--kube-subnet-mgr`). */
function leaseOf(node: Node, family: Family): Cidr | undefined {
  return node.podCIDRs.find((c) => c.addr.family === family);
}

/** FLANNEL_MTU: the configured one, else the external interface's minus the backend's overhead. */
export function flannelMtu(cfg: FlannelCniConfig, extMtu: number): number {
  if (cfg.mtu !== 'auto') return cfg.mtu;
  return cfg.backend === 'vxlan' ? extMtu - FLANNEL_VXLAN.overhead : extMtu;
}

/** The lease's first host address with the lease's prefix, as subnet.env writes it. */
function firstAddress(lease: Cidr): Cidr {
  return { addr: ipAdd(networkOf(lease), 1n), prefix: lease.prefix };
}

/** flanneld's start on one node: devices, subnet.env and iptables/ip6tables. */
export function startFlanneld(world: World, input: { cluster: ClusterConfig; cfg: FlannelCniConfig; node: Node; store: Record<string, string> }): void {
  const { cluster, cfg, node } = input;
  const ns = getNetns(world, node.name);
  const requested = flannelMtu(cfg, getLink(ns, 'eth0').mtu);
  let mtu: number | undefined;
  const env = { networks: [] as Cidr[], ipv6Networks: [] as Cidr[], subnet: undefined as Cidr | undefined, ipv6Subnet: undefined as Cidr | undefined };
  for (const fam of flannelFamilies(cluster, cfg)) {
    const lease = leaseOf(node, fam.family);
    const nodeIp = node.internalIPs.find((a) => a.family === fam.family);
    if (lease === undefined || nodeIp === undefined) continue;
    if (cfg.backend === 'vxlan') {
      addVxlan(ns, fam.dev, { vni: FLANNEL_VXLAN.vni, local: nodeIp, dev: 'eth0', dstport: 0, learning: false, mtu: requested });
      addAddress(ns, { dev: fam.dev, cidr: { addr: networkOf(lease), prefix: fam.family === 4 ? 32 : 128 } });
      setLinkUp(world, node.name, fam.dev);
    }
    // flanneld reads flannel.1 back (vxlanDevice.MTU() after ensureLink's LinkByIndex): an MTU
    // the kernel cut down to eth0's minus 50 is what FLANNEL_MTU, cni0 and the pods get. The
    // IPv6 device does not set it: the kernel cuts flannel-v6.1 to eth0's minus 70 (an IPv6
    // outer header), below the pods' MTU.
    mtu ??= cfg.backend === 'vxlan' ? getLink(ns, fam.dev).mtu : requested;
    if (fam.family === 4) {
      env.networks.push(fam.network);
      env.subnet = firstAddress(lease);
    } else {
      env.ipv6Networks.push(fam.network);
      env.ipv6Subnet = firstAddress(lease);
    }
    const r = iptablesRestore(ns.netfilter, flannelIptables(fam.network, lease, cfg.ipMasq), { file: 'flanneld', family: fam.family, noflush: true });
    if (r.diagnostics.length > 0) throw new InternalError(`flanneld's rules do not load: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
  if (mtu === undefined) return;
  const { subnet, ipv6Subnet, ...nets } = env;
  input.store[SUBNET_ENV_PATH] = formatSubnetEnv({ ...nets, ...(subnet === undefined ? {} : { subnet }), ...(ipv6Subnet === undefined ? {} : { ipv6Subnet }), mtu, ipMasq: cfg.ipMasq });
}

/**
 * flanneld's iptables-restore payload for one family: `masqRules` (`masqIP6Rules` for IPv6, with
 * `--ip-masq`) then `forwardRules`, rule for rule in its order, MASQUERADE with `--random-fully`
 * (iptables ≥ 1.6.2 has it). Multicast is 224.0.0.0/4 in IPv4 and ff00::/8 in IPv6.
 */
export function flannelIptables(clusterCIDR: Cidr, lease: Cidr, ipMasq: boolean): string {
  const c = formatCidr(clusterCIDR);
  const s = formatCidr(lease);
  const multicast = clusterCIDR.addr.family === 4 ? '224.0.0.0/4' : 'ff00::/8';
  const masq = '-m comment --comment "flanneld masq"';
  const fwd = '-m comment --comment "flanneld forward"';
  const nat = [
    '*nat',
    ':FLANNEL-POSTRTG - [0:0]',
    `-A POSTROUTING ${masq} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark ${KUBE_PROXY_MARK} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${s} -d ${c} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${c} -d ${s} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${c} -d ${s} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${c} ! -d ${multicast} ${masq} -j MASQUERADE --random-fully`,
    `-A FLANNEL-POSTRTG ! -s ${c} -d ${c} ${masq} -j MASQUERADE --random-fully`,
    'COMMIT',
  ];
  const filter = ['*filter', ':FLANNEL-FWD - [0:0]', `-A FORWARD ${fwd} -j FLANNEL-FWD`, `-A FLANNEL-FWD -s ${c} ${fwd} -j ACCEPT`, `-A FLANNEL-FWD -d ${c} ${fwd} -j ACCEPT`, 'COMMIT'];
  return [...(ipMasq ? nat : []), ...filter, ''].join('\n');
}

/** What flanneld could not do: warnings, and the routes the kernel refused (for the tracer's notes). */
export interface FlannelOutcome {
  readonly diagnostics: Diagnostic[];
  readonly refused: RefusedRoute[];
}

/** flanneld on every node of a flannel cluster, then every lease on every node; the nodes' plugin stores get subnet.env. */
export function startFlannel(world: World, cluster: ClusterConfig, nodes: readonly Node[], stores: Record<string, Record<string, string>>): FlannelOutcome {
  const cfg = cluster.cni;
  if (cfg.type !== 'flannel') return { diagnostics: [], refused: [] };
  for (const node of nodes) startFlanneld(world, { cluster, cfg, node, store: (stores[node.name] ??= {}) });
  return addFlannelPeers(world, cfg, nodes, flannelFamilies(cluster, cfg).map((f) => f.family));
}

/** Every node learns every other node's lease (the subnet watch), and programs it: IPv4, then IPv6 (`handleSubnetEvents`). */
export function addFlannelPeers(world: World, cfg: FlannelCniConfig, nodes: readonly Node[], families: readonly Family[] = [4]): FlannelOutcome {
  const out: Diagnostic[] = [];
  const refused: RefusedRoute[] = [];
  for (const node of nodes) {
    for (const peer of nodes) {
      if (peer.name === node.name) continue;
      for (const family of families) {
        const lease = leaseOf(peer, family);
        const peerIp = peer.internalIPs.find((a) => a.family === family);
        if (lease === undefined || peerIp === undefined) continue;
        try {
          addPeer(world, cfg, node, { name: peer.name, lease, ip: peerIp });
        } catch (e) {
          if (!(e instanceof CommandError)) throw e;
          out.push(warning('FLANNEL_ROUTE_FAILED', `flanneld on ${node.name}: cannot route ${formatCidr(lease)} of ${peer.name} via ${formatIp(peerIp)}: ${e.answer}`, peer.pos));
          refused.push({ ns: node.name, dst: lease, via: peerIp, dev: 'eth0', command: e.command, answer: e.answer });
        }
      }
    }
  }
  return { diagnostics: out, refused };
}

/** One remote lease of one family on one node (vxlan `handleSubnetEvents`, hostgw `RouteNetwork`). */
function addPeer(world: World, cfg: FlannelCniConfig, node: Node, peer: { name: string; lease: Cidr; ip: Ip }): void {
  const ns = getNetns(world, node.name);
  const dst = { addr: networkOf(peer.lease), prefix: peer.lease.prefix };
  // DirectRouting asks the kernel (`ip route get <node IP>`): a route without a gateway means
  // the peer is on one of this node's networks.
  const toPeer = cfg.directRouting ? lookupTable(ns, 254, peer.ip) : undefined;
  const direct = cfg.backend === 'host-gw' || (toPeer !== undefined && toPeer.via === undefined);
  if (direct) {
    addRoute(ns, { dst, via: peer.ip, dev: 'eth0' });
    return;
  }
  const dev = peer.ip.family === 4 ? FLANNEL_VXLAN.dev : FLANNEL_VXLAN.dev6;
  const vtep = getLink(getNetns(world, peer.name), dev).mac;
  const gw = networkOf(peer.lease);
  addNeigh(ns, { dev, ip: gw, mac: vtep, state: 'PERMANENT' });
  addVxlanFdbEntry(ns, { dev, mac: vtep, dst: peer.ip });
  addRoute(ns, { dst, via: gw, dev, onlink: true });
}
