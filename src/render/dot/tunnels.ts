/**
 * The overlay tunnels of the cluster view: which node's tunnel device sends to which other
 * node's, read from what the plugin programmed rather than from knowing the plugin. A tunnel is
 * drawn where a node routes something through its tunnel device (`ip route … via G dev T`) and
 * the gateway resolves to another node's address on the outside:
 * - IP-in-IP (`ip tunnel … mode ipip`): the outer destination is the device's fixed `remote`,
 *   else the route's gateway itself (Calico's `via <node IP> dev tunl0 onlink`);
 * - VXLAN: the gateway's neighbour entry on the device gives a MAC, the device's FDB entry for
 *   that MAC gives the outer destination (`bridge fdb … dst <node IP>`), as the kernel's
 *   `vxlan_xmit` resolves it (flannel's `flannel.1`, Calico's `vxlan.calico`).
 * Deriving tunnels from routes draws Calico's CrossSubnet mode right: peers on the node's own
 * subnet are routed via `eth0`, so only the encapsulated pairs get an edge, although Felix
 * programs FDB entries for every VTEP.
 */
import { formatIp, ipEquals, type Ip } from '../../addr/ip.js';
import { vxlanFdb } from '../../kernel/link/fdb-table.js';
import type { Ipip, Link, Vxlan } from '../../kernel/link/types.js';
import type { Netns } from '../../kernel/netns.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { sortedRoutes } from '../../kernel/text/route.js';
import { type ClusterPicture, ids } from './cluster-model.js';
import { edgeStmt } from './dot.js';

/** The port a VXLAN device sends to when created with dstport 0 (IANA's is 4789; Linux keeps 8472). */
const VXLAN_DEFAULT_PORT = 8472;

type Tunnel = Vxlan | Ipip;

/** One end of a tunnel: the node, its tunnel device, and the node's outer address. */
interface TunnelEnd {
  readonly node: string;
  readonly link: Tunnel;
  readonly outer: Ip | undefined;
}

/**
 * A dashed purple edge between two nodes' tunnel devices when either routes to the other
 * through it, drawn once per pair of devices, labelled with what goes on the wire (`VNI 1, udp
 * 8472`, `IPIP, proto 4`).
 */
export function tunnelEdges(pic: ClusterPicture): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of pic.nodes) {
    for (const link of n.links) {
      if (link.kind !== 'vxlan' && link.kind !== 'ipip') continue;
      for (const dst of outerDestinations(n.netns, link)) {
        const peer = pic.index.nodesByIp.get(formatIp(dst));
        const far = peer === undefined || peer === n.name ? undefined : pic.index.nodes.get(peer)?.links.find((l): l is Tunnel => sameTunnelKind(link, l));
        if (peer === undefined || far === undefined) continue;
        const key = [`${n.name}/${link.name}`, `${peer}/${far.name}`].sort().join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(tunnelEdge({ node: n.name, link, outer: link.local ?? nodeAddress(pic, n.name, dst) }, { node: peer, link: far, outer: dst }));
      }
    }
  }
  return out;
}

/** The outer destinations a tunnel device's routes lead to, in route order, without repeats. */
function outerDestinations(ns: Netns, link: Tunnel): Ip[] {
  const out: Ip[] = [];
  for (const r of [...sortedRoutes(ns, TABLE_MAIN, 4), ...sortedRoutes(ns, TABLE_MAIN, 6)]) {
    if (r.dev !== link.name || r.via === undefined) continue;
    const dst = link.kind === 'ipip' ? (link.remote ?? r.via) : vxlanDestination(ns, link, r.via);
    if (dst !== undefined && !out.some((d) => ipEquals(d, dst))) out.push(dst);
  }
  return out;
}

/** `vxlan_xmit`'s lookup: the gateway's neighbour entry on the device, then the FDB entry for its MAC. */
function vxlanDestination(ns: Netns, link: Vxlan, gateway: Ip): Ip | undefined {
  const mac = ns.neigh.find((e) => e.dev === link.name && ipEquals(e.ip, gateway))?.mac;
  return mac === undefined ? undefined : vxlanFdb(ns, link).find((f) => f.mac === mac)?.dst;
}

/** The far device must speak the same encapsulation (and, for VXLAN, the same VNI). */
function sameTunnelKind(a: Tunnel, b: Link): boolean {
  if (a.kind === 'vxlan') return b.kind === 'vxlan' && b.vni === a.vni;
  return b.kind === 'ipip';
}

/** A node's address of the family of `like`, for a tunnel device with no fixed `local` (IPIP's `local any`). */
function nodeAddress(pic: ClusterPicture, node: string, like: Ip): Ip | undefined {
  return pic.built.spec.nodes.find((x) => x.name === node)?.internalIPs.find((i) => i.family === like.family);
}

function tunnelEdge(a: TunnelEnd, b: TunnelEnd): string {
  const wire = a.link.kind === 'vxlan' ? `VNI ${a.link.vni}, udp ${a.link.dstport === 0 ? VXLAN_DEFAULT_PORT : a.link.dstport}` : 'IPIP, proto 4';
  const kind = a.link.kind === 'vxlan' ? 'VXLAN' : 'IPIP';
  const end = (e: TunnelEnd) => `${e.link.name} on ${e.node}${e.outer === undefined ? '' : ` (${formatIp(e.outer)})`}`;
  const detail = a.link.kind === 'vxlan' ? `, ${wire.replace('udp', 'UDP')}` : ', IP protocol 4';
  return edgeStmt(ids.dev(a.node, a.link.name), ids.dev(b.node, b.link.name), {
    style: 'dashed',
    // Purple: the trace's colours are red (forward) and blue (reply).
    color: '#6a3d9a',
    fontcolor: '#6a3d9a',
    dir: 'both',
    arrowsize: 0.5,
    constraint: 'false',
    label: wire,
    class: 'tunnel',
    tooltip: `${kind} tunnel: ${end(a)} ⇄ ${end(b)}${detail}`,
  });
}
