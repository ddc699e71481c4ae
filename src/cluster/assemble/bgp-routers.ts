/**
 * The BGP daemons of underlay routers (`routers[].bgp`): a ToR as Calico's docs configure one for
 * "peer with the ToR, mesh off" designs. Its `router id` is `routerID` or its address on its
 * first network; it accepts BGP on each interface address. Without `peers` it peers with every
 * other BGP router sharing one of its networks (over that network; eBGP or iBGP by AS) and with
 * every node whose sessions name one of its addresses (at the node's source address, in the AS
 * the node presents). It originates nothing and exports everything it has (`export all`), and
 * its kernel takes every best route as is. Timers are Calico's template's, so both ends of a
 * session agree.
 */
import { type Ip, cidrContains, ipEquals } from '../../addr/index.js';
import type { BgpPeerConfig, BgpSpeakerConfig } from '../../bgp/types.js';
import type { Underlay, UnderlayRouter } from '../objects.js';
import { hashToIPv4, protocolId } from './calico-confd-nodes.js';
import { CALICO_BGP_TIMERS } from './calico-confd-sessions.js';
import { routerAddressOn } from './underlay.js';

/** A node session as a router sees it from the other end. */
export interface NodeSessionEnd {
  readonly node: string;
  /** The router address the node's session names. */
  readonly target: Ip;
  /** The node's address on that session (its source address, or its BGP address). */
  readonly nodeIp: Ip;
  /** The AS the node presents. */
  readonly nodeAs: number;
}

/** A router's addresses, one per network it joins, in interface order. */
export function routerAddresses(underlay: Underlay, r: UnderlayRouter): Ip[] {
  return r.networks.flatMap((name) => {
    const net = underlay.networks.find((n) => n.name === name);
    const a = net === undefined ? undefined : routerAddressOn(underlay, r.name, net);
    return a === undefined ? [] : [a];
  });
}

/** The speaker of every router that runs BGP, in document order. */
export function routerSpeakers(underlay: Underlay, nodeEnds: readonly NodeSessionEnd[]): BgpSpeakerConfig[] {
  return underlay.routers.flatMap((r): BgpSpeakerConfig[] => {
    const bgp = r.bgp;
    if (bgp === undefined) return [];
    const addresses = routerAddresses(underlay, r);
    const v4 = addresses.find((a) => a.family === 4);
    const peers = bgp.peers === undefined ? implicitPeers(underlay, r, addresses, nodeEnds) : bgp.peers.map((p) => routerPeer(underlay, r, addresses, bgp.asNumber, p.peerIP, p.asNumber));
    return [{
      name: r.name,
      kind: 'router',
      routerId: bgp.routerID ?? v4 ?? hashToIPv4(r.name),
      asNumber: bgp.asNumber,
      addresses,
      peers,
      originate: [],
      exportRules: [
        { match: 'within', cidr: { addr: { family: 4, value: 0n }, prefix: 0 }, action: 'accept' },
        { match: 'within', cidr: { addr: { family: 6, value: 0n }, prefix: 0 }, action: 'accept' },
      ],
      kernelRules: [],
    }];
  });
}

/** Other BGP routers on a shared network, then the nodes whose sessions name this router. */
function implicitPeers(underlay: Underlay, r: UnderlayRouter, own: readonly Ip[], nodeEnds: readonly NodeSessionEnd[]): BgpPeerConfig[] {
  const asNumber = r.bgp?.asNumber ?? 0;
  const out: BgpPeerConfig[] = [];
  for (const other of underlay.routers) {
    if (other.name === r.name || other.bgp === undefined) continue;
    const shared = r.networks.find((n) => other.networks.includes(n));
    const net = underlay.networks.find((n) => n.name === shared);
    const at = net === undefined ? undefined : routerAddressOn(underlay, other.name, net);
    if (at !== undefined) out.push(routerPeer(underlay, r, own, asNumber, at, other.bgp.asNumber));
  }
  for (const end of nodeEnds) {
    if (!own.some((a) => ipEquals(a, end.target)) || out.some((p) => ipEquals(p.peerIp, end.nodeIp))) continue;
    out.push(routerPeer(underlay, r, own, asNumber, end.nodeIp, end.nodeAs));
  }
  return out;
}

/** One `protocol bgp` of a router: named `Peer_<ip>`, sourced from its address on the peer's network. */
function routerPeer(underlay: Underlay, r: UnderlayRouter, own: readonly Ip[], localAs: number, peerIp: Ip, peerAs: number): BgpPeerConfig {
  const onLink = own.find((a, i) => {
    const net = underlay.networks.find((n) => n.name === r.networks[i]);
    return net !== undefined && cidrContains(net.cidr, peerIp) && cidrContains(net.cidr, a);
  });
  const source = onLink ?? own.find((a) => a.family === peerIp.family);
  const { holdTime, connectDelayTime, connectRetryTime, restartTime } = CALICO_BGP_TIMERS;
  return {
    protocol: `Peer_${protocolId(peerIp)}`,
    peerType: 'external',
    peerIp,
    peerAs,
    localAs,
    ...(source === undefined ? {} : { sourceAddress: source }),
    passive: false,
    // BIRD: eBGP is direct by default; iBGP, or a peer off the router's networks, is multihop.
    multihop: peerAs === localAs || onLink === undefined,
    rrClient: false,
    nextHopSelf: false,
    nextHopKeep: false,
    holdTime,
    keepaliveTime: Math.floor(holdTime / 3),
    connectDelayTime,
    connectRetryTime,
    gracefulRestart: true,
    restartTime,
  };
}
