/**
 * `ip route add|del|replace` on one namespace's tables, and plain per-table lookups.
 * Policy routing (which table) is fib.ts.
 */
import { assertNever } from '../../diag/diagnostic.js';
import { type Cidr, canonicalCidr, formatRouteDst } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';
import { formatIp } from '../../addr/ip.js';
import { CommandError } from '../errors.js';
import { type Netns, nextSeq } from '../netns.js';
import { noteNetnsChange } from '../netns-changes.js';
import { emptyIndex, indexAll, indexExact, indexInsert, indexLookup, indexRemove } from './prefix-index.js';
import { type PrefixIndex, type Route, type RouteTable, type RouteType, type Scope, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, tableName } from './types.js';

/** Options of {@link addRoute}, named as `ip route add` spells them. */
export interface RouteSpec {
  readonly type?: RouteType;
  readonly dst: Cidr;
  readonly via?: Ip;
  readonly dev?: string;
  readonly table?: number;
  readonly scope?: Scope;
  readonly proto?: string;
  readonly metric?: number;
  readonly src?: Ip;
  readonly onlink?: boolean;
}

/** The table with this id, created empty on first use (as the kernel creates it on first route). */
export function getTable(ns: Netns, id: number): RouteTable {
  let t = ns.tables[id];
  if (t === undefined) {
    t = emptyTable(id);
    ns.tables[id] = t;
    noteNetnsChange(ns.name);
  }
  return t;
}

/**
 * The local (255), main (254) and default (253) tables `ip netns add` starts with, empty. Written
 * as an object literal with numeric keys on purpose: V8 then keeps the ids in a small dictionary,
 * where assigning key 255 to an empty object allocates a 400-slot element array (3 KiB per
 * namespace, most of a pod namespace's memory, and the collector's work on a large build).
 */
export function kernelTables(): Record<number, RouteTable> {
  return { 253: emptyTable(TABLE_DEFAULT), 254: emptyTable(TABLE_MAIN), 255: emptyTable(TABLE_LOCAL) };
}

function emptyTable(id: number): RouteTable {
  return { id, v4: emptyIndex(4), v6: emptyIndex(6) };
}

/** The family index of a table. */
export function familyIndex(t: RouteTable, family: Family): PrefixIndex {
  return family === 4 ? t.v4 : t.v6;
}

/** The scope `ip route add` gives a route when none is given (iproute2 ip/iproute.c). */
export function defaultScope(type: RouteType, via: Ip | undefined): Scope {
  switch (type) {
    case 'local':
      return 'host';
    case 'anycast':
    case 'broadcast':
    case 'multicast':
      return 'link';
    case 'unicast':
      return via === undefined ? 'link' : 'global';
    case 'blackhole':
    case 'unreachable':
    case 'prohibit':
      return 'global';
    default:
      return assertNever(type, 'route type');
  }
}

/** The route a spec describes, with the defaults `ip route add` applies. */
export function routeFromSpec(ns: Netns, spec: RouteSpec): Route {
  const type = spec.type ?? 'unicast';
  const dst = canonicalCidr(spec.dst);
  const v6Default = dst.addr.family === 6 && type !== 'local' && type !== 'multicast' ? 1024 : 0;
  // The optional fields are added in place, in this order, rather than spread in: V8 makes
  // conditional spreads in a literal slow, and a node of a 5,000-node cluster adds 5,000 routes.
  const route: { -readonly [K in keyof Route]: Route[K] } = {
    table: spec.table ?? TABLE_MAIN,
    type,
    dst,
    scope: spec.scope ?? defaultScope(type, spec.via),
    proto: spec.proto ?? 'boot',
    metric: spec.metric ?? v6Default,
    onlink: spec.onlink ?? false,
    seq: nextSeq(ns),
  };
  if (spec.dev !== undefined) route.dev = spec.dev;
  if (spec.via !== undefined) route.via = spec.via;
  if (spec.src !== undefined) route.src = spec.src;
  return route;
}

function describe(spec: RouteSpec): string {
  const parts = [spec.type && spec.type !== 'unicast' ? spec.type : '', formatRouteDst(canonicalCidr(spec.dst))];
  if (spec.via) parts.push(`via ${formatIp(spec.via)}`);
  if (spec.dev) parts.push(`dev ${spec.dev}`);
  if (spec.table !== undefined) parts.push(`table ${tableName(spec.table)}`);
  return `ip route add ${parts.filter((p) => p !== '').join(' ')}`;
}

/**
 * `ip route add [TYPE] PREFIX [via GW] [dev DEV] [table T] [scope S] [proto P] [metric M] [src A] [onlink]`.
 * Refuses a second route with the same prefix, metric and table (`File exists`), a device that
 * does not exist, and a device that is down (the kernel's `Nexthop device is not up`).
 */
export function addRoute(ns: Netns, spec: RouteSpec): Route {
  if (spec.dev !== undefined) {
    const link = ns.links[spec.dev];
    if (link === undefined) throw new CommandError(describe(spec), 'Cannot find device "' + spec.dev + '"');
    if (!link.up && (spec.type ?? 'unicast') === 'unicast') throw new CommandError(describe(spec), 'Error: Device for nexthop is not up.');
  }
  if (spec.via !== undefined && spec.onlink !== true && !linkLocal(spec.via) && !gatewayReachable(ns, spec)) {
    // The two families say it differently (checked on Linux 6.18): IPv4 with an extack message, IPv6 with EHOSTUNREACH.
    throw new CommandError(describe(spec), spec.via.family === 4 ? 'Error: Nexthop has invalid gateway.' : 'RTNETLINK answers: No route to host');
  }
  const route = routeFromSpec(ns, withGatewayDev(ns, spec));
  const ix = familyIndex(getTable(ns, route.table), route.dst.addr.family);
  const clash = indexExact(ix, route.dst.addr, route.dst.prefix).some((r) => r.metric === route.metric && clashes(r, route));
  if (clash) throw new CommandError(describe(spec), 'RTNETLINK answers: File exists');
  indexInsert(ix, route);
  return route;
}

/** A gateway without `dev` takes the device of the route that reaches it (fib_check_nh sets nh_dev). */
function withGatewayDev(ns: Netns, spec: RouteSpec): RouteSpec {
  if (spec.via === undefined || spec.dev !== undefined) return spec;
  const r = lookupTable(ns, TABLE_MAIN, spec.via) ?? lookupTable(ns, spec.table ?? TABLE_MAIN, spec.via);
  return r?.dev === undefined ? spec : { ...spec, dev: r.dev };
}

/** An IPv6 link-local gateway (fe80::/10) is taken as given: ip6_validate_gw only needs its device. */
function linkLocal(a: Ip): boolean {
  return a.family === 6 && a.value >> 118n === 0x3fan;
}

/**
 * fib_check_nh_v4_gw (IPv4) and ip6_validate_gw (IPv6, for a global gateway): without `onlink`,
 * the gateway must be reachable through a unicast route of link scope or narrower, one with no
 * gateway of its own, in the route's table (main when that table is empty), through the given
 * device if there is one.
 */
function gatewayReachable(ns: Netns, spec: RouteSpec): boolean {
  const via = spec.via;
  if (via === undefined) return true;
  const table = ns.tables[spec.table ?? TABLE_MAIN] !== undefined ? (spec.table ?? TABLE_MAIN) : TABLE_MAIN;
  const r = lookupTable(ns, table, via) ?? lookupTable(ns, TABLE_MAIN, via);
  if (r === undefined || (r.type !== 'unicast' && r.type !== 'local') || r.via !== undefined) return false;
  return spec.dev === undefined || r.dev === spec.dev;
}

/** IPv4 refuses any second route of equal prefix and metric; IPv6 only one with the same nexthop. */
function clashes(a: Route, b: Route): boolean {
  if (a.dst.addr.family === 4) return true; // fib_table_insert: same prefix, tos and priority → EEXIST
  return a.dev === b.dev && a.via?.value === b.via?.value && a.type === b.type;
}

/** `ip route del PREFIX [table T] [dev DEV] [metric M]`: removes matching routes; returns how many. */
export function delRoute(ns: Netns, spec: { dst: Cidr; table?: number; dev?: string; metric?: number; type?: RouteType }): number {
  const dst = canonicalCidr(spec.dst);
  const t = ns.tables[spec.table ?? TABLE_MAIN];
  if (t === undefined) return 0;
  return indexRemove(familyIndex(t, dst.addr.family), (r) =>
    r.dst.prefix === dst.prefix &&
    r.dst.addr.value === dst.addr.value &&
    (spec.dev === undefined || r.dev === spec.dev) &&
    (spec.metric === undefined || r.metric === spec.metric) &&
    (spec.type === undefined || r.type === spec.type),
  );
}

/** `ip route replace …`: deletes the route of the same prefix, metric and table, then adds. */
export function replaceRoute(ns: Netns, spec: RouteSpec): Route {
  const family = spec.dst.addr.family;
  delRoute(ns, { dst: spec.dst, ...(spec.table !== undefined ? { table: spec.table } : {}), metric: spec.metric ?? (family === 6 ? 1024 : 0) });
  return addRoute(ns, spec);
}

/** Removes every route of the namespace that satisfies `pred` (all tables, both families). */
export function removeRoutesWhere(ns: Netns, pred: (r: Route) => boolean): void {
  for (const t of Object.values(ns.tables)) {
    indexRemove(t.v4, pred);
    indexRemove(t.v6, pred);
  }
}

/** Longest-prefix match in one table, skipping routes `usable` rejects. */
export function lookupTable(ns: Netns, table: number, dst: Ip, usable?: (r: Route) => boolean): Route | undefined {
  const t = ns.tables[table];
  return t === undefined ? undefined : indexLookup(familyIndex(t, dst.family), dst, usable);
}

/** Every route of a table and family (unordered; renderers sort). */
export function tableRoutes(ns: Netns, table: number, family: Family): Route[] {
  const t = ns.tables[table];
  return t === undefined ? [] : indexAll(familyIndex(t, family));
}
