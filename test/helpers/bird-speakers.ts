/**
 * BGP speaker configurations written by hand, shaped as confd writes them for Calico's BIRD:
 * a full mesh, route reflectors, nodes peering with a ToR router. The BIRD goldens and the
 * BIRD differential test use them until scenarios produce them (BuiltCluster.bgp).
 *
 * The underlay they assume: rack-1 192.168.1.0/24 and rack-2 192.168.2.0/24 joined by a
 * router `tor` (.1 on both); nodes get `.11`, `.12`, … of their rack.
 */
import { PEER_DEFAULTS } from './bgp.js';
import { cidr, cidrContains, formatIp, ip } from '../../src/addr/index.js';
import type { BgpPeerConfig, BgpSpeakerConfig, KernelRule, PeerType, PrefixRule } from '../../src/bgp/types.js';

/** Calico's default AS (`BGPConfiguration.asNumber`). */
export const CALICO_AS = 64512;
export const POOL = '10.244.0.0/16';

export interface NodeSpec {
  readonly name: string;
  /** Node address with its prefix length (`192.168.1.11/24`), as `spec.bgp.ipv4Address`. */
  readonly address: string;
  /** Blocks affine to the node. */
  readonly blocks: readonly string[];
  readonly as?: number;
  readonly rrClusterId?: string;
  readonly ipip?: KernelRule['tunnel'];
}

const PREFIX: Record<PeerType, string> = { 'node-to-node mesh': 'Mesh', global: 'Global', 'node specific': 'Node', external: 'Node' };

/** confd's protocol name: `Mesh_192_168_1_12`. */
export function protocolName(type: PeerType, peerIp: string): string {
  return `${PREFIX[type]}_${peerIp.replace(/[.:]/g, '_')}`;
}

const addrOf = (n: NodeSpec): string => n.address.split('/')[0] ?? n.address;

/** One `protocol bgp` of `from` towards `peerIp`, with Calico's template defaults. */
export function bgpPeer(from: NodeSpec, peerIp: string, peerAs: number, type: PeerType, extra: Partial<BgpPeerConfig> = {}): BgpPeerConfig {
  const localAs = from.as ?? CALICO_AS;
  return {
    protocol: protocolName(type, peerIp),
    peerType: type,
    peerIp: ip(peerIp),
    peerAs,
    localAs,
    sourceAddress: ip(addrOf(from)),
    ...PEER_DEFAULTS,
    ...extra,
  };
}

/** A node's speaker: blocks as blackholes, `calico_aggr` + pool export, the pool's kernel rule. */
export function nodeSpeaker(n: NodeSpec, peers: readonly BgpPeerConfig[]): BgpSpeakerConfig {
  const exportRules: PrefixRule[] = [
    ...n.blocks.flatMap((b): PrefixRule[] => [
      { match: 'exact', cidr: cidr(b), action: 'accept' },
      { match: 'within', cidr: cidr(b), action: 'reject' },
    ]),
    { match: 'within', cidr: cidr(POOL), action: 'accept' },
  ];
  const tunnel = n.ipip ?? 'never';
  const kernelRules: KernelRule[] = [
    {
      cidr: cidr(POOL),
      action: 'accept',
      tunnel,
      ...(tunnel === 'never' ? {} : { tunnelDev: 'tunl0' }),
      ...(tunnel === 'cross-subnet' ? { localSubnet: cidr(n.address) } : {}),
    },
  ];
  return {
    name: n.name,
    kind: 'node',
    routerId: ip(addrOf(n)),
    asNumber: n.as ?? CALICO_AS,
    addresses: [ip(addrOf(n))],
    ...(n.rrClusterId === undefined ? {} : { rrClusterId: ip(n.rrClusterId) }),
    peers,
    originate: n.blocks.map((b) => ({ prefix: cidr(b), protocol: 'static1', blackhole: true })),
    exportRules,
    kernelRules,
  };
}

/** The node-to-node mesh: every node peers with every other; the side whose peer has the greater IP (as a string, confd's `gt`) is passive. */
export function meshSpeakers(nodes: readonly NodeSpec[]): BgpSpeakerConfig[] {
  return nodes.map((n) =>
    nodeSpeaker(
      n,
      nodes.filter((o) => o !== n).map((o) => bgpPeer(n, addrOf(o), o.as ?? CALICO_AS, 'node-to-node mesh', { passive: addrOf(o) > addrOf(n) })),
    ),
  );
}

/** Mesh off; nodes with `rrClusterId` reflect; every client peers with every RR and the RRs with each other (`Node_` protocols). */
export function rrSpeakers(nodes: readonly NodeSpec[]): BgpSpeakerConfig[] {
  const rrs = nodes.filter((n) => n.rrClusterId !== undefined);
  return nodes.map((n) => {
    const peers = (n.rrClusterId === undefined ? rrs : nodes.filter((o) => o !== n)).map((o) =>
      bgpPeer(n, addrOf(o), CALICO_AS, 'node specific', { rrClient: n.rrClusterId !== undefined && o.rrClusterId !== n.rrClusterId }),
    );
    return nodeSpeaker(n, peers);
  });
}

/** The ToR router's speaker: eBGP to every node on the rack networks, re-advertising what it learns. */
export function torSpeaker(name: string, routerIps: readonly string[], as: number, nodes: readonly NodeSpec[]): BgpSpeakerConfig {
  const peers = nodes.map((n): BgpPeerConfig => {
    const subnet = cidr(n.address);
    const mine = routerIps.find((r) => cidrContainsText(subnet, r)) ?? routerIps[0] ?? '';
    return {
      ...bgpPeer({ name, address: mine, blocks: [], as }, addrOf(n), n.as ?? CALICO_AS, 'external', { multihop: false, gracefulRestart: false }),
      protocol: `${n.name.replace(/-/g, '_')}`,
      sharedSubnet: subnet,
    };
  });
  return {
    name,
    kind: 'router',
    routerId: ip(routerIps[0] ?? '0.0.0.0'),
    asNumber: as,
    addresses: routerIps.map((r) => ip(r)),
    peers,
    originate: [],
    exportRules: [{ match: 'within', cidr: cidr('0.0.0.0/0'), action: 'accept' }],
    kernelRules: [],
  };
}

/** Mesh off, every node peers (eBGP) with the router on its rack network; `allow local as` lets a node take its AS-mates' routes back from the ToR. */
export function torNodeSpeakers(nodes: readonly NodeSpec[], routerIps: readonly string[], routerAs: number): BgpSpeakerConfig[] {
  return nodes.map((n) => {
    const gw = routerIps.find((r) => cidrContainsText(cidr(n.address), r)) ?? '';
    return nodeSpeaker(n, [bgpPeer(n, gw, routerAs, 'global', { allowLocalAs: 1, sharedSubnet: cidr(n.address) })]);
  });
}

function cidrContainsText(c: ReturnType<typeof cidr>, a: string): boolean {
  return cidrContains(c, ip(a));
}

/** The fixture nodes of the goldens and the differential test. */
export const RACK_NODES: readonly NodeSpec[] = [
  { name: 'node-1', address: '192.168.1.11/24', blocks: ['10.244.1.0/26'] },
  { name: 'node-2', address: '192.168.1.12/24', blocks: ['10.244.2.0/26'] },
  { name: 'node-3', address: '192.168.2.13/24', blocks: ['10.244.3.0/26', '10.244.3.64/26'] },
];

export { formatIp };
