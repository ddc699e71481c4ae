/**
 * The cluster view: each node a Graphviz cluster holding its devices (eth0 with the node IP, the
 * bridge if the CNI has one, tunnel devices, veth host ends) and its pods, labelled with its
 * podCIDR or, with calico-ipam, its IPAM blocks, the node network as its own cluster,
 * Services with their ClusterIPs and ports, dashed edges to their endpoints. With an underlay,
 * its networks and routers take the node network's place. Kubernetes
 * namespaces get a fill colour each. Wiring is drawn from the links themselves (veth peers,
 * bridge masters, tunnel underlays), so a new CNI's devices appear without changes here.
 *
 * Edges run pod → veth → bridge → eth0 → node network, so with `rankdir=LR` the picture reads
 * from the workloads on the left to the wire on the right.
 */
import { formatCidr } from '../../addr/cidr.js';
import { formatIp } from '../../addr/ip.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { BuiltPod } from '../../cluster/assemble/pods.js';
import type { Service, Underlay } from '../../cluster/objects.js';
import type { Link } from '../../kernel/link/types.js';
import { type Netns, linksByIndex } from '../../kernel/netns.js';
import { type ClusterPicture, type NodePicture, clusterPicture, globalAddrs, ids } from './cluster-model.js';
import { serviceEdges, wiring } from './wiring.js';
import { FONT, clusterBlock, digraph, html, nodeStmt } from './dot.js';
import { namespaceColours } from './palette.js';
import { type TraceOverlay, overlayKeep, overlayLines } from './trace-overlay.js';

/** Options of {@link clusterDot}. */
export interface ClusterDotOptions {
  /** Pods drawn per node before the rest collapse into "+N more pods". */
  readonly maxPodsPerNode: number;
  /** A trace to draw over the picture. */
  readonly overlay?: TraceOverlay;
}

/** The default for `--max-pods-per-node`. */
export const DEFAULT_MAX_PODS_PER_NODE = 12;

/** The cluster view as DOT text; the same cluster always gives the same bytes. */
export function clusterDot(built: BuiltCluster, opts: ClusterDotOptions): string {
  const keep = opts.overlay === undefined ? undefined : overlayKeep(opts.overlay);
  const pic = clusterPicture(built, { maxPodsPerNode: opts.maxPodsPerNode, ...(keep !== undefined ? { keep } : {}) });
  const colours = namespaceColours([...built.pods.map((p) => p.pod.namespace), ...built.spec.services.map((s) => s.namespace)]);
  const body = [
    ...(built.spec.cluster.underlay === undefined ? nodeNetworkBlock(pic) : underlayBlock(pic, built.spec.cluster.underlay)),
    ...pic.nodes.flatMap((n) => nodeBlock(pic, n, colours)),
    ...servicesBlock(built.spec.services, colours),
    ...wiring(pic),
    ...serviceEdges(pic),
    ...(opts.overlay !== undefined ? overlayLines(pic, opts.overlay) : []),
  ];
  return digraph(
    `cluster ${built.spec.cluster.name}`,
    {
      graph: { rankdir: 'LR', compound: 'true', fontname: FONT, fontsize: 12, nodesep: 0.25, ranksep: 0.6, label: `netsim: cluster ${built.spec.cluster.name}`, labelloc: 't' },
      node: { fontname: FONT, fontsize: 10, shape: 'box', style: 'rounded' },
      edge: { fontname: FONT, fontsize: 9, color: '#777777', arrowsize: 0.6 },
    },
    body,
  );
}

function nodeNetworkBlock(pic: ClusterPicture): string[] {
  const cfg = pic.built.spec.cluster;
  const body: string[] = [];
  for (const [name, owner] of Object.entries(pic.built.owners)) {
    const ns = pic.built.world.netns[name];
    if (ns === undefined) continue;
    if (owner.kind === 'segment') {
      const bridges = linksByIndex(ns).filter((l) => l.kind === 'bridge').map((l) => l.name);
      body.push(nodeStmt(ids.segment(name), { label: `node network\n${formatCidr(cfg.nodeNetwork)}\nbridge ${bridges.join(', ')}`, shape: 'box3d', style: 'filled', fillcolor: '#eeeeee' }));
    } else if (owner.kind === 'gateway') {
      const addrs = linksByIndex(ns).flatMap((l) => globalAddrs(ns, l.name));
      body.push(nodeStmt(ids.gateway(name), { label: `default gateway\n${addrs.join('\n')}`, shape: 'box', style: 'dashed' }));
    }
  }
  return clusterBlock('node-network', { label: 'node network', style: 'rounded', color: '#999999' }, body);
}

/** The underlay: each network as a segment with its prefix and MTU, each router with its interfaces. */
function underlayBlock(pic: ClusterPicture, underlay: Underlay): string[] {
  const body: string[] = [];
  for (const net of underlay.networks) {
    body.push(nodeStmt(ids.segment(net.name), { label: `network ${net.name}\n${formatCidr(net.cidr)}\nmtu ${net.mtu}`, shape: 'box3d', style: 'filled', fillcolor: '#eeeeee', tooltip: `L2 network ${net.name} (bridge seg in netns ${net.name})` }));
  }
  underlay.routers.forEach((r, i) => {
    const ns = pic.built.world.netns[r.name];
    if (ns === undefined) return;
    // The exit's uplink has no address; it is said in words instead.
    const ifaces = linksByIndex(ns).filter((l) => l.kind !== 'loopback' && l.kind !== 'dummy').map((l) => [l.name, ...globalAddrs(ns, l.name)].join(' '));
    const exit = i === 0 ? ['uplink: exit to the outside world'] : [];
    body.push(nodeStmt(ids.router(r.name), { label: [`router ${r.name}`, ...ifaces, ...exit].join('\n'), shape: 'box', style: 'rounded,bold', tooltip: `router ${r.name}: ip_forward=1` }));
  });
  return clusterBlock('underlay', { label: 'underlay', style: 'rounded', color: '#999999' }, body);
}

function nodeBlock(pic: ClusterPicture, n: NodePicture, colours: ReadonlyMap<string, string>): string[] {
  const spec = n.netns.name;
  const node = n.netns;
  const world = pic.built.world;
  const body: string[] = [];
  for (const l of n.links) body.push(nodeStmt(ids.dev(spec, l.name), deviceAttrs(l, globalAddrs(node, l.name))));
  for (const p of n.pods) body.push(nodeStmt(ids.pod(p.netns), podAttrs(p, colours, podAddrs(world.netns[p.netns]))));
  for (const p of n.hostNetworkPods) {
    body.push(nodeStmt(ids.hostPod(p.pod.namespace, p.pod.name), { label: `${p.pod.name}\nns ${p.pod.namespace}\nhostNetwork`, style: 'rounded,filled,dashed', fillcolor: colours.get(p.pod.namespace) }));
  }
  if (n.hidden > 0) body.push(nodeStmt(ids.more(n.name), { label: `+${n.hidden} more pods`, shape: 'folder', style: 'filled', fillcolor: '#f3f3f3' }));
  // A block-based IPAM (calico-ipam) ignores the podCIDR; its blocks say where pod addresses come from.
  const cidrs = n.blocks.length > 0 ? n.blocks : (pic.built.spec.nodes.find((x) => x.name === n.name)?.podCIDRs.map((c) => `podCIDR ${formatCidr(c)}`) ?? []);
  return clusterBlock(`node-${n.name}`, { label: [`node ${n.name}`, ...cidrs].join('\n'), style: 'rounded,filled', fillcolor: '#fbfbfb', color: '#555555' }, body);
}

/** A pod's addresses on its interfaces other than lo (`eth0 10.244.0.2/24`). */
function podAddrs(ns: Netns | undefined): string[] {
  if (ns === undefined) return [];
  return linksByIndex(ns).filter((l) => l.kind !== 'loopback').flatMap((l) => globalAddrs(ns, l.name).map((a) => `${l.name} ${a}`));
}

/** How a device looks: its name, kind and global addresses. */
function deviceAttrs(l: Link, addrs: readonly string[]): Record<string, string> {
  const kind = l.kind === 'veth' ? '' : l.kind === 'vxlan' ? ` (vxlan ${l.vni}, udp ${l.dstport})` : ` (${l.kind})`;
  const label = [`${l.name}${kind}`, ...addrs].join('\n');
  const shape = l.kind === 'bridge' ? 'box3d' : l.kind === 'vxlan' || l.kind === 'ipip' ? 'cds' : 'box';
  const style = l.kind === 'dummy' ? 'dashed' : l.up ? 'rounded' : 'rounded,dotted';
  return { label, shape, style, tooltip: `${l.name}: ${l.kind}, mtu ${l.mtu}, ${l.up ? 'up' : 'down'}` };
}

function podAttrs(p: BuiltPod, colours: ReadonlyMap<string, string>, addrs: readonly string[]): Record<string, string | { html: string }> {
  const rows = [`<TR><TD><B>${html(p.pod.name)}</B></TD></TR>`, `<TR><TD><FONT POINT-SIZE="8">ns ${html(p.pod.namespace)}</FONT></TD></TR>`];
  for (const a of addrs.length > 0 ? addrs : p.ips.map((i) => `eth0 ${formatIp(i)}`)) rows.push(`<TR><TD>${html(a)}</TD></TR>`);
  return {
    label: { html: `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join('')}</TABLE>` },
    style: 'rounded,filled',
    fillcolor: colours.get(p.pod.namespace) ?? '#ffffff',
    tooltip: `pod ${p.pod.namespace}/${p.pod.name} (netns ${p.netns})`,
  };
}

function servicesBlock(services: readonly Service[], colours: ReadonlyMap<string, string>): string[] {
  if (services.length === 0) return [];
  const body = services.map((s) => {
    const ports = s.ports.map((p) => `${p.port}/${p.protocol} → ${p.targetPort}`);
    const addr = s.headless ? 'headless' : s.clusterIPs.map(formatIp).join(', ');
    const label = [`${s.name}`, `ns ${s.namespace}`, `${s.type} ${addr}`, ...ports].join('\n');
    return nodeStmt(ids.service(s.namespace, s.name), { label, shape: 'component', style: 'filled', fillcolor: colours.get(s.namespace) ?? '#ffffff', tooltip: `service ${s.namespace}/${s.name}` });
  });
  return clusterBlock('services', { label: 'Services', style: 'rounded,dashed', color: '#999999' }, body);
}
