/**
 * The routes Felix's VXLAN route manager programs once every node has its blocks and pods,
 * computed from calico-ipam's blocks ({@link CalicoIpamView}), for VXLAN pools only (BIRD
 * programs the others: see bgp-run.ts):
 *
 * - each block affine to the node: `blackhole <block> proto 80` (Felix's `blackholeRoutes`,
 *   its `VXLANDefaultProto`);
 * - each block affine to another node, and each address used on a node other than its block's
 *   (a borrowed /32), towards that node:
 *   - `Always`, or `CrossSubnet` to a peer outside the node's subnet: `via <peer's VXLAN tunnel
 *     IP> dev vxlan.calico onlink`, with Felix's default protocol (boot: no `proto` printed),
 *     plus per peer the PERMANENT neighbour (tunnel IP → VTEP MAC) and the FDB entry (VTEP MAC
 *     → node IP);
 *   - `CrossSubnet` to a peer in the node's own subnet (the prefix of its address on eth0, as
 *     calico-node autodetects it): `via <node IP> dev eth0 proto 80 onlink` (Felix's no-encap
 *     route). A route the kernel refuses is returned as refused, with a CALICO_ROUTE_REFUSED
 *     warning, as Felix only logs the error.
 *
 * The per-pod `/32 dev caliX` routes are the CNI plugin's (cni/calico/dataplane.ts).
 */
import { type Cidr, cidrContains, formatCidr } from '../../addr/cidr.js';
import { type Ip, formatIp } from '../../addr/ip.js';
import { type Diagnostic, warning } from '../../diag/diagnostic.js';
import type { CalicoIpamView, IpamBlockView } from '../../cni/calico/ipam/view.js';
import { calicoVtepMac } from '../../cni/calico/names.js';
import { devAddrs } from '../../kernel/addr.js';
import { CommandError } from '../../kernel/errors.js';
import { addVxlanFdbEntry } from '../../kernel/link/fdb.js';
import { addNeigh } from '../../kernel/neigh.js';
import type { Netns } from '../../kernel/netns.js';
import { type RouteSpec, addRoute } from '../../kernel/route/table.js';
import { type World, getNetns } from '../../kernel/world.js';
import type { CalicoCniConfig, CalicoIPPool, ClusterConfig, Node } from '../objects.js';
import { CALICO_TUNNELS } from './calico.js';
import type { RefusedRoute } from './routes.js';

/** The protocol Felix gives its no-encap and blackhole routes (`dataplanedefs.VXLANDefaultProto`). */
export const FELIX_ROUTE_PROTO = '80';

/** What {@link programCalicoRoutes} needs. */
export interface CalicoRoutesInput {
  readonly cluster: ClusterConfig;
  readonly cfg: CalicoCniConfig;
  readonly nodes: readonly Node[];
  readonly view: CalicoIpamView;
}

/** What calico-node could not program: warnings and the routes the kernel refused. */
export interface CalicoRoutesOutcome {
  readonly diagnostics: Diagnostic[];
  readonly refused: RefusedRoute[];
}

/** One destination to route towards a node. */
interface Target {
  readonly dst: Cidr;
  readonly peer: Node;
  readonly pool: CalicoIPPool | undefined;
}

/** Programs every node's routes to blocks and borrowed addresses; returns what the kernel refused. */
export function programCalicoRoutes(world: World, input: CalicoRoutesInput): CalicoRoutesOutcome {
  const out: CalicoRoutesOutcome = { diagnostics: [], refused: [] };
  for (const node of input.nodes) {
    const ns = world.netns[node.name];
    if (ns === undefined) continue;
    addBlackholes(ns, input, node);
    addVteps(world, ns, input.nodes, node);
    for (const t of targets(input, node)) {
      const spec = routeTo(world, ns, t);
      if (spec === undefined) continue;
      try {
        addRoute(ns, spec);
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        const refused: RefusedRoute = { ns: node.name, dst: t.dst, via: spec.via ?? t.dst.addr, dev: spec.dev ?? '', command: e.command, answer: e.answer };
        out.refused.push(refused);
        out.diagnostics.push(warning('CALICO_ROUTE_REFUSED', refusedText(refused, t.peer), node.pos));
      }
    }
  }
  return out;
}

function refusedText(r: RefusedRoute, peer: Node): string {
  return `Felix on ${r.ns}: ${r.command}: ${r.answer} (towards ${peer.name}, ${formatIp(r.via)}), so ${formatCidr(r.dst)} follows the default route`;
}

function poolOf(cfg: CalicoCniConfig, block: IpamBlockView): CalicoIPPool | undefined {
  return cfg.ipPools.find((p) => p.name === block.pool) ?? cfg.ipPools.find((p) => cidrContains(p.cidr, block.cidr.addr));
}

const isVxlan = (pool: CalicoIPPool | undefined) => pool !== undefined && pool.vxlanMode !== 'Never';

/** Felix's blackhole for each VXLAN-pool block affine to the node. */
function addBlackholes(ns: Netns, input: CalicoRoutesInput, node: Node): void {
  for (const b of input.view.blocks) {
    if (b.node !== node.name || !isVxlan(poolOf(input.cfg, b))) continue;
    addRoute(ns, { type: 'blackhole', dst: b.cidr, proto: FELIX_ROUTE_PROTO });
  }
}

/** The destinations the node routes to other nodes: their blocks, then addresses borrowed away from a block's node. */
function targets(input: CalicoRoutesInput, node: Node): Target[] {
  const byName = new Map(input.nodes.map((n) => [n.name, n]));
  const out: Target[] = [];
  for (const b of input.view.blocks) {
    const pool = poolOf(input.cfg, b);
    if (!isVxlan(pool)) continue;
    const owner = b.node === undefined ? undefined : byName.get(b.node);
    if (owner !== undefined && owner.name !== node.name) out.push({ dst: b.cidr, peer: owner, pool });
    for (const a of b.allocations) {
      const user = byName.get(a.node);
      if (user === undefined || user.name === node.name || a.node === b.node) continue;
      out.push({ dst: { addr: a.ip, prefix: a.ip.family === 4 ? 32 : 128 }, peer: user, pool });
    }
  }
  return out;
}

/** The node's own subnet on eth0 (what calico-node autodetects as its BGP address and prefix). */
function ownSubnet(ns: Netns, family: 4 | 6): Cidr | undefined {
  return devAddrs(ns, 'eth0', family).find((a) => a.scope === 'global')?.cidr;
}

/** Felix's route towards the peer for one destination of a VXLAN pool. */
function routeTo(world: World, ns: Netns, t: Target): RouteSpec | undefined {
  const family = t.dst.addr.family;
  const peerIp = t.peer.internalIPs.find((a) => a.family === family);
  if (peerIp === undefined || t.pool === undefined) return undefined;
  const subnet = ownSubnet(ns, family);
  const sameSubnet = subnet !== undefined && cidrContains(subnet, peerIp);
  if (t.pool.vxlanMode === 'CrossSubnet' && sameSubnet) return { dst: t.dst, via: peerIp, dev: 'eth0', proto: FELIX_ROUTE_PROTO, onlink: true };
  const vtep = vtepOf(world, t.peer, family);
  const dev = family === 4 ? CALICO_TUNNELS.vxlan.dev : CALICO_TUNNELS.vxlanV6.dev;
  return vtep === undefined ? undefined : { dst: t.dst, via: vtep, dev, onlink: true };
}

/** The peer's VXLAN tunnel address: the one address on its VXLAN device (what its Node object publishes). */
function vtepOf(world: World, peer: Node, family: 4 | 6): Ip | undefined {
  const ns = world.netns[peer.name];
  const dev = family === 4 ? CALICO_TUNNELS.vxlan.dev : CALICO_TUNNELS.vxlanV6.dev;
  return ns === undefined ? undefined : devAddrs(ns, dev, family).find((a) => a.scope === 'global')?.cidr.addr;
}

/** Felix's `updateNeighborsAndAllowedSources`: for every other node with a VTEP, its neighbour and FDB entries. */
function addVteps(world: World, ns: Netns, nodes: readonly Node[], node: Node): void {
  for (const family of [4, 6] as const) {
    const dev = family === 4 ? CALICO_TUNNELS.vxlan.dev : CALICO_TUNNELS.vxlanV6.dev;
    if (ns.links[dev] === undefined) continue;
    for (const peer of nodes) {
      if (peer.name === node.name) continue;
      const tunnelIp = vtepOf(world, peer, family);
      const hostIp = peer.internalIPs.find((a) => a.family === family);
      if (tunnelIp === undefined || hostIp === undefined) continue;
      const mac = getNetns(world, peer.name).links[dev]?.mac ?? calicoVtepMac(peer.name, family);
      addNeigh(ns, { dev, ip: tunnelIp, mac, state: 'PERMANENT' });
      addVxlanFdbEntry(ns, { dev, mac, dst: hostIp });
    }
  }
}
