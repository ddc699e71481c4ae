/**
 * Hand-written BGP configurations and simulation results for the views' tests, in the shapes
 * the contract (src/bgp/types.ts) gives: a 3-node full mesh, a route reflector with two
 * clients, a ToR router peering with two nodes over eBGP, and a mesh with a failed node.
 */
import { PEER_DEFAULTS } from './bgp.js';
import { cidr } from '../../src/addr/cidr.js';
import { ip } from '../../src/addr/ip.js';
import type { BgpEvent, BgpPeerConfig, BgpResult, BgpRouteView, BgpSpeakerConfig, PeerType, SessionView, SpeakerView } from '../../src/bgp/types.js';

/** A session as the simulation reports it. */
export function session(protocol: string, peer: string, state: SessionView['state'], since: number, more: Partial<SessionView> = {}): SessionView {
  const fsm = more.fsm ?? (state === 'up' ? 'Established' : 'Active');
  const peerType: PeerType = protocol.startsWith('Mesh_') ? 'node-to-node mesh' : protocol.startsWith('Global_') ? 'global' : protocol.startsWith('Node_') ? 'node specific' : 'external';
  return { protocol, peerType, peerIp: ip(peer), peerAs: 64512, state, fsm, since, info: state === 'up' ? 'Established' : fsm, imported: 0, exported: 0, ...more };
}

/** The static blackhole of an own block (`static1`). */
export function blackhole(prefix: string, since = 0): BgpRouteView {
  return { prefix: cidr(prefix), protocol: 'static1', preference: 200, blackhole: true, asPath: [], origin: 'IGP', localPref: 100, med: 0, clusterList: [], internal: false, stale: false, since, best: true };
}

/** A Felix workload route learned by `kernel1`. */
export function kernelRoute(prefix: string, dev: string, since: number): BgpRouteView {
  return { prefix: cidr(prefix), protocol: 'kernel1', preference: 10, blackhole: false, dev, asPath: [], origin: 'IGP', localPref: 100, med: 0, clusterList: [], internal: false, stale: false, since, best: true };
}

/** A BGP-learned route. */
export function bgpRoute(prefix: string, protocol: string, nextHop: string, from: string, since: number, more: Partial<BgpRouteView> = {}): BgpRouteView {
  return {
    prefix: cidr(prefix),
    protocol,
    preference: 100,
    blackhole: false,
    nextHop: ip(nextHop),
    fromIp: ip(from),
    asPath: [],
    origin: 'IGP',
    localPref: 100,
    med: 0,
    clusterList: [],
    internal: true,
    stale: false,
    since,
    best: true,
    ...more,
  };
}

export function speakerView(name: string, routerId: string, sessions: readonly SessionView[], routes: readonly BgpRouteView[], more: Partial<SpeakerView> = {}): SpeakerView {
  return { name, kind: 'node', routerId: ip(routerId), asNumber: 64512, running: true, sessions, routes, ...more };
}

/** A `protocol bgp` block. */
export function peerConfig(protocol: string, peerIp: string, more: Partial<BgpPeerConfig> = {}): BgpPeerConfig {
  const peerType: PeerType = protocol.startsWith('Mesh_') ? 'node-to-node mesh' : protocol.startsWith('Global_') ? 'global' : protocol.startsWith('Node_') ? 'node specific' : 'external';
  return {
    protocol,
    peerType,
    peerIp: ip(peerIp),
    peerAs: 64512,
    localAs: 64512,
    ...PEER_DEFAULTS,
    multihop: peerType === 'node-to-node mesh',
    ...more,
  };
}

export function speakerConfig(name: string, addr: string, peers: readonly BgpPeerConfig[], more: Partial<BgpSpeakerConfig> = {}): BgpSpeakerConfig {
  return { name, kind: 'node', routerId: ip(addr), asNumber: 64512, addresses: [ip(addr)], peers, originate: [], exportRules: [], kernelRules: [], ...more };
}

const NODES = [
  { name: 'node-1', ip: '192.168.1.11', block: '10.244.0.0/26', pod: '10.244.0.1/32', dev: 'cali1a2b3c4d5e6' },
  { name: 'node-2', ip: '192.168.1.12', block: '10.244.0.64/26', pod: '10.244.0.65/32', dev: 'cali2b3c4d5e6f7' },
  { name: 'node-3', ip: '192.168.1.13', block: '10.244.0.128/26', pod: '10.244.0.129/32', dev: 'cali3c4d5e6f708' },
] as const;

const meshName = (addr: string) => `Mesh_${addr.replace(/\./g, '_')}`;

/** Three nodes in Calico's full mesh, converged: every session up, every block learned from its owner. */
export function meshBgp(): { speakers: BgpSpeakerConfig[]; result: BgpResult } {
  const speakers = NODES.map((n) =>
    speakerConfig(
      n.name,
      n.ip,
      NODES.filter((o) => o !== n).map((o) => peerConfig(meshName(o.ip), o.ip, { passive: o.ip > n.ip, sourceAddress: ip(n.ip) })),
      { originate: [{ prefix: cidr(n.block), protocol: 'static1', blackhole: true }, { prefix: cidr(n.pod), protocol: 'kernel1', blackhole: false, dev: n.dev }] },
    ),
  );
  const views = NODES.map((n, i) =>
    speakerView(
      n.name,
      n.ip,
      NODES.filter((o) => o !== n).map((o, j) => session(meshName(o.ip), o.ip, 'up', 2.003 + i * 0.001 + j * 0.01)),
      [
        blackhole(n.block),
        kernelRoute(n.pod, n.dev, 0.5),
        ...NODES.filter((o) => o !== n).map((o) => bgpRoute(o.block, meshName(o.ip), o.ip, o.ip, 2.105)),
      ].sort((a, b) => (a.prefix.addr.value < b.prefix.addr.value ? -1 : a.prefix.addr.value > b.prefix.addr.value ? 1 : a.prefix.prefix - b.prefix.prefix)),
    ),
  );
  const events: BgpEvent[] = [
    { time: 0, speaker: 'node-1', kind: 'session', protocol: 'Mesh_192_168_1_12', from: 'Idle', to: 'Connect', text: 'Mesh_192_168_1_12: Connecting to 192.168.1.12 from local address 192.168.1.11' },
    { time: 0, speaker: 'node-2', kind: 'session', protocol: 'Mesh_192_168_1_11', from: 'Idle', to: 'Idle', text: 'Mesh_192_168_1_11: Started, waiting for the peer to connect (passive)' },
    { time: 2.001, speaker: 'node-1', kind: 'session', protocol: 'Mesh_192_168_1_12', from: 'Connect', to: 'OpenSent', text: 'Mesh_192_168_1_12: Connected' },
    { time: 2.003, speaker: 'node-1', kind: 'session', protocol: 'Mesh_192_168_1_12', from: 'OpenConfirm', to: 'Established', text: 'Mesh_192_168_1_12: BGP session established' },
    { time: 2.105, speaker: 'node-1', kind: 'route-add', protocol: 'Mesh_192_168_1_12', prefix: cidr('10.244.0.64/26'), text: 'Mesh_192_168_1_12 > added 10.244.0.64/26 via 192.168.1.12' },
  ];
  return { speakers, result: { time: 2.105, convergedAt: 2.105, speakers: Object.fromEntries(views.map((v) => [v.name, v])), events } };
}

/** The mesh after node-2 died: node-1's hold timer expired (session Active, routes withdrawn); node-3's has not (still up). */
export function failedMeshBgp(): { speakers: BgpSpeakerConfig[]; result: BgpResult } {
  const mesh = meshBgp();
  const s = mesh.result.speakers;
  const node1 = s['node-1'];
  const node2 = s['node-2'];
  const node3 = s['node-3'];
  if (node1 === undefined || node2 === undefined || node3 === undefined) throw new Error('mesh fixture');
  const speakers: Record<string, SpeakerView> = {
    'node-1': {
      ...node1,
      sessions: node1.sessions.map((x) => (x.protocol === 'Mesh_192_168_1_12' ? session(x.protocol, '192.168.1.12', 'start', 270.003, { fsm: 'Active', info: 'Active Socket: Connection refused' }) : x)),
      routes: node1.routes.filter((r) => r.protocol !== 'Mesh_192_168_1_12'),
    },
    'node-2': { ...node2, running: false },
    'node-3': node3,
  };
  const events: BgpEvent[] = [
    ...mesh.result.events,
    { time: 30, speaker: 'node-2', kind: 'failure', text: 'node-2 fails: the machine stops, nothing answers' },
    { time: 270.003, speaker: 'node-1', kind: 'hold-expired', protocol: 'Mesh_192_168_1_12', text: 'Mesh_192_168_1_12: Error: Hold timer expired' },
    { time: 270.003, speaker: 'node-1', kind: 'session', protocol: 'Mesh_192_168_1_12', from: 'Established', to: 'Active', text: 'Mesh_192_168_1_12: Error: Hold timer expired' },
    { time: 270.003, speaker: 'node-1', kind: 'route-withdraw', protocol: 'Mesh_192_168_1_12', prefix: cidr('10.244.0.64/26'), text: 'Mesh_192_168_1_12 > removed 10.244.0.64/26' },
  ];
  return { speakers: mesh.speakers, result: { time: 275, convergedAt: 270.003, speakers, events } };
}

/** A route reflector (rr-1, cluster 244.0.0.1) with two clients; the mesh is off. */
export function rrBgp(): { speakers: BgpSpeakerConfig[]; result: BgpResult } {
  const rr = '192.168.1.10';
  const speakers = [
    speakerConfig('rr-1', rr, NODES.slice(0, 2).map((n) => peerConfig(`Node_${n.ip.replace(/\./g, '_')}`, n.ip, { rrClient: true })), { rrClusterId: ip('244.0.0.1') }),
    ...NODES.slice(0, 2).map((n) => speakerConfig(n.name, n.ip, [peerConfig('Node_192_168_1_10', rr)])),
  ];
  const [n1, n2] = NODES;
  const rrView = speakerView('rr-1', rr, [session('Node_192_168_1_11', n1.ip, 'up', 2.01), session('Node_192_168_1_12', n2.ip, 'up', 2.02)], [
    bgpRoute(n1.block, 'Node_192_168_1_11', n1.ip, n1.ip, 2.2),
    bgpRoute(n2.block, 'Node_192_168_1_12', n2.ip, n2.ip, 2.2),
  ]);
  const n1View = speakerView('node-1', n1.ip, [session('Node_192_168_1_10', rr, 'up', 2.01)], [
    blackhole(n1.block),
    kernelRoute(n1.pod, n1.dev, 0.5),
    bgpRoute(n2.block, 'Node_192_168_1_10', n2.ip, rr, 2.3, { originatorId: ip(n2.ip), clusterList: [ip('244.0.0.1')] }),
  ]);
  const n2View = speakerView('node-2', n2.ip, [session('Node_192_168_1_10', rr, 'start', 0, { fsm: 'Connect', info: 'Connect' })], [blackhole(n2.block)]);
  return { speakers, result: { time: 2.3, convergedAt: 2.3, speakers: { 'rr-1': rrView, 'node-1': n1View, 'node-2': n2View }, events: [] } };
}

/** A ToR router (tor-1, AS 65001) peering over eBGP with node-1 (AS 65101) and node-2 (AS 65102); the mesh is off. */
export function torBgp(): { speakers: BgpSpeakerConfig[]; result: BgpResult } {
  const tor = '192.168.1.1';
  const [n1, n2] = NODES;
  const asOf = { 'node-1': 65101, 'node-2': 65102 } as const;
  const speakers = [
    speakerConfig(
      'tor-1',
      tor,
      [n1, n2].map((n) => peerConfig(`Peer_${n.ip.replace(/\./g, '_')}`, n.ip, { peerAs: asOf[n.name], localAs: 65001, multihop: false, nextHopSelf: true })),
      { kind: 'router', asNumber: 65001 },
    ),
    ...[n1, n2].map((n) => speakerConfig(n.name, n.ip, [peerConfig('Global_192_168_1_1', tor, { peerAs: 65001, localAs: asOf[n.name] })], { asNumber: asOf[n.name] })),
  ];
  const torView = speakerView(
    'tor-1',
    tor,
    [session('Peer_192_168_1_11', n1.ip, 'up', 3, { peerAs: 65101 }), session('Peer_192_168_1_12', n2.ip, 'up', 3.5, { peerAs: 65102 })],
    [
      bgpRoute(n1.block, 'Peer_192_168_1_11', n1.ip, n1.ip, 3.1, { asPath: [65101], internal: false }),
      bgpRoute(n2.block, 'Peer_192_168_1_12', n2.ip, n2.ip, 3.6, { asPath: [65102], internal: false }),
    ],
    { kind: 'router', asNumber: 65001 },
  );
  const n1View = speakerView('node-1', n1.ip, [session('Global_192_168_1_1', tor, 'up', 3, { peerAs: 65001 })], [
    blackhole(n1.block),
    bgpRoute(n2.block, 'Global_192_168_1_1', tor, tor, 3.7, { asPath: [65001, 65102], internal: false }),
  ], { asNumber: 65101 });
  const n2View = speakerView('node-2', n2.ip, [session('Global_192_168_1_1', tor, 'up', 3.5, { peerAs: 65001 })], [
    bgpRoute(n1.block, 'Global_192_168_1_1', tor, tor, 3.7, { asPath: [65001, 65101], internal: false }),
    blackhole(n2.block),
  ], { asNumber: 65102 });
  return { speakers, result: { time: 3.7, convergedAt: 3.7, speakers: { 'tor-1': torView, 'node-1': n1View, 'node-2': n2View }, events: [] } };
}
