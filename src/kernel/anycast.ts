/**
 * The subnet-router anycast addresses an IPv6 router joins (RFC 4291 §2.6.1) and the `anycast`
 * routes they put in the local table: net/ipv6/addrconf.c addrconf_join_anycast and
 * dev_forward_change, net/ipv6/anycast.c __ipv6_dev_ac_inc (addrconf_f6i_alloc with
 * anycast=true). Checked on Linux 6.18 in namespaces:
 *
 * - a device whose IPv6 `forwarding` is on joins, for each of its IPv6 addresses with a prefix
 *   shorter than /127 (RFC 6164), the prefix with the host bits cleared, unless that is `::`.
 *   Its link-local fe80::…/64 gives `anycast fe80:: dev X table local proto kernel metric 0 pref
 *   medium`, fd00:1::5/64 gives `anycast fd00:1::`; /127 and /128 give none. Veths, bridges,
 *   dummies and loopback alike (`::1/128` gives none, fd00:6::1/64 on `lo` gives one);
 * - addresses of one prefix share the route (aca_users); it goes with the last of them;
 * - turning forwarding on joins the addresses the device already has, off leaves them
 *   (dev_forward_change); `net.ipv6.conf.all.forwarding` does it for every device;
 * - a device going down loses its IPv6 addresses (keep_addr_on_down=0) and the routes with them;
 * - a route to the same destination through the same device with the same metric already in the
 *   table (an address that *is* the subnet-router address, fd00:7::/64, added first) keeps its
 *   place: fib6_add_rt2node refuses the duplicate nexthop.
 *
 * Not modelled: an address under DAD joins only when DAD completes (netsim has no DAD); the
 * reverse order of that duplicate (fd00:8::3/64, then fd00:8::/64: the kernel refuses the second
 * address's `local` route, netsim adds it); the kernel's join count remembering a join whose
 * route was refused, so that removing the address that held the place brings no anycast route
 * until forwarding is toggled, where netsim adds it at once.
 */
import type { Ip } from '../addr/ip.js';
import { type Cidr, networkOf } from '../addr/cidr.js';
import { type IfAddr, type Netns, nextSeq } from './netns.js';
import type { Route } from './route/types.js';
import { ownV6ForwardingOf } from './sysctl-keys.js';
import { indexExact, indexInsert, indexInsertNewNexthop, indexRemove, rememberWords } from './route/prefix-index.js';
import { familyIndex, getTable, routeFromSpec } from './route/table.js';
import { TABLE_LOCAL } from './route/types.js';

/**
 * A device's IPv6 `forwarding` (idev->cnf.forwarding): its own `net.ipv6.conf.DEV.forwarding`
 * when written since the last write of `all` (which sets every device, addrconf_forward_change),
 * else `all`'s. `default` (what a device created later starts with) is not kept apart from
 * `all`: writing `all` writes `default` too, so they differ only when `default` is written alone.
 */
export function ipv6DevForwarding(ns: Netns, dev: string): boolean {
  // Without building the device's key when no device has one of its own (sysctl-keys.ts).
  const value = ownV6ForwardingOf(ns.sysctl, dev) ?? ns.sysctl['net.ipv6.conf.all.forwarding'] ?? '0';
  return value === '1' || (Number.parseInt(value, 10) || 0) !== 0;
}

/** The subnet-router anycast address an address makes its device join, if any (addrconf_join_anycast). */
function subnetRouter(a: IfAddr): Ip | undefined {
  if (a.cidr.addr.family !== 6 || a.cidr.prefix >= 127) return undefined;
  const net = networkOf(a.cidr);
  return net.value === 0n ? undefined : net;
}

/** Whether the device joins anycast addresses now: it is up and forwards IPv6. */
function joins(ns: Netns, dev: string): boolean {
  return ns.links[dev]?.up === true && ipv6DevForwarding(ns, dev);
}

/** Inserts the kernel `anycast` route unless the device already has a route of that destination and metric. */
function insert(ns: Netns, dev: string, addr: Ip): void {
  const ix = familyIndex(getTable(ns, TABLE_LOCAL), 6);
  if (indexExact(ix, addr, 128).some((r) => r.dev === dev && r.metric === 0)) return;
  indexInsert(ix, routeFromSpec(ns, { type: 'anycast', dst: { addr, prefix: 128 }, dev, table: TABLE_LOCAL, metric: 0, proto: 'kernel' }));
}

/** `fe80::/128`, the subnet-router anycast address of every link-local address (a value). */
const LINK_LOCAL_ANYCAST: Cidr = { addr: rememberWords({ family: 6, value: 0xfe80n << 112n }), prefix: 128 };

/**
 * {@link joinAnycast} of a link-local `fe80::IID/64` on `dev`: the route to `fe80::` as
 * routeFromSpec makes it (the same keys in the same order), its destination a shared value.
 */
export function joinLinkLocalAnycast(ns: Netns, dev: string): void {
  if (!joins(ns, dev)) return;
  const ix = familyIndex(getTable(ns, TABLE_LOCAL), 6);
  // The check and the insert in one walk: the route made first, the sequence number it holds taken only if it goes in.
  const r: Route = { table: TABLE_LOCAL, type: 'anycast', dst: LINK_LOCAL_ANYCAST, scope: 'link', proto: 'kernel', metric: 0, onlink: false, seq: ns.counters.seq, dev };
  if (indexInsertNewNexthop(ix, r)) nextSeq(ns);
}

/**
 * An address was added to an up device (__ipv6_ifa_notify RTM_NEWADDR): with forwarding on, its
 * device joins the prefix's subnet-router anycast address. Cheap (one exact lookup), so building
 * a node with many pods stays linear.
 */
export function joinAnycast(ns: Netns, a: IfAddr): void {
  // Whether the device joins first: it seldom does (IPv6 forwarding off), and the subnet-router address costs bigint work.
  if (a.cidr.addr.family !== 6 || !joins(ns, a.dev)) return;
  const addr = subnetRouter(a);
  if (addr !== undefined) insert(ns, a.dev, addr);
}

/**
 * Brings the device's kernel `anycast` routes up to date with its addresses and its forwarding
 * switch (dev_forward_change, and an address removed): leaves what is no longer wanted, joins
 * what is missing (appended, so routes of the same destination on other devices keep their
 * place).
 */
export function syncAnycast(ns: Netns, dev: string): void {
  const want: Ip[] = [];
  if (joins(ns, dev)) {
    for (const a of ns.addrs) {
      const addr = a.dev === dev ? subnetRouter(a) : undefined;
      if (addr !== undefined && !want.some((w) => w.value === addr.value)) want.push(addr);
    }
  }
  const ix = familyIndex(getTable(ns, TABLE_LOCAL), 6);
  indexRemove(ix, (r) => r.type === 'anycast' && r.proto === 'kernel' && r.dev === dev && !want.some((w) => w.value === r.dst.addr.value));
  for (const addr of want) insert(ns, dev, addr);
}

/** {@link syncAnycast} for every device of the namespace, in ifindex order (for_each_netdev). */
export function syncAnycastAll(ns: Netns): void {
  for (const link of Object.values(ns.links).sort((a, b) => a.ifindex - b.ifindex)) syncAnycast(ns, link.name);
}

/**
 * Whether the device has joined `addr` (ipv6_chk_acast_addr with a device): ndisc_recv_ns then
 * answers a neighbour solicitation for it, with the device's MAC (the kernel's neighbour entry
 * for a router's fd00:1:: reads `lladdr … router REACHABLE`, Linux 6.18).
 */
export function hasAnycast(ns: Netns, dev: string, addr: Ip): boolean {
  if (addr.family !== 6) return false;
  const t = ns.tables[TABLE_LOCAL];
  return t !== undefined && indexExact(familyIndex(t, 6), addr, 128).some((r) => r.type === 'anycast' && r.dev === dev);
}
