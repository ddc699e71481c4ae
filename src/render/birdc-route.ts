/**
 * `birdcl show route` (and `show route all`, `show route <prefix> all`) in BIRD 1.6's shape,
 * from a speaker's simulated routing table. Layout from BIRD 1.6's `rt_show_rte`
 * (nest/rt-table.c): `"%-18s %s [%s %s%s]%s%s"` of the prefix (first route of a network
 * only), the destination (`via <gw> on <iface>`, `dev <iface>`, `blackhole`, `unreachable`),
 * the protocol, the since time, ` from <peer>` when the peer is not the gateway, ` *` on the
 * best route, and the protocol's route info: ` (<pref>)`, or for BGP (`bgp_get_route_info`,
 * proto/bgp/attrs.c) ` (<pref>/<igp metric>) [AS<origin AS><origin>]`, where the metric is
 * `/0` for a next hop on a connected network, `/?` when resolved through a route of unknown
 * metric (a kernel route), `/-` when unresolvable, and absent without `gateway recursive`.
 *
 * The interface a BGP next hop resolves to is the caller's business (a {@link NextHopResolver}),
 * so this stays a pure function of data; the app layer resolves through the kernel model.
 */
import { type Cidr, networkOf } from '../addr/cidr.js';
import { type Family, type Ip, formatIp, ipCompare, ipEquals } from '../addr/ip.js';
import type { BgpRouteView } from '../bgp/types.js';
import { BIRDCL_BANNER, type BirdSpeaker, birdUnreachable } from './birdc.js';
import { birdTime } from './bird-time.js';

/** Where a BGP next hop leads: BIRD's hostentry resolution (`gateway recursive`). */
export interface NextHopResolution {
  /** The interface of the route that resolves it (`eth0`). */
  readonly dev: string;
  /** That route's gateway, when the next hop is not on a connected network. */
  readonly gateway?: Ip;
  /** The resolving route's IGP metric: 0 for a connected (direct) network; undefined when unknown (a kernel route). */
  readonly igpMetric?: number;
}

/** Resolves a BGP next hop, or undefined when nothing in the table leads to it. */
export type NextHopResolver = (nextHop: Ip) => NextHopResolution | undefined;

/** What `show route` shows. */
export interface ShowRouteOptions {
  readonly family: Family;
  readonly resolve: NextHopResolver;
  /** `show route all`: each route's attributes under it. */
  readonly all?: boolean;
  /** `show route <prefix>`: only this network. */
  readonly prefix?: Cidr;
}

const ORIGIN_CHAR = { IGP: 'i', EGP: 'e', Incomplete: '?' } as const;

function prefixText(c: Cidr): string {
  return `${formatIp(networkOf(c))}/${c.prefix}`;
}

function samePrefix(a: Cidr, b: Cidr): boolean {
  return a.prefix === b.prefix && ipEquals(networkOf(a), networkOf(b));
}

/** What the lines need to know of the speaker's protocols, looked up once per command (an RR has thousands). */
interface Protocols {
  /** Names of BGP protocols (sessions). */
  readonly bgp: ReadonlySet<string>;
  /** BGP protocols that resolve next hops recursively: Calico's bgp_template says so for every node session; on a router, a direct eBGP session does not (BIRD's default `gateway direct`). */
  readonly recursive: (protocol: string) => boolean;
}

function protocolsOf(s: BirdSpeaker): Protocols {
  const bgp = new Set(s.view.sessions.map((x) => x.protocol));
  // Only a router's direct eBGP sessions resolve directly; every other protocol is recursive.
  const direct = new Set(s.view.kind === 'node' ? [] : (s.config?.peers ?? []).filter((p) => p.localAs !== p.peerAs && !p.multihop).map((p) => p.protocol));
  return { bgp, recursive: (name) => !direct.has(name) };
}

function isBgpRoute(p: Protocols, r: BgpRouteView): boolean {
  return r.fromIp !== undefined || p.bgp.has(r.protocol);
}

/** One route's line. */
function routeLine(s: BirdSpeaker, p: Protocols, r: BgpRouteView, ia: string, resolve: NextHopResolver): string {
  const isBgp = isBgpRoute(p, r);
  const head = `${ia.padEnd(18)} `;
  const when = birdTime(r.since, s.now);
  const star = r.best ? ' *' : '';
  if (!isBgp || r.nextHop === undefined) {
    const dest = r.blackhole ? 'blackhole' : r.dev !== undefined ? `dev ${r.dev}` : '???';
    return `${head}${dest} [${r.protocol} ${when}]${star} (${r.preference})`;
  }
  const hop = resolve(r.nextHop);
  const gw = hop === undefined ? undefined : (hop.gateway ?? r.nextHop);
  const dest = hop === undefined || gw === undefined ? 'unreachable' : `via ${formatIp(gw)} on ${hop.dev}`;
  const from = r.fromIp !== undefined && (gw === undefined || !ipEquals(r.fromIp, gw)) ? ` from ${formatIp(r.fromIp)}` : '';
  const metric = !p.recursive(r.protocol) ? '' : hop === undefined ? '/-' : `/${hop.igpMetric ?? '?'}`;
  const originAs = r.asPath.at(-1);
  return `${head}${dest} [${r.protocol} ${when}${from}]${star} (${r.preference}${metric}) [${originAs === undefined ? '' : `AS${originAs}`}${ORIGIN_CHAR[r.origin]}]`;
}

/** `rta_show`: the attribute lines of `show route all`, in BIRD's attribute order. */
function attributeLines(p: Protocols, r: BgpRouteView): string[] {
  if (isBgpRoute(p, r)) {
    return [
      'Type: BGP unicast univ',
      `BGP.origin: ${r.origin}`,
      `BGP.as_path: ${r.asPath.join(' ')}`,
      ...(r.nextHop !== undefined ? [`BGP.next_hop: ${formatIp(r.nextHop)}`] : []),
      ...(r.med !== 0 ? [`BGP.med: ${r.med}`] : []),
      `BGP.local_pref: ${r.localPref}`,
      ...(r.originatorId !== undefined ? [`BGP.originator_id: ${formatIp(r.originatorId)}`] : []),
      ...(r.clusterList.length > 0 ? [`BGP.cluster_list: ${r.clusterList.map(formatIp).join(' ')}`] : []),
    ].map((l) => `\t${l}`);
  }
  // A kernel-learned route (Felix's workload /32) is `inherit`, with the kernel's protocol (boot, 3) and metric.
  if (r.protocol.startsWith('kernel')) return ['\tType: inherit unicast univ', '\tKernel.source: 3', '\tKernel.metric: 0'];
  return ['\tType: static unicast univ'];
}

/** The lines of `show route` (without the banner): networks in prefix order, each network's best route first. */
export function birdRouteLines(s: BirdSpeaker, opts: ShowRouteOptions): string[] {
  const routes = s.view.routes
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.prefix.addr.family === opts.family && (opts.prefix === undefined || samePrefix(r.prefix, opts.prefix)))
    .sort((a, b) => ipCompare(networkOf(a.r.prefix), networkOf(b.r.prefix)) || a.r.prefix.prefix - b.r.prefix.prefix || Number(b.r.best) - Number(a.r.best) || a.i - b.i)
    .map(({ r }) => r);
  const protocols = protocolsOf(s);
  const lines: string[] = [];
  let last: Cidr | undefined;
  for (const r of routes) {
    const first = last === undefined || !samePrefix(last, r.prefix);
    last = r.prefix;
    lines.push(routeLine(s, protocols, r, first ? prefixText(r.prefix) : '', opts.resolve));
    if (opts.all === true) lines.push(...attributeLines(protocols, r));
  }
  return lines;
}

/** `birdcl -s /var/run/calico/bird.ctl show route [<prefix>] [all]`: the banner, then the routes. */
export function birdShowRoute(s: BirdSpeaker, opts: ShowRouteOptions): string {
  if (!s.view.running) return birdUnreachable(opts.family);
  return [BIRDCL_BANNER, ...birdRouteLines(s, opts)].map((l) => `${l}\n`).join('');
}
