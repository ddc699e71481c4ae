/**
 * Indexes over a large namespace's devices, kept beside `ns.links` so that the link verbs stay
 * linear in a node network's size. The node network is one segment namespace with a bridge port
 * per node: adding port N used to scan all N ports three times (the bridge's MAC, its MTU —
 * br_stp_recalculate_bridge_id, br_mtu_auto_adjust — and which devices still await an IPv6
 * link-local address, carrier.ts), which made building 5,000 nodes quadratic.
 *
 * What is indexed, each equal to the scan it replaces (link-index.property.test.ts):
 * - the ports of each bridge, with their lowest MAC and MTU (kept on a port joining, recomputed
 *   from the ports after one leaves or changes);
 * - the devices with an IPv6 link-local address, and the autoconfiguring devices without one;
 * - each device's addresses (`ip link set up` reads a port's).
 *
 * Every write to `ns.links` goes through {@link putLink} and {@link dropLink}, which keep an
 * existing index up to date (and note the namespace in netns-changes.ts, for the ARP/ND port index) (test/architecture checks that nothing else writes it). The addresses
 * are not hooked: the index remembers how long `ns.addrs` was and its last element, reads only
 * what was pushed since, and starts again from the whole list when anything else changed it.
 * A namespace gets an index the first time a verb scans it with at least
 * {@link INDEX_MIN_LINKS} devices (pods and small nodes keep the plain scans).
 */
import type { Mac } from '../../addr/mac.js';
import { ownLinks } from '../cow.js';
import type { IfAddr, Netns } from '../netns.js';
import type { Link } from './types.js';
import { noteNetnsChange } from '../netns-changes.js';

/**
 * Devices a namespace needs before its links are indexed (the scans are cheaper below). A node
 * with pods passes it: its bridge gains a port per pod, and each CNI ADD brings carrier updates
 * (the port made, the pod end up), each of which scanned every device and address. From 6, a
 * node is indexed by its third pod (lo, eth0, cni0, veths); at 16 its first dozen pods' scans
 * were a tenth of its first read. A pod's namespace (lo, eth0) stays below it.
 */
export const INDEX_MIN_LINKS = 6;

/** Devices that get an IPv6 link-local address on carrier (ipip tunnels and loopback do not). */
export function autoconfigures(link: Link): boolean {
  return link.kind === 'veth' || link.kind === 'bridge' || link.kind === 'dummy' || link.kind === 'vxlan';
}

/** An IPv6 link-scope address (what addrconf gives a device on carrier). */
function isLinkLocalAddr(a: IfAddr): boolean {
  return a.cidr.addr.family === 6 && a.scope === 'link';
}

/** The lowest MAC and MTU of a bridge's ports; undefined while they must be recomputed. */
interface PortMins {
  mac: Mac | undefined;
  mtu: number | undefined;
}

interface LinkIndex {
  /** Bridge name → its ports' names. */
  readonly ports: Map<string, Set<string>>;
  readonly mins: Map<string, PortMins | undefined>;
  /** Bridge name → each MAC's lowest-ifindex port (fdb.ts local entries); undefined while it must be recomputed. */
  readonly macs: Map<string, Map<Mac, MacPort> | undefined>;
  /** Devices with an IPv6 link-scope address, read from `addrs` up to `addrsLen`. */
  linkLocal: Set<string>;
  /** Autoconfiguring devices not in `linkLocal`. */
  pending: Set<string>;
  /** Each device's addresses, in `addrs` order. */
  byDev: Map<string, IfAddr[]>;
  addrs: IfAddr[];
  addrsLen: number;
  addrsLast: IfAddr | undefined;
}

/** Keyed by the `links` record itself (every Netns sharing it shares the index). */
const indexes = new WeakMap<Record<string, Link>, LinkIndex>();

/** When a namespace is indexed: never (every question answered by a scan), or from this many devices. */
let minLinks: number | undefined = INDEX_MIN_LINKS;

/**
 * Index namespaces from `from` devices on, or never (`undefined`); returns the previous setting.
 * For tests, which compare the indexed answers with the scans on small namespaces.
 */
export function setLinkIndexing(from: number | undefined): number | undefined {
  const was = minLinks;
  minLinks = from;
  return was;
}

/** `ns.links[link.name] = link`, keeping the namespace's index. */
export function putLink(ns: Netns, link: Link): void {
  noteNetnsChange(ns.name);
  // A trace's fork shares its devices with the base until it writes one (cow.ts); its own record has no index yet.
  const links = ownLinks(ns);
  const before = links[link.name];
  links[link.name] = link;
  const ix = indexes.get(ns.links);
  if (ix !== undefined) noteChange(ix, before, link);
}

/** `delete ns.links[name]`, keeping the namespace's index. */
export function dropLink(ns: Netns, name: string): void {
  noteNetnsChange(ns.name);
  const links = ownLinks(ns);
  const before = links[name];
  delete links[name];
  const ix = indexes.get(ns.links);
  if (ix !== undefined && before !== undefined) noteChange(ix, before, undefined);
}

function noteChange(ix: LinkIndex, before: Link | undefined, after: Link | undefined): void {
  const name = (after ?? before)?.name;
  if (name === undefined) return;
  noteMac(ix, before, after);
  if (before?.master !== undefined && before.master !== after?.master) {
    ix.ports.get(before.master)?.delete(name);
    ix.mins.set(before.master, undefined);
  }
  if (after?.master !== undefined) {
    const joined = before?.master !== after.master;
    if (joined) portSet(ix, after.master).add(name);
    const m = ix.mins.get(after.master);
    if (m !== undefined && joined) {
      // A port joining can only lower the minimums.
      if (m.mac === undefined || after.mac < m.mac) m.mac = after.mac;
      if (m.mtu === undefined || after.mtu < m.mtu) m.mtu = after.mtu;
    } else if (!joined && (before?.mac !== after.mac || before.mtu !== after.mtu)) ix.mins.set(after.master, undefined);
  }
  if (after !== undefined && autoconfigures(after) && !ix.linkLocal.has(name)) ix.pending.add(name);
  else ix.pending.delete(name);
}

/** A bridge's port holding a MAC. */
interface MacPort {
  readonly name: string;
  readonly ifindex: number;
}

/** Keeps the MAC maps: a port joining (or changing MAC) may become its MAC's port; the port a MAC names leaving or changing forces a recount. */
function noteMac(ix: LinkIndex, before: Link | undefined, after: Link | undefined): void {
  const same = before !== undefined && after !== undefined && before.master === after.master && before.mac === after.mac && before.ifindex === after.ifindex;
  if (same) return;
  if (before?.master !== undefined && ix.macs.get(before.master)?.get(before.mac)?.name === before.name) ix.macs.set(before.master, undefined);
  if (after?.master === undefined) return;
  const m = ix.macs.get(after.master);
  const held = m?.get(after.mac);
  if (m !== undefined && (held === undefined || after.ifindex < held.ifindex)) m.set(after.mac, { name: after.name, ifindex: after.ifindex });
}

function portSet(ix: LinkIndex, bridge: string): Set<string> {
  let s = ix.ports.get(bridge);
  if (s === undefined) ix.ports.set(bridge, (s = new Set()));
  return s;
}

/** The namespace's index, brought up to date with its addresses; undefined for a small namespace. */
function indexOf(ns: Netns): LinkIndex | undefined {
  let ix = indexes.get(ns.links);
  if (ix === undefined) {
    // Every device holds an ifindex of its own below the counter: a namespace that has handed out
    // fewer than `minLinks` has fewer devices (a pod's, asked on every carrier update), no count needed.
    if (minLinks === undefined || ns.counters.ifindex <= minLinks || !atLeast(ns.links, minLinks)) return undefined;
    const links = Object.values(ns.links);
    ix = { ports: new Map(), mins: new Map(), macs: new Map(), linkLocal: new Set(), pending: new Set(), byDev: new Map(), addrs: ns.addrs, addrsLen: 0, addrsLast: undefined };
    for (const l of links) if (l.master !== undefined) portSet(ix, l.master).add(l.name);
    readAllAddrs(ix, ns, links);
    indexes.set(ns.links, ix);
    return ix;
  }
  const a = ns.addrs;
  // Only pushes since the last look: read the new tail. Anything else: read everything again.
  if (a === ix.addrs && a.length >= ix.addrsLen && (ix.addrsLen === 0 || a[ix.addrsLen - 1] === ix.addrsLast)) {
    for (let i = ix.addrsLen; i < a.length; i++) {
      const x = a[i];
      if (x === undefined) continue;
      addrSet(ix, x.dev).push(x);
      if (isLinkLocalAddr(x)) {
        ix.linkLocal.add(x.dev);
        ix.pending.delete(x.dev);
      }
    }
    ix.addrsLen = a.length;
    ix.addrsLast = a[a.length - 1];
  } else readAllAddrs(ix, ns, Object.values(ns.links));
  return ix;
}

/** Whether `links` has `n` devices or more (counted without building the array of them). */
function atLeast(links: Record<string, Link>, n: number): boolean {
  let count = 0;
  for (const _ in links) if (++count >= n) return true;
  return count >= n;
}

function addrSet(ix: LinkIndex, dev: string): IfAddr[] {
  let s = ix.byDev.get(dev);
  if (s === undefined) ix.byDev.set(dev, (s = []));
  return s;
}

function readAllAddrs(ix: LinkIndex, ns: Netns, links: readonly Link[]): void {
  ix.byDev = new Map();
  for (const a of ns.addrs) addrSet(ix, a.dev).push(a);
  ix.linkLocal = new Set(ns.addrs.filter(isLinkLocalAddr).map((a) => a.dev));
  ix.pending = new Set(links.filter((l) => autoconfigures(l) && !ix.linkLocal.has(l.name)).map((l) => l.name));
  ix.addrs = ns.addrs;
  ix.addrsLen = ns.addrs.length;
  ix.addrsLast = ns.addrs[ns.addrs.length - 1];
}

/**
 * The autoconfiguring devices of `ns` without an IPv6 link-local address, in no particular order
 * (carrier.ts `syncCarrier`, which sorts what it is given). Usually none: then one shared empty
 * list (every link verb asks, a node's first read a hundred times).
 */
export function awaitingLinkLocal(ns: Netns): Link[] {
  const ix = indexOf(ns);
  if (ix === undefined) {
    // A small namespace (a pod's): a scan of its few addresses per device, no set or copies.
    let out: Link[] | undefined;
    for (const name in ns.links) {
      const l = ns.links[name] as Link;
      if (!autoconfigures(l)) continue;
      let has = false;
      for (const a of ns.addrs) {
        if (a.dev === name && isLinkLocalAddr(a)) {
          has = true;
          break;
        }
      }
      if (!has) (out ??= []).push(l);
    }
    return out ?? NONE;
  }
  if (ix.pending.size === 0) return NONE;
  const pending: Link[] = [];
  for (const name of ix.pending) {
    const l = ns.links[name];
    if (l !== undefined) pending.push(l);
  }
  return pending;
}

const NONE: Link[] = Object.freeze([]) as unknown as Link[];

/**
 * The addresses of `dev`, in `ns.addrs` order, when `ns` is indexed; undefined otherwise (the
 * caller scans). Never builds an index: addr.ts `devAddrs` asks on every packet.
 */
export function indexedAddrs(ns: Netns, dev: string): readonly IfAddr[] | undefined {
  if (!indexes.has(ns.links)) return undefined;
  return indexOf(ns)?.byDev.get(dev) ?? [];
}

/** How many ports `bridge` has, when `ns` is indexed; undefined otherwise. Never builds an index (neigh-index.ts asks per ARP request). */
export function indexedPortCount(ns: Netns, bridge: string): number | undefined {
  const ix = indexes.get(ns.links);
  return ix === undefined ? undefined : (ix.ports.get(bridge)?.size ?? 0);
}

/** The lowest MAC and MTU among the ports of `bridge` (undefined without ports). */
export function portMinimums(ns: Netns, bridge: string): { readonly mac: Mac | undefined; readonly mtu: number | undefined } {
  const ix = indexOf(ns);
  if (ix === undefined) return scanMinimums(Object.values(ns.links).filter((l) => l.master === bridge));
  let m = ix.mins.get(bridge);
  if (m === undefined) {
    const ports: Link[] = [];
    for (const name of ix.ports.get(bridge) ?? []) {
      const l = ns.links[name];
      if (l !== undefined) ports.push(l);
    }
    m = scanMinimums(ports);
    ix.mins.set(bridge, m);
  }
  return { mac: m.mac, mtu: m.mtu };
}

function scanMinimums(ports: readonly Link[]): PortMins {
  let mac: Mac | undefined;
  let mtu: number | undefined;
  for (const l of ports) {
    if (mac === undefined || l.mac < mac) mac = l.mac;
    if (mtu === undefined || l.mtu < mtu) mtu = l.mtu;
  }
  return { mac, mtu };
}

/**
 * The lowest-ifindex port of `bridge` with MAC `mac` (its local FDB entry, fdb.ts), null when no
 * port has it; undefined when `ns` is not indexed (the caller scans). Never builds an index.
 */
export function indexedPortWithMac(ns: Netns, bridge: string, mac: Mac): Link | null | undefined {
  const ix = indexes.get(ns.links);
  if (ix === undefined) return undefined;
  let macs = ix.macs.get(bridge);
  if (macs === undefined) {
    macs = new Map();
    for (const name of ix.ports.get(bridge) ?? []) {
      const l = ns.links[name];
      if (l === undefined) continue;
      const held = macs.get(l.mac);
      if (held === undefined || l.ifindex < held.ifindex) macs.set(l.mac, { name, ifindex: l.ifindex });
    }
    ix.macs.set(bridge, macs);
  }
  const port = macs.get(mac);
  return port === undefined ? null : (ns.links[port.name] ?? null);
}
