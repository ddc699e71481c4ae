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
 * Everything goes through the kernel's verbs; a route the kernel refuses (a host-gw peer that is
 * not on this L2 network: "Nexthop has invalid gateway") becomes a diagnostic, as flanneld only
 * logs it and retries.
 */
import { type Cidr, formatCidr, networkOf } from '../../addr/cidr.js';
import { type Ip, formatIp, ipAdd } from '../../addr/ip.js';
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
import type { ClusterConfig, FlannelCniConfig, Node } from '../objects.js';
import type { RefusedRoute } from './routes.js';

/** flannel's VXLAN device and its fixed parameters (`vxlan` backend defaults). */
export const FLANNEL_VXLAN = { dev: 'flannel.1', vni: 1, dstport: 8472, overhead: 50 } as const;

/** The kube-proxy mark flannel leaves to KUBE-POSTROUTING (`trafficmngr.KubeProxyMark`). */
const KUBE_PROXY_MARK = '0x4000/0x4000';

/** The node's lease: its podCIDR (`--kube-subnet-mgr`). */
function leaseOf(node: Node): Cidr | undefined {
  return node.podCIDRs.find((c) => c.addr.family === 4);
}

/** FLANNEL_MTU: the configured one, else the external interface's minus the backend's overhead. */
export function flannelMtu(cfg: FlannelCniConfig, extMtu: number): number {
  if (cfg.mtu !== 'auto') return cfg.mtu;
  return cfg.backend === 'vxlan' ? extMtu - FLANNEL_VXLAN.overhead : extMtu;
}

/** flanneld's start on one node: device, subnet.env and iptables. */
export function startFlanneld(world: World, input: { cluster: ClusterConfig; cfg: FlannelCniConfig; node: Node; store: Record<string, string> }): void {
  const { cluster, cfg, node } = input;
  const lease = leaseOf(node);
  const nodeIp = node.internalIPs.find((a) => a.family === 4);
  if (lease === undefined || nodeIp === undefined) return;
  const ns = getNetns(world, node.name);
  let mtu = flannelMtu(cfg, getLink(ns, 'eth0').mtu);
  if (cfg.backend === 'vxlan') {
    addVxlan(ns, FLANNEL_VXLAN.dev, { vni: FLANNEL_VXLAN.vni, local: nodeIp, dev: 'eth0', dstport: 0, learning: false, mtu });
    // flanneld reads the device back (vxlanDevice.MTU() after ensureLink's LinkByIndex): an MTU
    // the kernel cut down to eth0's minus 50 is what FLANNEL_MTU, cni0 and the pods get.
    mtu = getLink(ns, FLANNEL_VXLAN.dev).mtu;
    addAddress(ns, { dev: FLANNEL_VXLAN.dev, cidr: { addr: networkOf(lease), prefix: 32 } });
    setLinkUp(world, node.name, FLANNEL_VXLAN.dev);
  }
  const first = { addr: ipAdd(networkOf(lease), 1n), prefix: lease.prefix };
  input.store[SUBNET_ENV_PATH] = formatSubnetEnv({ network: cluster.clusterCIDR, subnet: first, mtu, ipMasq: cfg.ipMasq });
  const r = iptablesRestore(ns.netfilter, flannelIptables(cluster.clusterCIDR, lease, cfg.ipMasq), { file: 'flanneld', family: 4, noflush: true });
  if (r.diagnostics.length > 0) throw new InternalError(`flanneld's rules do not load: ${r.diagnostics.map((d) => d.message).join('; ')}`);
}

/**
 * flanneld's iptables-restore payload: `masqRules` (with `--ip-masq`) then `forwardRules`, rule for
 * rule in its order, MASQUERADE with `--random-fully` (iptables ≥ 1.6.2 has it).
 */
export function flannelIptables(clusterCIDR: Cidr, lease: Cidr, ipMasq: boolean): string {
  const c = formatCidr(clusterCIDR);
  const s = formatCidr(lease);
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
    `-A FLANNEL-POSTRTG -s ${c} ! -d 224.0.0.0/4 ${masq} -j MASQUERADE --random-fully`,
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
  return addFlannelPeers(world, cfg, nodes);
}

/** Every node learns every other node's lease (the subnet watch), and programs it. */
export function addFlannelPeers(world: World, cfg: FlannelCniConfig, nodes: readonly Node[]): FlannelOutcome {
  const out: Diagnostic[] = [];
  const refused: RefusedRoute[] = [];
  for (const node of nodes) {
    for (const peer of nodes) {
      if (peer.name === node.name) continue;
      const lease = leaseOf(peer);
      const peerIp = peer.internalIPs.find((a) => a.family === 4);
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
  return { diagnostics: out, refused };
}

/** One remote lease on one node (vxlan `handleSubnetEvents`, hostgw `RouteNetwork`). */
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
  const vtep = getLink(getNetns(world, peer.name), FLANNEL_VXLAN.dev).mac;
  const gw = networkOf(peer.lease);
  addNeigh(ns, { dev: FLANNEL_VXLAN.dev, ip: gw, mac: vtep, state: 'PERMANENT' });
  addVxlanFdbEntry(ns, { dev: FLANNEL_VXLAN.dev, mac: vtep, dst: peer.ip });
  addRoute(ns, { dst, via: gw, dev: FLANNEL_VXLAN.dev, onlink: true });
}
