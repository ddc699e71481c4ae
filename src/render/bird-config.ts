/**
 * `netsim export bird NODE`: the BIRD 2 configuration (`bird.conf`) that expresses one speaker's
 * BGP setup, as Calico's confd renders `bird.cfg`, `bird_aggr.cfg` and `bird_ipam.cfg` for its
 * BIRD 1.6 fork (templates under `confd/etc/calico/confd/templates/`), translated to BIRD 2:
 * one daemon for both families (channels instead of `bird`/`bird6`), the kernel protocol told
 * to write routes as BIRD 1.6 did (`metric 0`, no device routes), and a comment where the fork
 * has a feature BIRD 2 lacks (`krt_tunnel`). Protocol names are Calico's (`Mesh_192_168_1_12`,
 * `Node_…`, `Global_…`, `static1`, `kernel1`), so `birdc show protocols` reads as on a node.
 *
 * Run it as `bird -c bird.conf -s bird.ctl` (`bird -p -c bird.conf` only parses).
 */
import { type Family, formatCidr, formatIp } from '../addr/index.js';
import type { BgpPeerConfig, BgpSpeakerConfig, OriginatedRoute } from '../bgp/types.js';
import { birdFamily, exportFilter, familyName, kernelFilter } from './bird-filters.js';

/** Session timers that replace every peer's (a lab or a test wants seconds, not minutes). */
export interface BirdTimers {
  readonly hold: number;
  readonly keepalive: number;
  readonly connectDelay: number;
  readonly connectRetry: number;
}

/** Options of {@link birdConfig}. */
export interface BirdConfigOptions {
  /** Override every peer's hold/keepalive/connect timers (and shorten `error wait time` to connectRetry..2×connectRetry). */
  readonly timers?: BirdTimers;
  /** The control socket the header's `birdc -s` line names (BIRD 2 takes it on the command line only). */
  readonly socketPath?: string;
}

/** Calico's control socket path (`/var/run/calico/bird.ctl`). */
export const CALICO_BIRD_SOCKET = '/var/run/calico/bird.ctl';

/** The families a speaker uses: IPv4 always (the router id), IPv6 when any address, peer or route is IPv6. */
export function speakerFamilies(s: BgpSpeakerConfig): Family[] {
  const v6 =
    s.addresses.some((a) => a.family === 6) ||
    s.peers.some((p) => p.peerIp.family === 6) ||
    s.originate.some((o) => o.prefix.addr.family === 6) ||
    s.exportRules.some((r) => r.cidr.addr.family === 6);
  return v6 ? [4, 6] : [4];
}

/** The whole `bird.conf` of one speaker. */
export function birdConfig(speaker: BgpSpeakerConfig, opts: BirdConfigOptions = {}): string {
  const families = speakerFamilies(speaker);
  const node = speaker.kind === 'node';
  const sections = [
    header(speaker, opts),
    `router id ${formatIp(speaker.routerId)};`,
    'protocol device {\n  scan time 2;    # Scan interfaces every 2 seconds\n}',
    directProtocol(families),
    ...families.map((f) => staticProtocol(speaker.originate, f)).filter((s) => s !== ''),
    ...learnedComment(speaker.originate),
    ...families.flatMap((f) => [exportFilter(speaker.exportRules, f), kernelFilter(speaker.kernelRules, f), kernelProtocol(f, node)]),
    ...families.map((f) => template(speaker, f, opts.timers)),
    ...speaker.peers.map((p) => peerProtocol(speaker, p, opts.timers)),
  ];
  return `${sections.join('\n\n')}\n`;
}

function header(s: BgpSpeakerConfig, opts: BirdConfigOptions): string {
  const what = s.kind === 'node' ? `BIRD on node ${s.name}, as Calico's confd configures it` : `the BGP daemon of router ${s.name}`;
  const lines = [
    `# BIRD 2 configuration: ${what} (netsim export bird ${s.name}).`,
    `# Run: bird -c bird.conf -s ${opts.socketPath ?? CALICO_BIRD_SOCKET}; inspect: birdc -s ${opts.socketPath ?? CALICO_BIRD_SOCKET} show protocols`,
  ];
  if (opts.timers !== undefined) lines.push(`# Timers shortened for a lab: hold ${opts.timers.hold} s, keepalive ${opts.timers.keepalive} s.`);
  return lines.join('\n');
}

/** `protocol direct`: the node's connected networks, never the pods' cali* interfaces (Calico's list). */
function directProtocol(families: readonly Family[]): string {
  const channels = families.map((f) => `  ${birdFamily(f)};`);
  return ['protocol direct {', ...channels, '  interface -"cali*", -"kube-ipvs*", "*";', '}'].join('\n');
}

/** BIRD 2 names: Calico's for IPv4 (`static1`), `_v6` appended for IPv6. */
function protoName(base: string, family: Family): string {
  return familyName(base, family);
}

/** `protocol static` per originating protocol: the blocks affine to the node as blackholes (`bird_aggr.cfg`). */
function staticProtocol(routes: readonly OriginatedRoute[], family: Family): string {
  const mine = routes.filter((r) => r.blackhole && r.prefix.addr.family === family);
  const byProto = new Map<string, OriginatedRoute[]>();
  for (const r of mine) byProto.set(r.protocol, [...(byProto.get(r.protocol) ?? []), r]);
  return [...byProto.entries()]
    .map(([name, rs]) =>
      [`protocol static ${protoName(name, family)} {`, `  ${birdFamily(family)};`, ...rs.map((r) => `  route ${formatCidr(r.prefix)} blackhole;`), '}'].join('\n'),
    )
    .join('\n\n');
}

/** Routes the kernel protocol learns (a borrowed pod /32 the CNI wrote): nothing to configure, said for the reader. */
function learnedComment(routes: readonly OriginatedRoute[]): string[] {
  const learned = routes.filter((r) => !r.blackhole);
  if (learned.length === 0) return [];
  const lines = learned.map((r) => `#   ${formatCidr(r.prefix)}${r.dev === undefined ? '' : ` dev ${r.dev}`} (${r.protocol})`);
  return [['# Learned from the kernel (protocol kernel: learn), not configured here:', ...lines].join('\n')];
}

/**
 * `protocol kernel`: `learn` (pods' routes the CNI wrote), `persist` (routes stay when BIRD
 * stops), `scan time 2`, `graceful restart`, `merge paths on`, through `calico_kernel_programming`.
 * `metric 0`: BIRD 2 writes `metric 32` by default, BIRD 1.6 none. A router only exports.
 */
function kernelProtocol(family: Family, node: boolean): string {
  const ch = `  ${birdFamily(family)} {\n    import ${node ? 'all' : 'none'};\n    export filter ${familyName('calico_kernel_programming', family)};\n  };`;
  const opts = node
    ? ['  learn;             # Learn the routes the CNI plugin wrote (pods, borrowed /32s)', '  persist;           # Keep routes in the kernel when BIRD stops']
    : [];
  return [`protocol kernel ${protoName('kernel1', family)} {`, ch, ...opts, '  scan time 2;', '  graceful restart;', '  merge paths on;', '  metric 0;          # BIRD 1.6 wrote no metric; BIRD 2 defaults to 32', '}'].join('\n');
}

/** Calico's `bgp_template`, one per family (a session carries one family, as Calico's bird and bird6 do). */
function template(s: BgpSpeakerConfig, family: Family, timers: BirdTimers | undefined): string {
  const first = s.peers.find((p) => p.peerIp.family === family);
  const delay = timers?.connectDelay ?? first?.connectDelayTime ?? 2;
  const retry = timers?.connectRetry ?? first?.connectRetryTime ?? 5;
  const errorWait = timers === undefined ? '5,30' : `${timers.connectRetry},${timers.connectRetry * 2}`;
  const channel = [
    `  ${birdFamily(family)} {`,
    ...(s.kind === 'node' ? ['    gateway recursive;   # resolve the BGP next hop through the kernel\'s routes'] : []),
    '    add paths on;',
    '    import all;',
    `    export filter ${familyName('calico_export_to_bgp_peers', family)};`,
    '  };',
  ];
  return [
    `template bgp ${familyName('bgp_template', family)} {`,
    `  local as ${s.asNumber};`,
    ...channel,
    `  connect delay time ${delay};`,
    `  connect retry time ${retry};`,
    `  error wait time ${errorWait};`,
    '}',
  ].join('\n');
}

/** One `protocol bgp <name> from bgp_template { … }` (confd's mesh, global and node-specific peers). */
function peerProtocol(s: BgpSpeakerConfig, p: BgpPeerConfig, timers: BirdTimers | undefined): string {
  const fam = p.peerIp.family;
  const lines = [`protocol bgp ${p.protocol} from ${familyName('bgp_template', fam)} {`, `  neighbor ${formatIp(p.peerIp)} as ${p.peerAs};`];
  if (p.localAs !== s.asNumber) lines.push(`  local as ${p.localAs};`);
  if (p.sourceAddress !== undefined) lines.push(`  source address ${formatIp(p.sourceAddress)};`);
  if (p.multihop) lines.push('  multihop;');
  if (p.passive) lines.push('  passive on;        # the peer connects to us');
  if (p.rrClient && s.rrClusterId !== undefined) lines.push('  rr client;', `  rr cluster id ${formatIp(s.rrClusterId)};`);
  if (p.allowLocalAs !== undefined) lines.push(`  allow local as ${p.allowLocalAs};`);
  lines.push(`  hold time ${timers?.hold ?? p.holdTime};`, `  keepalive time ${timers?.keepalive ?? p.keepaliveTime};`);
  if (p.gracefulRestart) lines.push('  graceful restart;', `  graceful restart time ${p.restartTime};`);
  else lines.push('  graceful restart off;');
  const nh = nextHopOption(p);
  if (nh !== undefined) lines.push(`  ${birdFamily(fam)} {`, `    ${nh}`, '  };');
  lines.push('}');
  return lines.join('\n');
}

/**
 * The channel's next-hop option, as the speaker's data says: `next hop keep` (Calico's
 * `keepOriginalNextHop`), `next hop self` (forced, for iBGP and eBGP alike: towards an eBGP peer
 * it also stops the third-party next hop BIRD keeps on a shared network, as netsim's model does).
 */
function nextHopOption(p: BgpPeerConfig): string | undefined {
  if (p.nextHopKeep) return 'next hop keep;';
  if (p.nextHopSelf) return 'next hop self;';
  return undefined;
}
