/**
 * Calico's BGP objects against the nodes and the underlay, once both are resolved:
 *
 * - a Calico Node is a cluster node (SCN_BGP_UNKNOWN_NODE), its BGP address is that node's
 *   (netsim's nodes have one address, on eth0), and its labels join the node's, so BGPPeer
 *   selectors (and IPPool nodeSelectors) see them, as calico-node's label sync makes them;
 * - a BGPPeer's `node` and the host names its selectors test are cluster nodes
 *   (SCN_BGP_UNKNOWN_NODE); its `peerIP` is something in the model or on a node network
 *   (SCN_BGP_PEER_UNREACHABLE), and when it is a node's or a BGP router's, the AS agrees
 *   (SCN_BGP_AS_MISMATCH; BIRD refuses the OPEN with "Bad peer AS");
 * - a router's explicit peers alike;
 * - then the sessions confd would render (calico-confd.ts) are checked: duplicate router ids
 *   among speakers that peer (SCN_BGP_DUPLICATE_ROUTER_ID), a route reflector cluster no
 *   node is a client of (SCN_BGP_RR_NO_CLIENTS), a node with no session at all (SCN_BGP_NO_PEERS).
 */
import { type Cidr, type Ip, cidrContains, formatIp, ipEquals } from '../../addr/index.js';
import type { BgpSpeakerConfig } from '../../bgp/types.js';
import { type CalicoSelector, parseCalicoSelector } from '../../cni/calico/selector.js';
import { routerAddresses } from '../../cluster/assemble/bgp-routers.js';
import { calicoBgpSpeakers } from '../../cluster/assemble/calico-confd.js';
import type { CalicoBgpObjects, CalicoCniConfig, ClusterConfig, Node } from '../../cluster/objects.js';
import type { RawCalico, RawCluster, RawNode } from '../raw.js';
import { type Field, fail, warn } from '../reader.js';

/** The label every node carries with its name (kubelet's), which selectors use to pick nodes by name. */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Checks the BGP objects; returns the cluster without unusable Calico Nodes, and the nodes with their Calico labels. */
export function resolveCalicoBgp(raw: RawCalico, cluster: ClusterConfig, nodes: readonly Node[], rawCluster: RawCluster, rawNodes: readonly RawNode[]): { cluster: ClusterConfig; nodes: Node[] } {
  const cni = cluster.cni;
  if (cni.type !== 'calico' || cni.bgp === undefined) return { cluster, nodes: [...nodes] };
  const names = new Set(nodes.map((n) => n.name));
  const known = raw.nodes.filter((r) => {
    if (names.has(r.node.name)) return cni.bgp?.nodes.includes(r.node) === true;
    fail(r.nameField, 'SCN_BGP_UNKNOWN_NODE', `Calico Node ${r.node.name} is not a node of the cluster (${[...names].join(', ')}): a Calico Node describes one of them`);
    return false;
  });
  for (const r of known) {
    const node = nodes.find((n) => n.name === r.node.name);
    for (const [field, c] of [[r.ipv4Field, r.node.ipv4Address], [r.ipv6Field, r.node.ipv6Address]] as const) {
      if (c !== undefined && node !== undefined && !node.internalIPs.some((a) => ipEquals(a, c.addr))) {
        fail(field, 'SCN_BAD_ADDRESS', `Calico Node ${node.name}: spec.bgp address ${formatIp(c.addr)} is not the node's address (${node.internalIPs.map(formatIp).join(', ') || 'none'}): netsim's nodes have one address, on eth0`);
      }
    }
  }
  const labelled = nodes.map((n) => {
    const extra = known.find((r) => r.node.name === n.name)?.labels;
    return extra === undefined ? n : { ...n, labels: { ...n.labels, ...extra } };
  });
  const bgp: CalicoBgpObjects = { ...cni.bgp, nodes: known.map((r) => r.node) };
  const resolved: ClusterConfig = { ...cluster, cni: { ...cni, bgp } };
  checkPeers(raw, resolved, labelled);
  checkRouterPeers(rawCluster, resolved, labelled);
  if ((cni.backend ?? 'bird') === 'bird') checkSessions(raw, resolved, labelled, { rawCluster, rawNodes });
  return { cluster: resolved, nodes: labelled };
}

/** BGPPeer `node`, selectors naming hosts, `peerIP`. */
function checkPeers(raw: RawCalico, cluster: ClusterConfig, nodes: readonly Node[]): void {
  const names = nodes.map((n) => n.name);
  for (const r of raw.bgpPeers) {
    const p = r.peer;
    if (p.node !== undefined && !names.includes(p.node)) {
      fail(r.nodeField, 'SCN_BGP_UNKNOWN_NODE', `BGPPeer ${p.name}: spec.node ${p.node} is not a node of the cluster (${names.join(', ')})`);
    }
    for (const [field, text] of [[r.nodeSelectorField, p.nodeSelector], [r.peerSelectorField, p.peerSelector]] as const) {
      const unknown = text === undefined ? [] : hostnamesIn(text).filter((h) => !names.includes(h));
      if (unknown.length > 0) fail(field, 'SCN_BGP_UNKNOWN_NODE', `BGPPeer ${p.name}: the selector names ${unknown.join(', ')}, not a node of the cluster (${names.join(', ')})`);
    }
    if (p.peerIP !== undefined) checkTarget(r.peerIPField, `BGPPeer ${p.name}: spec.peerIP`, p.peerIP, p.asNumber, cluster, nodes);
  }
}

/** Host names a selector tests with `==` or `in` on kubernetes.io/hostname. */
function hostnamesIn(text: string): string[] {
  const parsed = parseCalicoSelector(text);
  const walk = (s: CalicoSelector): string[] => {
    switch (s.kind) {
      case 'eq': return s.key === HOSTNAME_LABEL ? [s.value] : [];
      case 'in': return s.key === HOSTNAME_LABEL ? [...s.values] : [];
      case 'and': case 'or': return s.operands.flatMap(walk);
      default: return [];
    }
  };
  return parsed.ok ? walk(parsed.selector) : [];
}

/** The explicit `peers` of BGP routers. */
function checkRouterPeers(rawCluster: RawCluster, cluster: ClusterConfig, nodes: readonly Node[]): void {
  for (const r of cluster.underlay?.routers ?? []) {
    const rawBgp = rawCluster.underlay?.routers.find((x) => x.name.value === r.name)?.bgp;
    (r.bgp?.peers ?? []).forEach((p, i) => {
      const field = rawBgp?.peerIPFields[i];
      if (field !== undefined) checkTarget(field, `router ${r.name}: peer`, p.peerIP, p.asNumber, cluster, nodes);
    });
  }
}

/** A peer address: a node's, a BGP router's (with the right AS), or at least on a node network. */
function checkTarget(field: Field, what: string, ip: Ip, asNumber: number, cluster: ClusterConfig, nodes: readonly Node[]): void {
  const cni = cluster.cni;
  const bgp = cni.type === 'calico' ? cni.bgp : undefined;
  const node = nodes.find((n) => n.internalIPs.some((a) => ipEquals(a, ip)));
  if (node !== undefined) {
    const doc = bgp?.nodes.find((d) => d.name === node.name);
    const nodeAs = doc?.asNumber ?? bgp?.configuration.asNumber ?? 64512;
    if (asNumber !== 0 && asNumber !== nodeAs) fail(field, 'SCN_BGP_AS_MISMATCH', `${what} ${formatIp(ip)} is node ${node.name}, whose AS is ${nodeAs}, not ${asNumber}: its BIRD would refuse the session (Bad peer AS)`);
    return;
  }
  const underlay = cluster.underlay;
  const router = underlay?.routers.find((r) => routerAddresses(underlay, r).some((a) => ipEquals(a, ip)));
  if (router !== undefined) {
    if (router.bgp === undefined) fail(field, 'SCN_BGP_PEER_UNREACHABLE', `${what} ${formatIp(ip)} is router ${router.name}, which runs no BGP: add bgp: {asNumber: …} to it`);
    else if (router.bgp.asNumber !== asNumber) fail(field, 'SCN_BGP_AS_MISMATCH', `${what} ${formatIp(ip)} is router ${router.name}, whose AS is ${router.bgp.asNumber}, not ${asNumber}: the session would fail (Bad peer AS)`);
    return;
  }
  const networks: Cidr[] = underlay === undefined ? [cluster.nodeNetwork] : underlay.networks.map((n) => n.cidr);
  if (!networks.some((c) => cidrContains(c, ip))) {
    fail(field, 'SCN_BGP_PEER_UNREACHABLE', `${what} ${formatIp(ip)} is no node or router of the model and on no node network: BGP can never reach it`);
  }
}

/** The checks over the sessions confd would render. */
function checkSessions(raw: RawCalico, cluster: ClusterConfig, nodes: readonly Node[], at: { rawCluster: RawCluster; rawNodes: readonly RawNode[] }): void {
  const cfg = cluster.cni as CalicoCniConfig;
  const speakers = calicoBgpSpeakers({ cluster, cfg, nodes, view: { blocks: [] }, workloads: [] });
  checkRouterIds(speakers, raw, at.rawCluster);
  const rawNodes = at.rawNodes;
  checkReflectors(speakers, raw);
  if (nodes.length < 2 && speakers.every((s) => s.kind === 'node')) return;
  for (const s of speakers) {
    if (s.kind !== 'node' || s.peers.length > 0) continue;
    const rawNode = rawNodes.find((n) => n.meta.name === s.name);
    const why = cfg.bgp?.configuration.nodeToNodeMeshEnabled === false ? 'the node-to-node mesh is off and no BGPPeer applies to it' : 'no BGPPeer applies to it and the mesh skips it';
    if (rawNode !== undefined) warn(rawNode.meta.nameField, 'SCN_BGP_NO_PEERS', `node ${s.name} has no BGP session: ${why}, so no other node learns its pod routes, nor it theirs`);
  }
}

/** Speakers that peer may not share a router id (BIRD: "Bad BGP identifier"). */
function checkRouterIds(speakers: readonly BgpSpeakerConfig[], raw: RawCalico, rawCluster: RawCluster): void {
  const reported = new Set<string>();
  for (const s of speakers) {
    for (const p of s.peers) {
      const other = speakers.find((o) => o !== s && o.addresses.some((a) => ipEquals(a, p.peerIp)));
      if (other === undefined || !ipEquals(other.routerId, s.routerId)) continue;
      const pair = [s.name, other.name].sort().join('/');
      if (reported.has(pair)) continue;
      reported.add(pair);
      const where = routerIdField(other.kind === 'router' ? other : s, raw, rawCluster) ?? routerIdField(s, raw, rawCluster);
      const text = `${s.name} and ${other.name} peer but share router id ${formatIp(s.routerId)}: BIRD refuses the session (Bad BGP identifier); give the router its own routerID`;
      if (where !== undefined) fail(where, 'SCN_BGP_DUPLICATE_ROUTER_ID', text);
    }
  }
}

/** Where a speaker's router id comes from: a router's `bgp.routerID` (or its `bgp`), or a Calico Node's address. */
function routerIdField(s: BgpSpeakerConfig, raw: RawCalico, rawCluster: RawCluster): Field | undefined {
  if (s.kind === 'node') return raw.nodes.find((n) => n.node.name === s.name)?.ipv4Field;
  const bgp = rawCluster.underlay?.routers.find((r) => r.name.value === s.name)?.bgp;
  return bgp === undefined ? undefined : bgp.value.routerID === undefined ? bgp.field : bgp.routerIDField;
}

/** A route reflector cluster id with no client: no non-reflector node has a session to a reflector of it. */
function checkReflectors(speakers: readonly BgpSpeakerConfig[], raw: RawCalico): void {
  const seen = new Set<string>();
  for (const r of raw.nodes) {
    const id = r.node.routeReflectorClusterID;
    if (id === undefined || seen.has(formatIp(id))) continue;
    seen.add(formatIp(id));
    const reflectors = speakers.filter((s) => s.kind === 'node' && s.rrClusterId !== undefined && ipEquals(s.rrClusterId, id));
    const hasClient = reflectors.some((s) => s.peers.some((p) => p.rrClient && speakers.some((o) => o.kind === 'node' && o.rrClusterId === undefined && o.addresses.some((a) => ipEquals(a, p.peerIp)))));
    if (!hasClient) warn(r.rrField, 'SCN_BGP_RR_NO_CLIENTS', `route reflector cluster ${formatIp(id)} has no client: no BGPPeer links a non-reflector node to ${reflectors.map((s) => s.name).join(', ') || 'its reflectors'} (peer them, e.g. nodeSelector: "!has(route-reflector)", peerSelector: "has(route-reflector)")`);
  }
}
