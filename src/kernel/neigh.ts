/**
 * The neighbour cache (`ip neigh`) and address resolution. ARP/ND is not simulated frame by
 * frame: resolving an address asks which device on the same L2 domain — across veth peers,
 * bridges and segments, following only devices that are up — would answer the broadcast
 * request, exactly as the kernel's arp_process/ndisc_recv_ns decide:
 * - a device that is not a bridge port answers, with its own MAC, an ARP request for any address
 *   local to its namespace (arp_ignore=0, the weak host model), but an IPv6 neighbour
 *   solicitation only for an address configured on that very device (ndisc_recv_ns looks the
 *   target up with ipv6_get_ifaddr(…, dev, strict=1)) or an anycast address that device has
 *   joined (ipv6_chk_acast_addr on the receiving device); checked on Linux 6.18 with the target
 *   on another device of the host: ARP answered, NS not;
 * - with proxy_arp on the device, also for an address the namespace routes out of another
 *   device, when the device forwards (how Calico's host veths answer for 169.254.1.1). These
 *   are arp_process's conditions (net/ipv4/arp.c): the input route lookup of the target from
 *   the device must succeed — it needs IN_DEV_FORWARD of the device for a target that is not
 *   local — and be unicast, and arp_fwd_proxy wants the route's device to differ from the
 *   receiving one (medium_id is not modelled). proxy_delay is taken as 0, as Calico sets it.
 * Bridges on the way learn both MACs (request and reply), and the answering namespace caches the
 * asker as STALE, as a real exchange leaves them. No answer → FAILED.
 */
import { type Ip, formatIp, ipEquals } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { addrType, selectSourceAddress } from './addr.js';
import { hasAnycast } from './anycast.js';
import { ownNeigh } from './cow.js';
import { InternalError } from '../diag/diagnostic.js';
import { CommandError } from './errors.js';
import { type NetnsMap, hasCarrier } from './link/carrier.js';
import { fdbLearn } from './link/fdb.js';
import { bridgePorts } from './link/port.js';
import { peekNetns } from './overlay.js';
import { floodPorts } from './neigh-index.js';
import { recall, remember } from './neigh-memo.js';
import { worldGeneration } from './netns-changes.js';
import type { Link } from './link/types.js';
import { type NeighEntry, type NeighState, type Netns, nextSeq } from './netns.js';
import { type DeferredNetnsWork, mayOwn, peekDeferred } from './deferred-netns.js';
import { fibLookup } from './route/fib.js';
import { forwarding, proxyArp } from './sysctl.js';

/** `ip neigh replace IP lladdr MAC dev DEV nud STATE` (PERMANENT by default, as flannel and Calico add them). */
export function addNeigh(ns: Netns, spec: { dev: string; ip: Ip; mac?: Mac; state?: NeighState }): NeighEntry {
  if (ns.links[spec.dev] === undefined) throw new CommandError(`ip neigh add ${formatIp(spec.ip)} dev ${spec.dev}`, `Cannot find device "${spec.dev}"`);
  const entry: NeighEntry = { dev: spec.dev, ip: spec.ip, state: spec.state ?? 'PERMANENT', seq: nextSeq(ns), ...(spec.mac !== undefined ? { mac: spec.mac } : {}) };
  const kept = ns.neigh.filter((n) => !(n.dev === spec.dev && ipEquals(n.ip, spec.ip)));
  ownNeigh(ns).splice(0, ns.neigh.length, ...kept, entry);
  return entry;
}

/** `ip neigh del IP dev DEV`. */
export function delNeigh(ns: Netns, dev: string, ip: Ip): void {
  const kept = ns.neigh.filter((n) => !(n.dev === dev && ipEquals(n.ip, ip)));
  ownNeigh(ns).splice(0, ns.neigh.length, ...kept);
}

/** The cache entry for an address on a device. */
export function findNeigh(ns: Netns, dev: string, ip: Ip): NeighEntry | undefined {
  return ns.neigh.find((n) => n.dev === dev && ipEquals(n.ip, ip));
}

/** The device that answered an ARP request by proxy ARP. */
export interface ProxyArpAnswer {
  readonly ns: string;
  readonly dev: string;
}

/** The outcome of {@link resolveNeigh}. `proxyArp` names the device when a proxy answered this exchange. */
export type NeighResult =
  | { readonly kind: 'resolved'; readonly mac: Mac; readonly state: NeighState; readonly cached: boolean; readonly proxyArp?: ProxyArpAnswer }
  /** `outside`: the L2 domain reaches past what the model holds (a device of an imported node), so nobody can say. */
  | { readonly kind: 'failed'; readonly detail: string; readonly outside?: boolean };

/** A bridge crossed: the port the request entered by (none when the bridge device itself asks) and the port it left by (none when the bridge device itself answers). */
interface Crossing {
  readonly ns: Netns;
  readonly bridge: string;
  readonly inPort?: string;
  readonly outPort?: string;
}

/** The bridges crossed so far, newest last, as a list sharing its tail (a flood over a segment's every port copies nothing). */
interface Crossed {
  readonly last: Crossing;
  readonly before: Crossed | undefined;
}

function crossedList(c: Crossed | undefined): Crossing[] {
  const out: Crossing[] = [];
  for (let x = c; x !== undefined; x = x.before) out.push(x.last);
  return out.reverse();
}

interface Hop {
  readonly ns: Netns;
  readonly dev: string;
  readonly crossed: Crossed | undefined;
  /** `ns` is a peek at a namespace whose deferred setup has not run (deferred-netns.ts). Always present (one shape). */
  readonly pending: DeferredNetnsWork | undefined;
}

/** The answering device's hop, with the bridges crossed as a list. */
interface Found {
  readonly ns: Netns;
  readonly dev: string;
  readonly bridges: readonly Crossing[];
}

/** Who answers: a device with its MAC, and whether it answered by proxy. */
interface Answer {
  readonly mac: Mac;
  readonly proxy: boolean;
}

/**
 * Whether the device `dev` of `ns` answers a request for `ip` from `sender`, and with which MAC
 * (arp_process, ndisc_recv_ns). Carrier is asked last: every test here only reads, and most
 * devices of a flooded segment own nothing the request asks for.
 */
function answers(all: NetnsMap, ns: Netns, dev: string, ip: Ip, sender: Ip | undefined): Answer | undefined {
  const link = ns.links[dev];
  if (link === undefined || !link.up) return undefined;
  const answer = wouldAnswer(ns, link, ip, sender);
  return answer !== undefined && hasCarrier(all, ns, link) ? answer : undefined;
}

/** {@link answers} before the carrier test. */
function wouldAnswer(ns: Netns, link: Link, ip: Ip, sender: Ip | undefined): Answer | undefined {
  const dev = link.name;
  const local = ip.family === 6 ? ns.addrs.some((a) => a.dev === dev && ipEquals(a.cidr.addr, ip)) : addrType(ns, ip) === 'LOCAL';
  if (local || hasAnycast(ns, dev, ip)) return { mac: link.mac, proxy: false };
  if (ip.family === 4 && proxyArp(ns, dev) && forwarding(ns, 4, dev)) {
    const r = fibLookup(ns, { dst: ip, ...(sender !== undefined ? { src: sender } : {}), mark: 0, iif: dev });
    if (r.kind === 'route' && r.route.type === 'unicast' && r.route.dev !== dev) return { mac: link.mac, proxy: true };
  }
  return undefined;
}

/**
 * The ports of `bridge` a request for `ip` is flooded through: every port (bridgePorts), or,
 * on a bridge with many, only those that may lead to an answer (neigh-index.ts), which finds
 * the same one.
 */
function floodedPorts(all: NetnsMap, ns: Netns, bridge: string, ip: Ip): readonly Link[] {
  return floodPorts(all, ns, bridge, ip) ?? bridgePorts(ns, bridge);
}

/** Where a request for `ip` sent out of `dev` arrives: the veth peer, or the ports of a bridge (appended to `out`). */
function transmit(all: NetnsMap, from: Hop, ip: Ip, out: Hop[]): void {
  const link = from.ns.links[from.dev];
  if (link === undefined || !link.up) return;
  if (link.kind === 'veth') {
    // A node whose pods' setup is deferred is seen as it stands: only the one that may answer needs it run (settled).
    const peer = peekDeferred(all, link.peer.ns);
    if (peer === undefined) return;
    out.push({ ns: peer.ns, dev: link.peer.dev, crossed: from.crossed, pending: peer.pending });
    return;
  }
  if (link.kind === 'bridge') {
    for (const p of floodedPorts(all, from.ns, link.name, ip)) {
      transmit(all, { ns: from.ns, dev: p.name, crossed: { last: { ns: from.ns, bridge: link.name, outPort: p.name }, before: from.crossed }, pending: undefined }, ip, out);
    }
  }
}

/** Breadth-first search for the answering device; returns it with the bridges crossed. */
function discover(all: NetnsMap, ns: Netns, dev: string, ip: Ip, sender: Ip | undefined): { hop: Found; answer: Answer } | undefined {
  // Devices met, by namespace name (no `ns/dev` string per port of a flooded segment).
  const seen = new Map<string, Set<string>>([[ns.name, new Set([dev])]]);
  const visit = (n: string, d: string): boolean => {
    let devs = seen.get(n);
    if (devs === undefined) seen.set(n, (devs = new Set()));
    if (devs.has(d)) return false;
    devs.add(d);
    return true;
  };
  let frontier: Hop[] = [];
  transmit(all, { ns, dev, crossed: undefined, pending: undefined }, ip, frontier);
  while (frontier.length > 0) {
    const next: Hop[] = [];
    for (const peeked of frontier) {
      const hop = visit(peeked.ns.name, peeked.dev) ? settled(all, peeked, ip, sender) : undefined;
      const link = hop?.ns.links[hop.dev];
      if (hop === undefined || link === undefined || !link.up) continue;
      if (link.master === undefined) {
        const answer = answers(all, hop.ns, hop.dev, ip, sender);
        if (answer !== undefined) return { hop: { ns: hop.ns, dev: hop.dev, bridges: crossedList(hop.crossed) }, answer };
        continue;
      }
      const br = link.master;
      const brAnswer = answers(all, hop.ns, br, ip, sender);
      if (brAnswer !== undefined) return { hop: { ns: hop.ns, dev: br, bridges: crossedList({ last: { ns: hop.ns, bridge: br, inPort: hop.dev }, before: hop.crossed }) }, answer: brAnswer };
      for (const p of floodedPorts(all, hop.ns, br, ip)) {
        if (p.name === hop.dev) continue;
        transmit(all, { ns: hop.ns, dev: p.name, crossed: { last: { ns: hop.ns, bridge: br, inPort: hop.dev, outPort: p.name }, before: hop.crossed }, pending: undefined }, ip, next);
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * A hop with its namespace's deferred setup run, or undefined when the hop provably does not
 * answer and forwards nothing, setup or not: a device without a master that does not answer now,
 * with proxy ARP off (the setup never turns it on), whose setup adds no address that could be `ip`.
 */
function settled(all: NetnsMap, hop: Hop, ip: Ip, sender: Ip | undefined): Hop | undefined {
  if (hop.pending === undefined) return hop;
  const link = hop.ns.links[hop.dev];
  const quiet = link !== undefined && link.master === undefined && !mayOwn(hop.pending, ip) && !proxyArp(hop.ns, hop.dev) && answers(all, hop.ns, hop.dev, ip, sender) === undefined;
  if (quiet) return undefined;
  const ns = all[hop.ns.name];
  if (ns === undefined) return undefined;
  return { ns, dev: hop.dev, crossed: hop.crossed, pending: undefined };
}

/**
 * Who answers a request for `ip` out of `dev` of `ns` from `sender`, with the namespaces as `all`
 * hands them out for writing: remembered for a built world traced through overlays (neigh-memo.ts),
 * else found by {@link discover}.
 */
function discovered(all: NetnsMap, ns: Netns, dev: string, ip: Ip, sender: Ip | undefined): { hop: Found; answer: Answer } | undefined {
  const known = recall(all, ns.name, dev, ip);
  if (known === null) return undefined;
  if (known !== undefined) return { answer: known.answer, hop: { ns: mustHave(all, known.ns), dev: known.dev, bridges: known.bridges.map((b) => ({ ...b, ns: mustHave(all, b.ns) })) } };
  // The broadcast reads every namespace of the L2 domain; through an overlay, only those it writes
  // to (the bridges crossed, the answerer) are forked, below.
  const generation = worldGeneration();
  const seen = discover(peekNetns(all), ns, dev, ip, sender);
  remember(all, ns.name, dev, ip, generation, seen === undefined ? null : { ns: seen.hop.ns.name, dev: seen.hop.dev, bridges: seen.hop.bridges.map((b) => ({ ...b, ns: b.ns.name })), answer: seen.answer });
  return seen === undefined ? undefined : writable(all, seen);
}

/** A namespace a remembered discovery names: the world has not changed since, so it is there. */
function mustHave(all: NetnsMap, name: string): Netns {
  const ns = all[name];
  if (ns === undefined) throw new InternalError(`neigh-memo: no namespace ${name}`);
  return ns;
}

/** The discovery's namespaces as `all` hands them out for writing (an overlay's forks, not the base's). */
function writable(all: NetnsMap, f: { hop: Found; answer: Answer }): { hop: Found; answer: Answer } {
  const own = (ns: Netns): Netns => all[ns.name] ?? ns;
  return { answer: f.answer, hop: { ...f.hop, ns: own(f.hop.ns), bridges: f.hop.bridges.map((b) => ({ ...b, ns: own(b.ns) })) } };
}

/** Whether ARP on `link` reaches a device whose far side the model does not hold (a veth of an imported node into a pod, or a bridge with such a port). */
function reachesOutside(all: NetnsMap, ns: Netns, link: Link): boolean {
  if (link.kind === 'veth') return link.dump?.netnsid !== undefined && all[link.peer.ns] === undefined;
  if (link.kind === 'bridge') return bridgePorts(ns, link.name).some((p) => p.kind !== 'bridge' && reachesOutside(all, ns, p));
  return false;
}

/**
 * Resolves `ip` on `dev` of `ns` (neigh_resolve_output): a usable cache entry, or an ARP/ND
 * exchange over the L2 domain, whose outcome is cached (REACHABLE or FAILED). Loopback and
 * NOARP devices (ipip, and dummy, which dummy_setup() marks IFF_NOARP) need no resolution.
 */
export function resolveNeigh(all: NetnsMap, ns: Netns, dev: string, ip: Ip): NeighResult {
  const link = ns.links[dev];
  if (link === undefined) return { kind: 'failed', detail: `no device ${dev}` };
  if (link.kind === 'loopback' || link.kind === 'ipip' || link.kind === 'dummy') return { kind: 'resolved', mac: link.mac, state: 'PERMANENT', cached: true };
  const cached = findNeigh(ns, dev, ip);
  if (cached?.mac !== undefined && cached.state !== 'FAILED') return { kind: 'resolved', mac: cached.mac, state: cached.state, cached: true };
  const asker = selectSourceAddress(ns, dev, ip.family, ip);
  const found = link.kind === 'vxlan' ? undefined : discovered(all, ns, dev, ip, asker);
  if (found === undefined && reachesOutside(all, ns, link)) {
    return { kind: 'failed', detail: `${formatIp(ip)} dev ${dev}: the answer would come from beyond the imported node, which the dump does not hold`, outside: true };
  }
  if (found === undefined) {
    addNeigh(ns, { dev, ip, state: 'FAILED' });
    const why = link.kind === 'vxlan' ? 'no permanent entry on the VXLAN device' : 'nobody on the L2 domain answered';
    return { kind: 'failed', detail: `${formatIp(ip)} dev ${dev}: ${why}` };
  }
  for (const b of found.hop.bridges) {
    const br = b.ns.links[b.bridge];
    if (br?.kind !== 'bridge') continue;
    if (b.inPort !== undefined) fdbLearn(b.ns, br, b.inPort, link.mac);
    if (b.outPort !== undefined) fdbLearn(b.ns, br, b.outPort, found.answer.mac);
  }
  if (asker !== undefined && findNeigh(found.hop.ns, found.hop.dev, asker) === undefined) {
    addNeigh(found.hop.ns, { dev: found.hop.dev, ip: asker, mac: link.mac, state: 'STALE' });
  }
  const { mac, proxy } = found.answer;
  addNeigh(ns, { dev, ip, mac, state: 'REACHABLE' });
  return { kind: 'resolved', mac, state: 'REACHABLE', cached: false, ...(proxy ? { proxyArp: { ns: found.hop.ns.name, dev: found.hop.dev } } : {}) };
}
