/**
 * `ip addr add|del`, the routes the kernel derives from addresses, and the address questions
 * other code asks (is this address local, which source address to use).
 *
 * IPv4 (fib_add_ifaddr, net/ipv4/fib_frontend.c), checked against Linux 6.x in a namespace:
 * - `local ADDR dev DEV table local proto kernel scope host src PRIMARY` for every address;
 * - for a primary with prefix < 31: `broadcast LAST dev DEV table local proto kernel scope link
 *   src ADDR` (no network-address broadcast route any more);
 * - for a primary with prefix < 32: `NET/LEN dev DEV proto kernel scope link src ADDR` in main —
 *   except on loopback, where it is `local NET/LEN … scope host` in the local table.
 * IPv6 (inet6_addr_add → addrconf_prefix_route): `local ADDR dev DEV table local proto kernel
 * metric 0` and `PREFIX dev DEV proto kernel metric 256` for every prefix length, /128 included
 * (`2001:db8:7::7 dev a0 proto kernel metric 256`; checked on Linux 6.18), except the `::1`
 * init_loopback adds on `lo` up. `noprefixroute` (either family) drops the main-table route only.
 * On a device that forwards IPv6, below /127, the prefix's subnet-router `anycast` route (anycast.ts).
 * The routes exist only while the device is up; `ip link set down` flushes them, `up` restores them.
 */
import { assertNever } from '../diag/diagnostic.js';
import { type Cidr, canonicalCidr, cidrContains, formatCidr, lastAddress, networkOf } from '../addr/cidr.js';
import { type Family, type Ip, familyBits, ipEquals } from '../addr/ip.js';
import { joinAnycast, joinLinkLocalAnycast, syncAnycast } from './anycast.js';
import { CommandError } from './errors.js';
import { type IfAddr, type Netns, keepAddrs, nextSeq, pushAddr } from './netns.js';
import { familyIndex, getTable, removeRoutesWhere } from './route/table.js';
import { indexInsert, indexInsertWords, rememberWords } from './route/prefix-index.js';
import { type Route, type RouteType, type Scope, TABLE_LOCAL, TABLE_MAIN } from './route/types.js';
import type { AddrType } from './netfilter/api.js';
import { lookupTable } from './route/table.js';
import { indexedAddrs } from './link/link-index.js';

/** Options of {@link addAddress}. */
export interface AddrSpec {
  readonly dev: string;
  readonly cidr: Cidr;
  readonly scope?: 'global' | 'link' | 'host';
  readonly nodad?: boolean;
  readonly broadcast?: Ip;
  /** See {@link IfAddr.noPrefixRoute}. */
  readonly noPrefixRoute?: 'flag' | 'silent';
}

/** The addresses of a device, of one family or both, in the order `ip addr` lists them. */
export function devAddrs(ns: Netns, dev: string, family?: Family): IfAddr[] {
  // A large namespace's index has them by device (a node segment has an address per port).
  // One pass, and a sort only of two or more (every `ip link set up` and ADD asks).
  const v4: IfAddr[] = [];
  const v6: IfAddr[] = [];
  for (const a of indexedAddrs(ns, dev) ?? ns.addrs) {
    if (a.dev !== dev) continue;
    const f = a.cidr.addr.family;
    if (family !== undefined && f !== family) continue;
    (f === 4 ? v4 : v6).push(a);
  }
  if (v4.length > 1) v4.sort((a, b) => Number(a.secondary) - Number(b.secondary) || a.seq - b.seq);
  // ipv6_link_dev_addr keeps wider scopes first and puts a new address before older ones of its scope.
  if (v6.length > 1) v6.sort((a, b) => SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope] || b.seq - a.seq);
  if (v6.length === 0) return v4;
  if (v4.length === 0) return v6;
  for (const a of v6) v4.push(a);
  return v4;
}

const SCOPE_RANK = { global: 0, link: 1, host: 2 } as const;

/** The primary IPv4 address whose subnet holds `a` on the device (itself when `a` is primary). */
function primaryFor(ns: Netns, a: IfAddr): IfAddr {
  if (!a.secondary) return a;
  return devAddrs(ns, a.dev, 4).find((p) => !p.secondary && p.cidr.prefix === a.cidr.prefix && cidrContains(p.cidr, a.cidr.addr)) ?? a;
}

/**
 * A route the kernel derives from an address, as `routeFromSpec` makes it from `{ proto:
 * 'kernel', type, dst, dev, table, scope, metric, src }` (the same keys in the same order), built
 * directly: every `dst` here is canonical already (a host route, or the canonical prefix), so
 * neither the spec nor its defaults and canonical copy are made (a pod's ADD adds three, a
 * node's first read ninety). addr.property.test.ts checks it against `routeFromSpec`.
 */
export function kernelRoute(ns: Netns, at: { readonly table: number; readonly type: RouteType; readonly scope: Scope; readonly metric: number }, dst: Cidr, dev: string, src?: Ip): Route {
  const r: { -readonly [K in keyof Route]: Route[K] } = { table: at.table, type: at.type, dst, scope: at.scope, proto: 'kernel', metric: at.metric, onlink: false, seq: nextSeq(ns), dev };
  if (src !== undefined) r.src = src;
  return r;
}

/** Inserts a kernel-made route without the duplicate check (fib_magic appends). */
function insertKernelRoute(ns: Netns, r: Route): void {
  indexInsert(familyIndex(getTable(ns, r.table), r.dst.addr.family), r);
}

/** What each kernel route of an address is: table, type, scope, metric (IPv4's metric is 0). */
const V6_LOCAL = { table: TABLE_LOCAL, type: 'local', scope: 'host', metric: 0 } as const;
const V6_PREFIX = { table: TABLE_MAIN, type: 'unicast', scope: 'link', metric: 256 } as const;
const V4_LOCAL = { table: TABLE_LOCAL, type: 'local', scope: 'host', metric: 0 } as const;
const V4_PREFIX = { table: TABLE_MAIN, type: 'unicast', scope: 'link', metric: 0 } as const;
const V4_BROADCAST = { table: TABLE_LOCAL, type: 'broadcast', scope: 'link', metric: 0 } as const;

/** `fe80::/64`, the prefix of every EUI-64 link-local address (a value: routes never change their `dst`). */
const LINK_LOCAL_64: Cidr = { addr: rememberWords({ family: 6, value: 0xfe80n << 112n }), prefix: 64 };

/**
 * {@link installAddrRoutes} of a link-local address `fe80::IID/64` (addrconf on carrier, carrier.ts:
 * every veth's host end gets one), with the prefix and its subnet-router anycast address as shared
 * values rather than worked out from the address (bigint work, three times a pod). `words`, when
 * given, are the address's (carrier.ts `linkLocalWords` reads them from the MAC): the `local`
 * route's place in the index is found without reading them from the bigint.
 * link-local-routes.property.test.ts checks it against installAddrRoutes.
 */
export function installLinkLocalRoutes(ns: Netns, a: IfAddr, words?: readonly number[]): void {
  const { dev, cidr } = a;
  const local = kernelRoute(ns, V6_LOCAL, { addr: cidr.addr, prefix: 128 }, dev);
  if (words === undefined) insertKernelRoute(ns, local);
  else indexInsertWords(getTable(ns, TABLE_LOCAL).v6, local, words);
  insertKernelRoute(ns, kernelRoute(ns, V6_PREFIX, LINK_LOCAL_64, dev));
  joinLinkLocalAnycast(ns, dev);
}

/** Installs the routes an address implies (the device is up). */
export function installAddrRoutes(ns: Netns, a: IfAddr): void {
  const { dev, cidr } = a;
  const host: Cidr = { addr: cidr.addr, prefix: familyBits(cidr.addr.family) };
  if (cidr.addr.family === 6) {
    insertKernelRoute(ns, kernelRoute(ns, V6_LOCAL, host, dev));
    if (a.noPrefixRoute === undefined) insertKernelRoute(ns, kernelRoute(ns, V6_PREFIX, canonicalCidr(cidr), dev));
    joinAnycast(ns, a);
    return;
  }
  const src = primaryFor(ns, a).cidr.addr;
  insertKernelRoute(ns, kernelRoute(ns, V4_LOCAL, host, dev, src));
  if (a.secondary) return;
  const loopback = ns.links[dev]?.kind === 'loopback';
  if (cidr.prefix < 32 && a.noPrefixRoute === undefined) {
    const net = canonicalCidr(cidr);
    insertKernelRoute(ns, kernelRoute(ns, loopback ? V4_LOCAL : V4_PREFIX, net, dev, src));
  }
  if (cidr.prefix < 31) insertKernelRoute(ns, kernelRoute(ns, V4_BROADCAST, { addr: lastAddress(cidr), prefix: 32 }, dev, src));
}

/** `ip addr add CIDR dev DEV [scope S] [brd B] [nodad] [noprefixroute]`. */
export function addAddress(ns: Netns, spec: AddrSpec): IfAddr {
  // The command text only for a refusal (formatting the address was a tenth of a pod's `ip addr add`).
  const cmd = (): string => `ip addr add ${formatCidr(spec.cidr)} dev ${spec.dev}`;
  const link = ns.links[spec.dev];
  if (link === undefined) throw new CommandError(cmd(), `Cannot find device "${spec.dev}"`);
  if (ns.addrs.some((a) => a.dev === spec.dev && ipEquals(a.cidr.addr, spec.cidr.addr))) throw new CommandError(cmd(), 'RTNETLINK answers: File exists');
  const family = spec.cidr.addr.family;
  const secondary =
    family === 4 && devAddrs(ns, spec.dev, 4).some((p) => !p.secondary && p.cidr.prefix === spec.cidr.prefix && cidrContains(p.cidr, spec.cidr.addr));
  const a: IfAddr = {
    dev: spec.dev,
    cidr: spec.cidr,
    scope: spec.scope ?? defaultAddrScope(spec.cidr.addr),
    secondary,
    nodad: spec.nodad ?? false,
    ...(spec.broadcast !== undefined ? { broadcast: spec.broadcast } : {}),
    ...(spec.noPrefixRoute !== undefined ? { noPrefixRoute: spec.noPrefixRoute } : {}),
    seq: nextSeq(ns),
  };
  pushAddr(ns, a);
  if (link.up) installAddrRoutes(ns, a);
  return a;
}

/** The scope the kernel gives an address: host for loopback ranges, link for fe80::/10, else global. */
function defaultAddrScope(addr: Ip): 'global' | 'link' | 'host' {
  if (addr.family === 4) return addr.value >> 24n === 127n ? 'host' : 'global';
  if (addr.value === 1n) return 'host';
  return addr.value >> 118n === 0x3fan ? 'link' : 'global';
}

/**
 * `ip addr del CIDR dev DEV`. Removing a primary IPv4 address also removes its secondaries
 * (promote_secondaries is off by default). The kernel routes of the device are rebuilt.
 */
export function delAddress(ns: Netns, dev: string, cidr: Cidr): void {
  const target = ns.addrs.find((a) => a.dev === dev && ipEquals(a.cidr.addr, cidr.addr));
  if (target === undefined) throw new CommandError(`ip addr del ${formatCidr(cidr)} dev ${dev}`, 'RTNETLINK answers: Cannot assign requested address');
  const gone = (a: IfAddr) =>
    a === target || (!target.secondary && a.dev === dev && a.secondary && a.cidr.prefix === target.cidr.prefix && cidrContains(target.cidr, a.cidr.addr));
  keepAddrs(ns, (a) => !gone(a));
  removeRoutesWhere(ns, (r) => r.dev === dev && r.proto === 'kernel' && r.dst.addr.family === cidr.addr.family && !isLinkLocalRoute(r));
  if (ns.links[dev]?.up === true) for (const a of devAddrs(ns, dev, cidr.addr.family)) if (!isLinkLocal(a)) installAddrRoutes(ns, a);
  // The anycast route of the last address of a prefix goes with it (a link-local one's too).
  if (cidr.addr.family === 6) syncAnycast(ns, dev);
}

function isLinkLocal(a: IfAddr): boolean {
  return a.cidr.addr.family === 6 && a.scope === 'link';
}

function isLinkLocalRoute(r: Route): boolean {
  return r.dst.addr.family === 6 && (r.dst.addr.value >> 118n === 0x3fan || r.type === 'multicast');
}

/**
 * The source address the kernel picks for a packet leaving `dev` (inet_select_addr for IPv4:
 * the first primary address of the device with a scope wide enough, else one of another
 * device; for IPv6 a global address of the device, else any global one).
 */
export function selectSourceAddress(ns: Netns, dev: string | undefined, family: Family, dst?: Ip): Ip | undefined {
  const onDev = dev === undefined ? [] : devAddrs(ns, dev, family).filter((a) => !a.secondary && a.scope !== 'host');
  const inSubnet = dst === undefined ? undefined : onDev.find((a) => cidrContains(a.cidr, dst));
  const pick = inSubnet ?? onDev.find((a) => a.scope === 'global') ?? onDev[0];
  if (pick !== undefined) return pick.cidr.addr;
  return ns.addrs.find((a) => a.cidr.addr.family === family && !a.secondary && a.scope === 'global')?.cidr.addr;
}

/** True when the address is configured on some device of the namespace. */
export function isLocalAddress(ns: Netns, addr: Ip): boolean {
  return ns.addrs.some((a) => ipEquals(a.cidr.addr, addr));
}

/**
 * The address type of `-m addrtype` (inet_addr_type, net/ipv4/fib_frontend.c): 0.0.0.0/8 and
 * 255.255.255.255 are BROADCAST, multicast ranges MULTICAST, otherwise the type of the matching
 * route in the local table, or UNICAST. With `dev` (`--limit-iface-in/out`, inet_dev_addr_type)
 * a local-table route through another device counts as UNICAST: the address of eth0 is not
 * LOCAL as seen from tunl0. (Checked on Linux 6.18: a ping from d1's address leaving d2 matches
 * `! --src-type LOCAL --limit-iface-out`, one from d2's address `--src-type LOCAL --limit-iface-out`.)
 */
export function addrType(ns: Netns, addr: Ip, dev?: string): AddrType {
  if (addr.family === 4) {
    // 32-bit arithmetic on one conversion (netfilter asks for every packet of every hook).
    const v = Number(addr.value);
    if (v >>> 24 === 0 || v === 0xffffffff) return 'BROADCAST';
    if (v >>> 28 === 0xe) return 'MULTICAST';
  } else if (addr.value >> 120n === 0xffn) return 'MULTICAST';
  const r = lookupTable(ns, TABLE_LOCAL, addr);
  if (r === undefined || (dev !== undefined && r.dev !== dev)) return 'UNICAST';
  switch (r.type) {
    case 'local':
      return 'LOCAL';
    case 'anycast':
      return 'ANYCAST';
    case 'broadcast':
      return 'BROADCAST';
    case 'multicast':
      return addr.family === 6 ? 'UNICAST' : 'MULTICAST';
    case 'unicast':
      return 'UNICAST';
    case 'blackhole':
      return 'BLACKHOLE';
    case 'unreachable':
      return 'UNREACHABLE';
    case 'prohibit':
      return 'PROHIBIT';
    default:
      return assertNever(r.type, 'route type');
  }
}

/** The network of an address as a route destination (`10.244.1.0/24`). */
export function subnetOf(a: IfAddr): Cidr {
  return { addr: networkOf(a.cidr), prefix: a.cidr.prefix };
}
