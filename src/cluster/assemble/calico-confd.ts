/**
 * confd, as calico-node runs it beside BIRD: Calico's objects (BGPConfiguration, BGPPeers,
 * Calico Nodes, IPPools) and calico-ipam's blocks in, one BGP speaker configuration per node out
 * (what `/etc/calico/confd/config/bird.cfg` and `bird6.cfg` say), plus one per underlay router
 * that runs BGP. The speakers are data for the bgp layer's simulation; `netsim export bird`
 * prints them as BIRD 2 configuration.
 *
 * Only nodes whose calico-node runs BIRD get a speaker: `calico_backend: bird` (the default).
 * Pieces: calico-confd-nodes.ts (what confd knows of each node), calico-confd-peerings.ts
 * (updatePeersV1), calico-confd-sessions.ts (the `protocol bgp` blocks),
 * calico-confd-filters.ts (static/kernel routes and the filters), bgp-routers.ts (routers).
 */
import type { BgpPeerConfig, BgpSpeakerConfig } from '../../bgp/types.js';
import type { CalicoIpamView } from '../../cni/calico/ipam/view.js';
import type { CalicoCniConfig, ClusterConfig, Node } from '../objects.js';
import { type NodeSessionEnd, routerSpeakers } from './bgp-routers.js';
import { type LocalWorkloadAddress, exportRules, kernelRules, originated, ownBlocks, serviceRanges, workloadsFromView } from './calico-confd-filters.js';
import { type ConfdNode, bgpObjectsOf, confdAddress, confdNodes, routerIdOf } from './calico-confd-nodes.js';
import { computePeerings } from './calico-confd-peerings.js';
import { nodeFamilies, nodeSessions } from './calico-confd-sessions.js';

export type { LocalWorkloadAddress } from './calico-confd-filters.js';

/** What {@link calicoBgpSpeakers} needs. */
export interface CalicoConfdInput {
  readonly cluster: ClusterConfig;
  readonly cfg: CalicoCniConfig;
  /** The cluster's nodes (labels already merged with their Calico Node's, as the loader does). */
  readonly nodes: readonly Node[];
  /** calico-ipam's blocks: each node's affine blocks become its static blackholes and its export filter. */
  readonly view: CalicoIpamView;
  /**
   * The pod addresses on each node with their veth (the `/32 dev caliX` routes BIRD's kernel
   * protocol learns). Absent: taken from the view's pod allocations.
   */
  readonly workloads?: readonly LocalWorkloadAddress[];
}

/** One speaker per node running BIRD (in node order), then one per BGP router (in document order). */
export function calicoBgpSpeakers(input: CalicoConfdInput): BgpSpeakerConfig[] {
  const nodes = calicoNodeSpeakers(input);
  const underlay = input.cluster.underlay;
  return underlay === undefined ? nodes : [...nodes, ...routerSpeakers(underlay, nodeSessionEnds(nodes))];
}

/** The nodes' speakers alone (none unless `calico_backend` is bird). */
export function calicoNodeSpeakers(input: CalicoConfdInput): BgpSpeakerConfig[] {
  const { cfg, view } = input;
  if ((cfg.backend ?? 'bird') !== 'bird') return [];
  const bgp = bgpObjectsOf(cfg);
  const nodes = confdNodes(input.cluster, cfg, input.nodes);
  const peerings = computePeerings(nodes, bgp);
  const services = serviceRanges(bgp.configuration);
  const workloads = input.workloads ?? workloadsFromView(view);
  return nodes.map((node): BgpSpeakerConfig => {
    const families = nodeFamilies(node);
    const blocks = ownBlocks(view, node.name);
    return {
      name: node.name,
      kind: 'node',
      routerId: routerIdOf(node),
      asNumber: node.asNumber,
      addresses: families.flatMap((f) => confdAddress(node, f) ?? []),
      ...(node.rrClusterId === undefined ? {} : { rrClusterId: node.rrClusterId }),
      peers: nodeSessions(node, nodes, bgp, peerings),
      originate: originated(node, families, blocks, services, workloads),
      exportRules: exportRules(families, blocks, services, cfg.ipPools),
      kernelRules: kernelRules(node, families, services, cfg.ipPools),
    };
  });
}

/** Every node session, seen from its far end (for routers without a `peers` list). */
export function nodeSessionEnds(speakers: readonly BgpSpeakerConfig[]): NodeSessionEnd[] {
  return speakers.flatMap((s) => s.peers.flatMap((p: BgpPeerConfig): NodeSessionEnd[] => {
    const nodeIp = p.sourceAddress ?? s.addresses.find((a) => a.family === p.peerIp.family);
    return nodeIp === undefined ? [] : [{ node: s.name, target: p.peerIp, nodeIp, nodeAs: p.localAs }];
  }));
}

/** The sessions of every node (no IPAM needed): what the scenario's checks look at. */
export function calicoNodeSessions(cluster: ClusterConfig, cfg: CalicoCniConfig, nodes: readonly Node[]): { node: ConfdNode; peers: BgpPeerConfig[] }[] {
  const bgp = bgpObjectsOf(cfg);
  const all = confdNodes(cluster, cfg, nodes);
  const peerings = computePeerings(all, bgp);
  return all.map((node) => ({ node, peers: nodeSessions(node, all, bgp, peerings) }));
}
