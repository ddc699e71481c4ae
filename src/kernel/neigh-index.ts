/**
 * Which ports of a bridge an ARP request or neighbour solicitation must be followed through, so
 * that discovery over a node network's segment (a bridge with a port per node) does not visit
 * 5,000 ports to find the one that answers. neigh.ts `discover` floods only the ports this
 * returns, in port order, and visits them exactly as before; the answer, the bridges crossed,
 * the deferred setups run and everything written afterwards are those of flooding every port
 * (neigh-index.property.test.ts compares the two on random topologies).
 *
 * A port is *regular* when it is an up veth whose far end, read as the flood would read it
 * (peekDeferred), is a device without a master and with proxy_arp off. Such a device forwards
 * nothing and answers (arp_process, ndisc_recv_ns, and the pending-namespace test of neigh.ts
 * `settled`) only for an address in one of these *keys*, an over-approximation:
 * - IPv4: the destination of a `local` route of its namespace's local table (the address type
 *   is LOCAL only when the longest match there is such a route, which then contains it);
 * - IPv6: an address of the device itself, or an `anycast` /128 route of the device;
 * - while the namespace's deferred setup is pending: the prefixes its addresses will lie in.
 * A regular port whose keys miss the address is skipped: the flood would reach its far end, find
 * no answer and go no further, and nothing it reads there changes during the discovery except by
 * that namespace's own deferred setup, which a skipped port never runs. Every other port is
 * *irregular* and always flooded.
 *
 * The index is kept per world map (an overlay's base: an overlay's own namespaces are flooded
 * as irregular ports) and per bridge, and repaired from netns-changes.ts: the ports whose far
 * namespace changed are classified again; a change to the bridge's own namespace, or a log that
 * no longer reaches back, rebuilds it. When in doubt (a bridge namespace of the overlay's own, a
 * pending one), and on a bridge's first flood (NEIGH_FLOODS_BEFORE_INDEX), the caller floods every port.
 */
import type { Cidr } from '../addr/cidr.js';
import type { Ip } from '../addr/ip.js';
import { type NetnsPeek, pendingPeek } from './deferred-netns.js';
import { indexedPortCount } from './link/link-index.js';
import { bridgePorts } from './link/port.js';
import type { Link } from './link/types.js';
import type { Netns } from './netns.js';
import { changeMark, changesSince, watchRoutes } from './netns-changes.js';
import { overlayParts } from './overlay.js';
import { indexAll } from './route/prefix-index.js';
import { TABLE_LOCAL } from './route/types.js';
import { proxyArp } from './sysctl.js';

type NetnsMap = Readonly<Record<string, Netns>>;

/**
 * Bridges with fewer ports are flooded port by port. The index is rebuilt after any change to its
 * bridge's namespace (a node's `cni0` changes when the node's deferred build runs), which costs
 * about one flood; once the node is built, a trace's ARP for a pod behind `cni0` (30 to 110 ports)
 * visits one port instead of all, which is a tenth of a steady-state trace (docs/performance.md,
 * issue 13). Below this a flood is as cheap as the lookup. The node network's segment has a port per node.
 */
export const NEIGH_INDEX_MIN_PORTS = 8;

/** Log entries per port past which reading the backlog costs more than classifying every port again. */
const REBUILD_AFTER = 8;

let minPorts: number | undefined = NEIGH_INDEX_MIN_PORTS;

/**
 * Index bridges from `from` ports on, or never (`undefined`, every flood visits every port);
 * returns the previous setting. For tests, which compare the two.
 */
export function setNeighIndexing(from: number | undefined): number | undefined {
  const was = minPorts;
  minPorts = from;
  return was;
}

/** A key: an address or prefix, as (family, length, the address's top `length` bits). */
interface Key {
  readonly family: 4 | 6;
  readonly len: number;
  readonly bits: number | bigint;
}

interface Port {
  readonly name: string;
  /** The namespace of the veth's far end (a change there reclassifies the port). */
  readonly peer: string | undefined;
  /** Undefined: irregular. */
  keys: readonly Key[] | undefined;
  /** Where the port stands in each key's holders, by key (a port leaves its keys without searching them). */
  slots: number[];
}

interface BridgeIndex {
  /** The devices read: the bridge namespace's record (an unwritten fork's is the base's own, cow.ts). */
  readonly links: Record<string, Link>;
  mark: number;
  readonly ports: readonly Port[];
  readonly byPeer: Map<string, number[]>;
  readonly irregular: Set<number>;
  /** By family, then key length, then key bits: the regular ports holding the key, in no order. */
  readonly keyed: { readonly 4: Map<number, Map<number | bigint, number[]>>; readonly 6: Map<number, Map<number | bigint, number[]>> };
}

/**
 * Floods of a bridge that visit every port before its index is built. A trace at 5,000 nodes
 * reads a node seen for the first time, and floods its `cni0` once for the pod it delivers to:
 * building the index there cost about three floods of its 35 ports and served one lookup.
 * A bridge of {@link INDEX_AT_ONCE_PORTS} ports or more (the node network's segment) is indexed
 * at its first flood, which would cost as much as the build.
 */
export const NEIGH_FLOODS_BEFORE_INDEX = 1;
const INDEX_AT_ONCE_PORTS = 256;
let floodsBefore = NEIGH_FLOODS_BEFORE_INDEX;

/** Sets how many floods of a bridge visit every port before its index is built (tests: 0); returns the previous setting. */
export function setNeighFloodsBeforeIndex(n: number): number {
  const was = floodsBefore;
  floodsBefore = n;
  return was;
}

/** World map → bridge namespace name → bridge name → index, or the floods so far while there is none. */
const indexes = new WeakMap<object, Map<string, Map<string, BridgeIndex | number>>>();

/**
 * The ports of `bridge` in `ns` (as `all` holds it) an ARP/ND request for `ip` must be flooded
 * through, in port order: a subsequence of `bridgePorts(ns, bridge)` whose flood finds the same
 * answer; undefined when every port must be.
 */
export function floodPorts(all: NetnsMap, ns: Netns, bridge: string, ip: Ip): Link[] | undefined {
  if (minPorts === undefined || (minPorts > 0 && !hasPorts(ns, bridge, minPorts))) return undefined;
  const parts = overlayParts(all);
  const base = parts?.base ?? all;
  const held = quietPeek(base, ns.name);
  const links = ns.links;
  if (held === undefined || held === null || held.pending !== undefined || held.ns.links !== links) return undefined;
  const ix = current(base, held.ns, bridge, links);
  if (ix === undefined) return undefined;
  const at: number[] = [...ix.irregular];
  for (const [len, byBits] of ix.keyed[ip.family]) {
    const holders = byBits.get(keyBits(ip, len));
    if (holders !== undefined) for (const i of holders) at.push(i);
  }
  if (parts !== undefined) {
    // The overlay's own namespaces (forks, replacements) are read as the overlay holds them.
    for (const name of parts.own.keys()) for (const i of ix.byPeer.get(name) ?? []) at.push(i);
  }
  at.sort((a, b) => a - b);
  const out: Link[] = [];
  let last = -1;
  for (const i of at) {
    if (i === last) continue;
    last = i;
    const l = ns.links[(ix.ports[i] as Port).name];
    if (l !== undefined) out.push(l);
  }
  return out;
}

/** Whether `bridge` has at least `n` ports (the link index counts them in a large namespace). */
function hasPorts(ns: Netns, bridge: string, n: number): boolean {
  const counted = indexedPortCount(ns, bridge);
  if (counted !== undefined) return counted >= n;
  let count = 0;
  for (const name in ns.links) if ((ns.links[name] as Link).master === bridge && ++count >= n) return true;
  return false;
}

/** The index of `bridge`, built or repaired to match `base` now; undefined while its first floods visit every port. */
function current(base: NetnsMap, ns: Netns, bridge: string, links: Record<string, Link>): BridgeIndex | undefined {
  const nsName = ns.name;
  let byNs = indexes.get(base);
  if (byNs === undefined) indexes.set(base, (byNs = new Map()));
  let byBridge = byNs.get(nsName);
  if (byBridge === undefined) byNs.set(nsName, (byBridge = new Map()));
  const ix = byBridge.get(bridge);
  if (typeof ix === 'object' && ix.links === links && repair(base, nsName, ix)) return ix;
  const floods = typeof ix === 'number' ? ix : ix === undefined ? 0 : floodsBefore;
  if (floods < floodsBefore && !hasPorts(ns, bridge, INDEX_AT_ONCE_PORTS)) {
    byBridge.set(bridge, floods + 1);
    return undefined;
  }
  const built = build(base, bridge, ns, links);
  byBridge.set(bridge, built);
  return built;
}

function build(base: NetnsMap, bridge: string, ns: Netns, links: Record<string, Link>): BridgeIndex {
  const ix: BridgeIndex = { links, mark: changeMark(), ports: [], byPeer: new Map(), irregular: new Set(), keyed: { 4: new Map(), 6: new Map() } };
  const ports = ix.ports as Port[];
  for (const l of bridgePorts(ns, bridge)) {
    const i = ports.length;
    const peer = l.kind === 'veth' ? l.peer.ns : undefined;
    ports.push({ name: l.name, peer, keys: undefined, slots: [] });
    if (peer !== undefined) {
      const at = ix.byPeer.get(peer);
      if (at === undefined) ix.byPeer.set(peer, [i]);
      else at.push(i);
    }
    classify(base, ix, i, l);
  }
  return ix;
}

/** Brings `ix` up to date with the changes noted since it last looked; false when it must be rebuilt. */
function repair(base: NetnsMap, nsName: string, ix: BridgeIndex): boolean {
  const since = changesSince(ix.mark);
  // A long backlog (a bridge nobody asked through for a while) costs more to read than a rebuild.
  if (since === undefined || since.names.length - since.from > REBUILD_AFTER * (ix.ports.length + 1)) return false;
  let changed: Set<string> | undefined;
  for (let k = since.from; k < since.names.length; k++) {
    const n = since.names[k] as string;
    if (n === nsName) return false;
    if (ix.byPeer.has(n)) (changed ??= new Set()).add(n);
  }
  ix.mark = changeMark();
  if (changed === undefined) return true;
  for (const n of changed) {
    for (const i of ix.byPeer.get(n) ?? []) {
      const port = ix.ports[i] as Port;
      const l = ix.links[port.name];
      unkey(ix, i);
      if (l !== undefined) classify(base, ix, i, l);
    }
  }
  return true;
}

/**
 * Takes port `i` out of the index. A key's holders are unordered (floodPorts sorts what it
 * collects): the last holder moves into the port's place, so a port leaves a key that every node
 * holds (127.0.0.1) without a scan of 5,000 positions.
 */
function unkey(ix: BridgeIndex, i: number): void {
  const port = ix.ports[i] as Port;
  const keys = port.keys;
  if (keys === undefined) ix.irregular.delete(i);
  else {
    for (let q = 0; q < keys.length; q++) {
      const k = keys[q] as Key;
      const holders = ix.keyed[k.family].get(k.len)?.get(k.bits);
      if (holders === undefined) continue;
      const pos = port.slots[q] as number;
      const last = holders.length - 1;
      const moved = holders.pop() as number;
      if (pos === last) continue;
      holders[pos] = moved;
      const m = ix.ports[moved] as Port;
      const mk = m.keys as readonly Key[];
      for (let r = 0; r < mk.length; r++) {
        const o = mk[r] as Key;
        if (m.slots[r] === last && o.family === k.family && o.len === k.len && o.bits === k.bits) {
          m.slots[r] = pos;
          break;
        }
      }
    }
  }
  port.keys = undefined;
  port.slots = [];
}

function classify(base: NetnsMap, ix: BridgeIndex, i: number, l: Link): void {
  const port = ix.ports[i] as Port;
  const keys = l.kind === 'veth' && l.up ? regularKeys(base, l.peer.ns, l.peer.dev) : undefined;
  port.keys = keys;
  if (keys === undefined) {
    ix.irregular.add(i);
    return;
  }
  const slots: number[] = [];
  for (const k of keys) {
    const byLen = ix.keyed[k.family];
    let byBits = byLen.get(k.len);
    if (byBits === undefined) byLen.set(k.len, (byBits = new Map()));
    const holders = byBits.get(k.bits);
    if (holders === undefined) {
      byBits.set(k.bits, [i]);
      slots.push(0);
    } else {
      slots.push(holders.length);
      holders.push(i);
    }
  }
  port.slots = slots;
}

/** The keys of device `dev` of namespace `name` when it is regular (see the module comment), else undefined. */
function regularKeys(base: NetnsMap, name: string, dev: string): Key[] | undefined {
  const peek = quietPeek(base, name);
  if (peek === undefined || peek === null) return undefined;
  const ns = peek.ns;
  const link = ns.links[dev];
  if (link === undefined || link.master !== undefined || proxyArp(ns, dev)) return undefined;
  const local = ns.tables[TABLE_LOCAL];
  if (local === undefined || local.v4.under !== undefined || local.v6.under !== undefined) return undefined;
  // Route writes to this table are noted under the name from now on (its addresses, devices and sysctls always are).
  watchRoutes(local.v4, name);
  watchRoutes(local.v6, name);
  const keys: Key[] = [];
  for (const r of indexAll(local.v4)) if (r.type === 'local') keys.push(keyOf(r.dst));
  for (const r of indexAll(local.v6)) if (r.type === 'anycast' && r.dev === dev && r.dst.prefix === 128) keys.push(keyOf(r.dst));
  for (const a of ns.addrs) if (a.dev === dev && a.cidr.addr.family === 6) keys.push(keyOf({ addr: a.cidr.addr, prefix: 128 }));
  if (peek.pending !== undefined) for (const c of peek.pending.addressesIn) keys.push(keyOf(c));
  return keys;
}

function keyOf(c: Cidr): Key {
  return { family: c.addr.family, len: c.prefix, bits: keyBits(c.addr, c.prefix) };
}

/** The top `len` bits of `ip` (a number for IPv4, a bigint for IPv6). */
function keyBits(ip: Ip, len: number): number | bigint {
  if (ip.family === 4) return len === 0 ? 0 : Number(ip.value) >>> (32 - len);
  return ip.value >> BigInt(128 - len);
}

/**
 * What `peekDeferred(view, name)` gives for a world map `base` (or an overlay's read-only view
 * of one), without running deferred work: null when only running it could tell (a name whose
 * first read runs a setup), so that the port is irregular and the flood itself reads it.
 */
function quietPeek(base: NetnsMap, name: string): NetnsPeek | undefined | null {
  const parts = overlayParts(base);
  if (parts !== undefined) {
    if (!parts.own.has(name)) return quietPeek(parts.base, name);
    const own = parts.own.get(name);
    return own === undefined ? undefined : { ns: own };
  }
  const pending = pendingPeek(base, name);
  if (pending !== undefined) return pending;
  const d = Object.getOwnPropertyDescriptor(base, name);
  if (d === undefined) return name in base ? null : undefined;
  if (d.get !== undefined) return null;
  const ns = d.value as Netns | undefined;
  return ns === undefined ? undefined : { ns };
}
