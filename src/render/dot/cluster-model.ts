/**
 * What the cluster picture shows, read from a built cluster: per node its devices, the pods
 * drawn (the rest collapsed into a count) and, with a block-based IPAM (calico-ipam, read from
 * the cluster's API objects), its blocks; the node network, the Services and their endpoints.
 * The writer (cluster.ts) only turns this into DOT; the ids here are the graph's node ids, and
 * {@link anchorOf} maps a (netns, device) of a trace onto them.
 */
import { formatCidr } from '../../addr/cidr.js';
import { formatIp } from '../../addr/ip.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { assertNever } from '../../diag/diagnostic.js';
import type { BuiltPod } from '../../cluster/assemble/pods.js';
import type { Netns } from '../../kernel/netns.js';
import type { Link } from '../../kernel/link/types.js';
import { linksByIndex } from '../../kernel/netns.js';
import { readIpamView } from '../../cni/calico/ipam/index.js';
import { ipamBlockLines } from './ipam-blocks.js';

/** Graph ids, one function per kind of thing drawn. */
export const ids = {
  dev: (ns: string, dev: string) => `dev:${ns}/${dev}`,
  pod: (netns: string) => `pod:${netns}`,
  more: (node: string) => `more:${node}`,
  segment: (ns: string) => `net:${ns}`,
  gateway: (ns: string) => `gw:${ns}`,
  router: (ns: string) => `router:${ns}`,
  service: (ns: string, name: string) => `svc:${ns}/${name}`,
  hostPod: (ns: string, name: string) => `hostpod:${ns}/${name}`,
};

/** One Kubernetes node as drawn. */
export interface NodePicture {
  readonly name: string;
  readonly netns: Netns;
  /** Devices drawn (not `lo`, not the host ends of collapsed pods' veths, not the node network's side). */
  readonly links: readonly Link[];
  readonly pods: readonly BuiltPod[];
  readonly hostNetworkPods: readonly BuiltPod[];
  /** Pods collapsed into the "+N more pods" box. */
  readonly hidden: number;
  /** Label lines for the node's IPAM blocks and borrowed addresses; empty unless the IPAM is block-based (calico-ipam). */
  readonly blocks: readonly string[];
}

/** The whole picture's content. */
export interface ClusterPicture {
  readonly built: BuiltCluster;
  readonly nodes: readonly NodePicture[];
  /** Pod netns drawn, for {@link anchorOf}. */
  readonly shownPods: ReadonlySet<string>;
  /** Lookups built once, so large clusters draw in linear time. */
  readonly index: {
    readonly nodes: ReadonlyMap<string, NodePicture>;
    readonly podsByKey: ReadonlyMap<string, BuiltPod>;
    readonly podsByIp: ReadonlyMap<string, BuiltPod>;
    readonly nodesByIp: ReadonlyMap<string, string>;
  };
}

/** Options of {@link clusterPicture}. */
export interface PictureOptions {
  /** Pods drawn per node before the rest collapse into one box. */
  readonly maxPodsPerNode: number;
  /** Pod netns that must stay visible (those a trace crosses). */
  readonly keep?: ReadonlySet<string>;
}

/** Chooses what to draw. Pods keep the scenario's order; kept pods come first when collapsing. */
export function clusterPicture(built: BuiltCluster, opts: PictureOptions): ClusterPicture {
  const shown = new Set<string>();
  const blocks = ipamBlockLines(readIpamView(built.api), built.spec.nodes.map((n) => n.name));
  const nodes = built.spec.nodes.map((node): NodePicture | undefined => {
    const netns = built.world.netns[node.name];
    if (netns === undefined) return undefined;
    const onNode = built.pods.filter((p) => p.pod.nodeName === node.name);
    const podded = onNode.filter((p) => !p.pod.hostNetwork);
    const keep = opts.keep ?? new Set<string>();
    const first = podded.filter((p) => keep.has(p.netns));
    const rest = podded.filter((p) => !keep.has(p.netns));
    const room = Math.max(0, opts.maxPodsPerNode - first.length);
    const chosen = new Set([...first, ...rest.slice(0, room)]);
    const pods = podded.filter((p) => chosen.has(p));
    for (const p of pods) shown.add(p.netns);
    const chosenNs = new Set(pods.map((p) => p.netns));
    const links = linksByIndex(netns).filter((l) => drawnLink(built, l, chosenNs));
    return { name: node.name, netns, links, pods, hostNetworkPods: onNode.filter((p) => p.pod.hostNetwork), hidden: podded.length - pods.length, blocks: blocks.get(node.name) ?? [] };
  });
  const drawn = nodes.filter((n): n is NodePicture => n !== undefined);
  const index = {
    nodes: new Map(drawn.map((n) => [n.name, n])),
    podsByKey: new Map(built.pods.map((p) => [`${p.pod.namespace}/${p.pod.name}`, p])),
    podsByIp: new Map(built.pods.flatMap((p) => p.ips.map((i): [string, BuiltPod] => [formatIp(i), p]))),
    nodesByIp: new Map(built.spec.nodes.flatMap((n) => n.internalIPs.map((i): [string, string] => [formatIp(i), n.name]))),
  };
  return { built, nodes: drawn, shownPods: shown, index };
}

/** A node's device is drawn unless it is `lo` or the host end of a collapsed pod's veth. */
function drawnLink(built: BuiltCluster, l: Link, chosen: ReadonlySet<string>): boolean {
  if (l.kind === 'loopback') return false;
  if (l.kind !== 'veth') return true;
  const owner = built.owners[l.peer.ns];
  if (owner?.kind !== 'pod') return true;
  return chosen.has(l.peer.ns);
}

/** The graph node a (netns, device) of a trace lands on; undefined for namespaces not drawn. */
export function anchorOf(pic: ClusterPicture, ns: string, dev: string): string | undefined {
  const owner = pic.built.owners[ns];
  if (owner === undefined) return undefined;
  switch (owner.kind) {
    case 'segment':
      return ids.segment(ns);
    case 'gateway':
      return ids.gateway(ns);
    case 'router':
      return ids.router(ns);
    case 'external':
      // An outside client exists only in the trace's copy of the world; the picture does not draw it.
      return undefined;
    case 'pod':
      return pic.shownPods.has(ns) ? ids.pod(ns) : owner.node !== undefined ? ids.more(owner.node) : undefined;
    case 'node': {
      const node = pic.index.nodes.get(ns);
      if (node === undefined) return undefined;
      const link = node.links.find((l) => l.name === dev) ?? node.links.find((l) => l.name === 'eth0') ?? node.links[0];
      return link === undefined ? undefined : ids.dev(ns, link.name);
    }
    default:
      return assertNever(owner.kind, 'namespace owner');
  }
}

/** The global addresses of a device (`10.244.0.1/24`), link-local ones left out as noise. */
export function globalAddrs(ns: Netns, dev: string): string[] {
  return ns.addrs.filter((a) => a.dev === dev && a.scope === 'global').map((a) => formatCidr(a.cidr));
}

/** Service endpoints as graph ids: pods drawn, the "+N more" box of their node, or a node's eth0. */
export function endpointTargets(pic: ClusterPicture, namespace: string, service: string): string[] {
  const out = new Set<string>();
  for (const slice of pic.built.endpointSlices) {
    if (slice.namespace !== namespace || slice.serviceName !== service) continue;
    for (const ep of slice.endpoints) {
      const id = endpointTarget(pic, ep.targetRef, ep.addresses[0] === undefined ? undefined : formatIp(ep.addresses[0]));
      if (id !== undefined) out.add(id);
    }
  }
  return [...out];
}

function endpointTarget(pic: ClusterPicture, ref: { readonly name: string; readonly namespace: string } | undefined, addr: string | undefined): string | undefined {
  const pod = ref !== undefined ? pic.index.podsByKey.get(`${ref.namespace}/${ref.name}`) : addr !== undefined ? pic.index.podsByIp.get(addr) : undefined;
  if (pod !== undefined && !pod.pod.hostNetwork) return anchorOf(pic, pod.netns, 'eth0');
  const node = pod?.pod.nodeName ?? (addr !== undefined ? pic.index.nodesByIp.get(addr) : undefined);
  if (node !== undefined) return anchorOf(pic, node, 'eth0');
  return addr === undefined ? undefined : `ext:${addr}`;
}
