/** Short builders for BGP simulation tests: speakers, peers, a Calico-style full mesh. */
import { cidr, formatIp, ip, type Ip } from '../../src/addr/index.js';
import type { BgpPeerConfig, BgpSpeakerConfig, OriginatedRoute, Reachability } from '../../src/bgp/types.js';

/** Calico's protocol name for a peer IP (`Mesh_192_168_1_12`). */
export function protoName(prefix: string, peerIp: string): string {
  return `${prefix}_${peerIp.replace(/[.:]/g, '_')}`;
}

/** The options of Calico's `bgp_template` with BIRD's default timers, shared by every hand-written peer. */
export const PEER_DEFAULTS = {
  passive: false,
  multihop: true,
  rrClient: false,
  nextHopSelf: false,
  nextHopKeep: false,
  holdTime: 240,
  keepaliveTime: 80,
  connectDelayTime: 2,
  connectRetryTime: 5,
  gracefulRestart: true,
  restartTime: 120,
} as const satisfies Partial<BgpPeerConfig>;

/** A `protocol bgp` block with Calico's template defaults. */
export function peer(peerIp: string, over: Partial<BgpPeerConfig> = {}): BgpPeerConfig {
  return {
    protocol: protoName('Mesh', peerIp),
    peerType: 'node-to-node mesh',
    peerIp: ip(peerIp),
    peerAs: 64512,
    localAs: 64512,
    ...PEER_DEFAULTS,
    ...over,
  };
}

/** A blackhole block route as Calico's `bird_aggr.cfg` originates it. */
export function block(prefix: string): OriginatedRoute {
  return { prefix: cidr(prefix), protocol: 'static1', blackhole: true };
}

export interface SpeakerOpts {
  readonly as?: number;
  readonly kind?: 'node' | 'router';
  readonly originate?: readonly OriginatedRoute[];
  readonly peers?: readonly BgpPeerConfig[];
  readonly rrClusterId?: string;
  readonly extraAddresses?: readonly string[];
  /** Export filter: accept within these prefixes (default 10.244.0.0/16). */
  readonly exportWithin?: readonly string[];
}

/** One speaker at `addr`. */
export function speaker(name: string, addr: string, o: SpeakerOpts = {}): BgpSpeakerConfig {
  return {
    name,
    kind: o.kind ?? 'node',
    routerId: ip(addr),
    asNumber: o.as ?? 64512,
    addresses: [ip(addr), ...(o.extraAddresses ?? []).map(ip)],
    ...(o.rrClusterId === undefined ? {} : { rrClusterId: ip(o.rrClusterId) }),
    peers: o.peers ?? [],
    originate: o.originate ?? [],
    exportRules: (o.exportWithin ?? ['10.244.0.0/16']).map((c) => ({ match: 'within' as const, cidr: cidr(c), action: 'accept' as const })),
    kernelRules: [],
  };
}

/** Node i's address and block. */
export function nodeIp(i: number): string {
  return `192.168.${1 + Math.floor(i / 250)}.${10 + (i % 250)}`;
}
export function nodeBlock(i: number): string {
  return `10.244.${i % 256}.${Math.floor(i / 256) * 64}/26`;
}

/** Calico's passive rule: in the mesh the side whose peer IP is the greater (as text) waits. */
export function meshPassive(own: string, peerIp: string): boolean {
  return peerIp > own;
}

/** `n` nodes in Calico's node-to-node mesh, node-i originating its block. */
export function fullMesh(n: number, over: Partial<BgpPeerConfig> = {}): BgpSpeakerConfig[] {
  const ips = Array.from({ length: n }, (_, i) => nodeIp(i));
  return ips.map((own, i) =>
    speaker(`node-${i + 1}`, own, {
      originate: [block(nodeBlock(i))],
      peers: ips.filter((p) => p !== own).map((p) => peer(p, { passive: meshPassive(own, p), sourceAddress: ip(own), ...over })),
    }),
  );
}

/** Everything reaches everything. */
export const allReachable: Reachability = () => true;

/** Reachable unless the target's owner (by address) or its link is down. */
export function reachableUnlessDown(owners: ReadonlyMap<string, string>): Reachability {
  return (from, to, _src, down) => {
    const owner = owners.get(formatIp(to));
    if (down.has(from) || [...down].some((d) => d.startsWith(`${from}/`))) return 'Network is unreachable';
    if (owner !== undefined && (down.has(owner) || [...down].some((d) => d.startsWith(`${owner}/`)))) return 'Host is unreachable';
    return true;
  };
}

/** address → speaker name. */
export function owners(speakers: readonly BgpSpeakerConfig[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of speakers) for (const a of s.addresses) m.set(formatIp(a), s.name);
  return m;
}

export type { Ip };
