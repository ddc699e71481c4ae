/**
 * The `protocol bgp` blocks confd's `bird.cfg.template` (and `bird6.cfg.template`) renders for
 * one node, per family (BIRD-Calico runs `bird` and `bird6`; one session per family):
 *
 * - `Mesh_<ip>` for every other node with an address of the family, when the node-to-node mesh
 *   is on, unless this node or that one is a route reflector. The side whose peer's IP is
 *   lexically greater (Go's string `gt`, as the template compares them) is `passive on`.
 * - `Global_<ip>` for every global peering, `Node_<ip>` for each of the node's own, skipping the
 *   node's own address. A global peering to a Calico node is passive by the same rule as the mesh.
 *   `rr client; rr cluster id <id>` when this node is a route reflector and the peer, in its AS,
 *   is not a reflector of the same cluster. `next hop keep` for keepOriginalNextHop towards
 *   another AS (or nextHopMode Keep); `next hop self` for nextHopMode Self.
 *
 * Timers are the template's: `connect delay time 2; connect retry time 5`, BIRD's hold time
 * (240 s) and keepalive (a third of it unless keepaliveTime), `graceful restart` on with BIRD's
 * 120 s unless nodeMeshMaxRestartTime / maxRestartTime. Every session is `multihop` (the
 * template's `ttl security off; multihop`).
 */
import { type Family, type Ip, formatIp, ipEquals } from '../../addr/index.js';
import type { BgpPeerConfig, PeerType } from '../../bgp/types.js';
import type { CalicoBgpObjects } from '../objects.js';
import { type ConfdNode, confdAddress, protocolId } from './calico-confd-nodes.js';
import type { PeerData, Peerings } from './calico-confd-peerings.js';

/** The template's timers and BIRD's defaults. */
export const CALICO_BGP_TIMERS = { holdTime: 240, connectDelayTime: 2, connectRetryTime: 5, restartTime: 120 } as const;

/** Go's string `>` on the addresses' text, the template's passive rule. */
export function lexicallyGreater(a: Ip, b: Ip): boolean {
  return formatIp(a) > formatIp(b);
}

/** Every session of `node`, IPv4 then IPv6, each family as mesh, then global, then node-specific peers. */
export function nodeSessions(node: ConfdNode, nodes: readonly ConfdNode[], bgp: CalicoBgpObjects, peerings: Peerings): BgpPeerConfig[] {
  return ([4, 6] as const).flatMap((family) => {
    const own = confdAddress(node, family);
    if (own === undefined) return []; // "IPv4 disabled on this node."
    return [...meshSessions(node, own, nodes, bgp), ...peerSessions(node, own, peerings)];
  });
}

function meshSessions(node: ConfdNode, own: Ip, nodes: readonly ConfdNode[], bgp: CalicoBgpObjects): BgpPeerConfig[] {
  if (!bgp.configuration.nodeToNodeMeshEnabled || node.rrClusterId !== undefined) return [];
  const family = own.family;
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // `lsdir /bgp/v1/host`
  return sorted.flatMap((other): BgpPeerConfig[] => {
    const ip = confdAddress(other, family);
    if (ip === undefined || ipEquals(ip, own) || other.rrClusterId !== undefined) return [];
    return [{
      ...base(`Mesh_${protocolId(ip)}`, 'node-to-node mesh', ip, other.asNumber, node.asNumber),
      sourceAddress: own,
      passive: lexicallyGreater(ip, own),
      restartTime: bgp.configuration.nodeMeshMaxRestartTime ?? CALICO_BGP_TIMERS.restartTime,
    }];
  });
}

function peerSessions(node: ConfdNode, own: Ip, peerings: Peerings): BgpPeerConfig[] {
  const family = own.family;
  const render = (prefix: 'Global' | 'Node', entries: ReadonlyMap<string, PeerData> | undefined): BgpPeerConfig[] =>
    [...(entries ?? new Map<string, PeerData>()).entries()]
      .filter(([, d]) => d.ip.family === family && !ipEquals(d.ip, own))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, d]) => peerSession(node, own, prefix, d));
  return [...render('Global', peerings.global), ...render('Node', peerings.byNode.get(node.name))];
}

function peerSession(node: ConfdNode, own: Ip, prefix: 'Global' | 'Node', d: PeerData): BgpPeerConfig {
  const localAs = d.localAsNumber ?? node.asNumber;
  const name = `${prefix}_${protocolId(d.ip)}${d.port === undefined ? '' : `_port_${d.port}`}`;
  const peerType: PeerType = prefix === 'Global' ? 'global' : 'node specific';
  const rr = node.rrClusterId;
  const rrClient = d.asNumber === localAs && rr !== undefined && (d.rrClusterId === undefined || !ipEquals(d.rrClusterId, rr));
  return {
    ...base(name, peerType, d.ip, d.asNumber, localAs),
    ...(d.sourceAddress === 'UseNodeIP' ? { sourceAddress: own } : {}),
    passive: prefix === 'Global' && d.calicoNode && lexicallyGreater(d.ip, own),
    rrClient,
    nextHopSelf: d.nextHopMode === 'Self',
    nextHopKeep: d.nextHopMode === 'Keep' || (d.keepNextHop && d.asNumber !== localAs),
    ...(d.keepaliveTime === undefined ? {} : { keepaliveTime: d.keepaliveTime }),
    ...(d.allowLocalAs === undefined ? {} : { allowLocalAs: d.allowLocalAs }),
    restartTime: d.restartTime ?? CALICO_BGP_TIMERS.restartTime,
  };
}

/** The fields every session starts from. */
function base(protocol: string, peerType: PeerType, peerIp: Ip, peerAs: number, localAs: number): BgpPeerConfig {
  const { holdTime, connectDelayTime, connectRetryTime, restartTime } = CALICO_BGP_TIMERS;
  return {
    protocol, peerType, peerIp, peerAs, localAs,
    passive: false, multihop: true, rrClient: false, nextHopSelf: false, nextHopKeep: false,
    holdTime, keepaliveTime: Math.floor(holdTime / 3), connectDelayTime, connectRetryTime,
    gracefulRestart: true, restartTime,
  };
}

/** The families a node speaks BGP in. */
export function nodeFamilies(node: ConfdNode): Family[] {
  return ([4, 6] as const).filter((f) => confdAddress(node, f) !== undefined);
}
