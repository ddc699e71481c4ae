/**
 * confd's `updatePeersV1` (confd/pkg/backends/calico/client.go): the BGPPeers turned into the
 * peerings its templates render, as `/bgp/v1/global/peer_v4/<ip>` (every node: `Global_<ip>`)
 * and `/bgp/v1/host/<node>/peer_v4/<ip>` (one node: `Node_<ip>`) entries.
 *
 * Three passes, as confd makes them: the global BGPPeers (neither `node` nor `nodeSelector`),
 * then the node-scoped ones, then the automatic reverse peerings (for a BGPPeer whose peer is a
 * Calico node, that node gets the other side). The first entry for a key wins, and a node entry
 * is dropped when a global one has the same peer IP. confd walks its BGPPeers in map order;
 * netsim walks them by name, so the result does not depend on chance.
 */
import { type Family, type Ip, formatIp, ipEquals } from '../../addr/index.js';
import { type CalicoSelector, parseCalicoSelector, selects } from '../../cni/calico/selector.js';
import type { CalicoBgpObjects, CalicoBgpPeer, CalicoNextHopMode } from '../objects.js';
import { type ConfdNode, confdAddress } from './calico-confd-nodes.js';

/** One peering entry (confd's `bgpPeer` JSON). */
export interface PeerData {
  readonly ip: Ip;
  /** Set when the BGPPeer names one, or the peer node listens on a configured port. */
  readonly port?: number;
  readonly asNumber: number;
  /** The peer node's route reflector cluster id (selector peerings only, as in confd). */
  readonly rrClusterId?: Ip;
  readonly sourceAddress: 'UseNodeIP' | 'None';
  readonly keepNextHop: boolean;
  readonly nextHopMode?: CalicoNextHopMode;
  /** The peer IP is some Calico node's (peerIP peerings only, as in confd). */
  readonly calicoNode: boolean;
  readonly restartTime?: number;
  readonly keepaliveTime?: number;
  readonly localAsNumber?: number;
  readonly allowLocalAs?: number;
  /** The BGPPeer it comes from. */
  readonly from: string;
}

/** The peerings: global ones (every node) and each node's own, keyed by `<ip>` or `<ip>-<port>`. */
export interface Peerings {
  readonly global: ReadonlyMap<string, PeerData>;
  readonly byNode: ReadonlyMap<string, ReadonlyMap<string, PeerData>>;
}

/** The datastore key of a peering (`10.0.0.1`, `10.0.0.1-1790`); the templates list peerings in this order. */
export function peerKey(ip: Ip, port: number | undefined): string {
  return port === undefined ? formatIp(ip) : `${formatIp(ip)}-${port}`;
}

/** Computes every peering from the BGPPeers. */
export function computePeerings(nodes: readonly ConfdNode[], bgp: CalicoBgpObjects): Peerings {
  const global = new Map<string, PeerData>();
  const byNode = new Map<string, Map<string, PeerData>>();
  const emitNode = (node: string, p: PeerData): void => {
    const key = peerKey(p.ip, p.port);
    if (global.has(key)) return;
    const m = byNode.get(node) ?? new Map<string, PeerData>();
    byNode.set(node, m);
    if (!m.has(key)) m.set(key, p);
  };
  const ctx = new Ctx(nodes, bgp);
  const peers = [...bgp.peers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const globalPass of [true, false]) {
    for (const p of peers) {
      const isGlobal = p.node === undefined && p.nodeSelector === undefined;
      if (globalPass !== isGlobal) continue;
      const remote = ctx.forwardPeers(p);
      if (globalPass) {
        for (const d of remote) if (!global.has(peerKey(d.ip, d.port))) global.set(peerKey(d.ip, d.port), d);
      } else {
        for (const local of ctx.localNodes(p)) for (const d of remote) emitNode(local, d);
      }
    }
  }
  for (const p of peers) for (const { local, data } of ctx.reversePeers(p)) emitNode(local, data);
  return { global, byNode };
}

/** Node lookups shared by the passes. */
class Ctx {
  private readonly selectors = new Map<string, CalicoSelector | undefined>();
  constructor(readonly nodes: readonly ConfdNode[], readonly bgp: CalicoBgpObjects) {}

  /** Names of the nodes a selector selects (`nodeLabelManager.nodesMatching`), in node order. */
  matching(text: string): string[] {
    if (!this.selectors.has(text)) {
      const parsed = parseCalicoSelector(text);
      this.selectors.set(text, parsed.ok ? parsed.selector : undefined);
    }
    const sel = this.selectors.get(text);
    return sel === undefined ? [] : this.nodes.filter((n) => selects(sel, n.labels)).map((n) => n.name);
  }

  /** The nodes that peer (`node`, `nodeSelector`). */
  localNodes(p: CalicoBgpPeer): string[] {
    if (p.nodeSelector !== undefined) return this.matching(p.nodeSelector);
    return p.node === undefined ? [] : [p.node];
  }

  node(name: string): ConfdNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** `nodeAsBGPPeers`: the node as a peer, over each family asked for that it has an address of. */
  nodeAsPeers(name: string, families: readonly Family[], p: CalicoBgpPeer): PeerData[] {
    const n = this.node(name);
    if (n === undefined) return [];
    const port = this.bgp.configuration.listenPort;
    return families.flatMap((f): PeerData[] => {
      const ip = confdAddress(n, f);
      if (ip === undefined) return [];
      return [{ ...this.common(p), ip, ...(port === undefined ? {} : { port }), asNumber: n.asNumber, ...(n.rrClusterId === undefined ? {} : { rrClusterId: n.rrClusterId }), calicoNode: false }];
    });
  }

  /** The fields every peering of a BGPPeer shares (`setPeerConfigFieldsFromV3Resource`, `getNextHopMode`). */
  common(p: CalicoBgpPeer): Omit<PeerData, 'ip' | 'port' | 'asNumber' | 'calicoNode' | 'rrClusterId'> {
    return {
      sourceAddress: p.sourceAddress,
      // nextHopMode, when set, replaces keepOriginalNextHop.
      keepNextHop: p.nextHopMode === undefined && p.keepOriginalNextHop,
      ...(p.nextHopMode === undefined ? {} : { nextHopMode: p.nextHopMode }),
      ...(p.maxRestartTime === undefined ? {} : { restartTime: p.maxRestartTime }),
      ...(p.keepaliveTime === undefined ? {} : { keepaliveTime: p.keepaliveTime }),
      ...(p.localASNumber === undefined ? {} : { localAsNumber: p.localASNumber }),
      ...(p.numAllowedLocalASNumbers === undefined ? {} : { allowLocalAs: p.numAllowedLocalASNumbers }),
      from: p.name,
    };
  }

  /** The peers a BGPPeer names: the nodes `peerSelector` selects, or `peerIP`. */
  forwardPeers(p: CalicoBgpPeer): PeerData[] {
    if (p.peerSelector !== undefined) return this.matching(p.peerSelector).flatMap((n) => this.nodeAsPeers(n, [4, 6], p));
    if (p.peerIP === undefined) return [];
    const peerIP = p.peerIP;
    let port = p.port;
    if (port === undefined && this.nodesWithIpAndAs(peerIP, p.asNumber, undefined).length > 0) port = this.bgp.configuration.listenPort;
    const calicoNode = this.nodes.some((n) => [4, 6].some((f) => { const a = confdAddress(n, f as Family); return a !== undefined && ipEquals(a, peerIP); }));
    return [{ ...this.common(p), ip: peerIP, ...(port === undefined ? {} : { port }), asNumber: p.asNumber, calicoNode }];
  }

  /** `nodesWithIPPortAndAS`: nodes at `ip` whose AS is the BGPPeer's (the global AS when it sets none). */
  nodesWithIpAndAs(ip: Ip, asNumber: number, port: number | undefined): string[] {
    const want = asNumber === 0 ? this.bgp.configuration.asNumber : asNumber;
    const listen = this.bgp.configuration.listenPort;
    return this.nodes.filter((n) => {
      const at = [n.ipv4?.addr, n.ipv6?.addr].some((a) => a !== undefined && ipEquals(a, ip));
      return at && n.asNumber === want && (port === undefined || listen === undefined || listen === port);
    }).map((n) => n.name);
  }

  /** The automatic reverse peerings of a BGPPeer (`reversePeering: Auto`). */
  reversePeers(p: CalicoBgpPeer): { local: string; data: PeerData }[] {
    if (p.reversePeering === 'Manual') return [];
    let locals: string[];
    let families: Family[];
    if (p.peerSelector !== undefined) {
      locals = this.matching(p.peerSelector);
      families = [4, 6];
    } else if (p.peerIP !== undefined) {
      locals = this.nodesWithIpAndAs(p.peerIP, p.asNumber, p.port);
      families = [p.peerIP.family];
    } else return [];
    if (locals.length === 0) return [];
    const peerNodes = p.nodeSelector !== undefined ? this.matching(p.nodeSelector) : p.node !== undefined ? [p.node] : this.nodes.map((n) => n.name);
    const data = peerNodes.flatMap((n) => this.nodeAsPeers(n, families, p));
    return locals.flatMap((local) => data.map((d) => ({ local, data: d })));
  }
}
