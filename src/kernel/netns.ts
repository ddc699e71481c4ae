/**
 * A network namespace (`ip netns add NAME`): its devices, addresses, neighbour cache, routing
 * tables and rules, sysctls and netfilter state. Plain data throughout (structured-cloneable);
 * the verbs that change it live beside the concept they change (link/, addr.ts, route/, neigh.ts).
 */
import type { Cidr } from '../addr/cidr.js';
import type { Ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import type { FdbTable, Link } from './link/types.js';
import { type NetfilterState, createNetfilter } from './netfilter/index.js';
import type { FibRule, RouteTable } from './route/types.js';
import { type SocketTable, emptySockets } from './socket.js';
import { noteNetnsChange } from './netns-changes.js';

/** One interface address (`ip addr add CIDR dev DEV`). */
export interface IfAddr {
  readonly dev: string;
  readonly cidr: Cidr;
  readonly scope: 'global' | 'link' | 'host';
  /** An IPv4 address in the same subnet as an earlier one on the device (`secondary`). */
  readonly secondary: boolean;
  /** `nodad` (IPv6): printed, and no duplicate address detection. */
  readonly nodad: boolean;
  /**
   * No prefix route in main: `'flag'` for `ip addr add … noprefixroute` (IFA_F_NOPREFIXROUTE,
   * printed); `'silent'` for the `::1` init_loopback adds on `lo` up (add_addr makes no prefix
   * route and sets no flag). Absent: the route is made, whatever the prefix length.
   */
  readonly noPrefixRoute?: 'flag' | 'silent';
  /** Explicit broadcast (`brd`), printed only when given, as `ip addr add` without `brd` sets none. */
  readonly broadcast?: Ip;
  readonly seq: number;
}

/** Neighbour states netsim uses (`NUD_*`). */
export type NeighState = 'PERMANENT' | 'REACHABLE' | 'STALE' | 'FAILED';

/** One neighbour cache entry (`ip neigh`). */
export interface NeighEntry {
  readonly dev: string;
  readonly ip: Ip;
  readonly mac?: Mac;
  readonly state: NeighState;
  readonly seq: number;
}

/** A network namespace. Containers are mutated in place by the verbs. */
export interface Netns {
  readonly name: string;
  /** Infrastructure namespaces (an L2 segment) that no user created: renderers hide them. */
  readonly hidden: boolean;
  readonly links: Record<string, Link>;
  /** Bridge and VXLAN FDB entries by device (link/fdb.ts); local entries are derived from `links`. */
  readonly fdb: FdbTable;
  readonly addrs: IfAddr[];
  readonly neigh: NeighEntry[];
  /** Routing tables by id (a numeric-keyed record iterates in id order, as the kernel dumps). */
  readonly tables: Record<number, RouteTable>;
  readonly rules: { readonly 4: FibRule[]; readonly 6: FibRule[] };
  /** Sysctls by full name (`net.ipv4.ip_forward`); absent keys take the kernel default. */
  readonly sysctl: Record<string, string>;
  readonly netfilter: NetfilterState;
  /** Listening and connected sockets (socket.ts); local delivery looks packets up here. */
  readonly sockets: SocketTable;
  /** Counters: next ifindex and the insertion sequence shared by routes, addresses, neighbours. */
  readonly counters: { ifindex: number; seq: number };
}

/**
 * An empty record that V8 keeps as a hash table from the start. A plain `{}` gets a new hidden
 * class for every new key, and a node's devices and sysctls have names of their own (a veth per
 * pod, its `accept_ra`): each insert copied the class's descriptors, about a microsecond and a
 * few hundred bytes. Deleting a property that is not the last one added turns an object into a
 * dictionary; it stays an ordinary object (same prototype, same key order, deep-equal to `{}`).
 */
export function hashRecord<T>(): Record<string, T> {
  const r: Record<string, unknown> = { a: 0, b: 0 };
  delete r['a'];
  delete r['b'];
  return r as Record<string, T>;
}

/** A fresh namespace, before its loopback exists (see world.ts `addNetns`). */
export function emptyNetns(name: string, hidden: boolean, tables: Record<number, RouteTable> = {}): Netns {
  return {
    name,
    hidden,
    links: hashRecord(),
    fdb: { bridge: new Map(), vxlan: new Map() },
    addrs: [],
    neigh: [],
    tables,
    rules: { 4: [], 6: [] },
    sysctl: hashRecord(),
    netfilter: createNetfilter(),
    sockets: emptySockets(),
    counters: { ifindex: 1, seq: 1 },
  };
}

/** The next insertion sequence number. */
export function nextSeq(ns: Netns): number {
  return ns.counters.seq++;
}

/** The links of a namespace in ifindex order. */
export function linksByIndex(ns: Netns): Link[] {
  return Object.values(ns.links).sort((a, b) => a.ifindex - b.ifindex);
}

/**
 * `ns.addrs.push(a)`: the one way an address is added (netns-changes.ts: the ARP/ND port index
 * learns which namespaces' addresses changed; test/architecture checks nothing else writes them).
 */
export function pushAddr(ns: Netns, a: IfAddr): void {
  ns.addrs.push(a);
  noteNetnsChange(ns.name);
}

/** Keeps the addresses `keep` accepts, in order (`ip addr del`, a device going down or away). */
export function keepAddrs(ns: Netns, keep: (a: IfAddr) => boolean): void {
  ns.addrs.splice(0, ns.addrs.length, ...ns.addrs.filter(keep));
  noteNetnsChange(ns.name);
}
