/**
 * `ip route show [table T]` and `ip -6 route`, as iproute2 6.1 prints them (checked byte for byte
 * against Linux 6.x in namespaces, see test/golden/kernel/README.md):
 * - IPv4 fields: `[TYPE] DST [via GW] [dev DEV] [table T] [proto P] [scope S] [src A] [metric M]
 *   [onlink] [linkdown]`, a trailing space after the last field; `proto boot`, `scope global`
 *   and `metric 0` are not printed.
 * - IPv6: `[TYPE] DST [via GW] [dev DEV] [table T] [proto P] metric M [onlink] [linkdown] pref medium`,
 *   no trailing space, never a scope.
 * - Order: IPv4 tables dump their fib_trie in key order (network address, then longer prefix
 *   first, then metric); IPv6 walks the fib6 radix tree post-order (a prefix after the prefixes
 *   inside it, `default` last). Equal prefixes: metric, then age. Tables in id order.
 */
import type { Family } from '../../addr/ip.js';
import { formatIp } from '../../addr/ip.js';
import { formatRouteDst } from '../../addr/cidr.js';
import { hasCarrier } from '../link/carrier.js';
import type { Netns } from '../netns.js';
import { tableRoutes } from '../route/table.js';
import { type Route, TABLE_MAIN, tableName } from '../route/types.js';

/** The namespaces carrier depends on (veth peers live elsewhere); omit to ignore carrier. */
export type Peers = Readonly<Record<string, Netns>>;

/** Options of {@link routeLine}. */
export interface RouteLineOpts {
  /** Print `table T` for tables other than main (`ip route show table all`). */
  readonly showTable?: boolean;
  /** The device has no carrier: ip prints `linkdown`. */
  readonly linkdown?: boolean;
  /** Listing `ip route show dev DEV`: the device is implied and not printed. */
  readonly hideDev?: boolean;
}

/** One route as `ip route` prints it (without the newline). */
export function routeLine(r: Route, opts: RouteLineOpts = {}): string {
  const v4 = r.dst.addr.family === 4;
  const f: string[] = [];
  if (r.type !== 'unicast') f.push(r.type);
  f.push(r.dst.prefix === 0 ? 'default' : formatRouteDst(r.dst));
  if (r.via !== undefined) f.push('via', formatIp(r.via));
  if (r.dev !== undefined && opts.hideDev !== true) f.push('dev', r.dev);
  if (opts.showTable === true && r.table !== TABLE_MAIN) f.push('table', tableName(r.table));
  if (r.proto !== 'boot') f.push('proto', r.proto);
  if (v4 && r.scope !== 'global') f.push('scope', r.scope);
  if (r.src !== undefined) f.push('src', formatIp(r.src));
  if (!v4 || r.metric !== 0) f.push('metric', String(r.metric));
  if (r.onlink) f.push('onlink');
  if (opts.linkdown === true) f.push('linkdown');
  if (!v4) f.push('pref', 'medium');
  return v4 ? `${f.join(' ')} ` : f.join(' ');
}

/** fib_trie key order: network address, then longer prefix first. */
function compare4(a: Route, b: Route): number {
  if (a.dst.addr.value !== b.dst.addr.value) return a.dst.addr.value < b.dst.addr.value ? -1 : 1;
  return b.dst.prefix - a.dst.prefix || a.metric - b.metric || a.seq - b.seq;
}

/** fib6 post-order: at the first differing bit 0 sorts first; a prefix after the longer ones inside it. */
function compare6(a: Route, b: Route): number {
  const common = Math.min(a.dst.prefix, b.dst.prefix);
  const shift = BigInt(128 - common);
  const ka = common === 0 ? 0n : a.dst.addr.value >> shift;
  const kb = common === 0 ? 0n : b.dst.addr.value >> shift;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return b.dst.prefix - a.dst.prefix || a.metric - b.metric || a.seq - b.seq;
}

/** The routes of one table and family in dump order. */
export function sortedRoutes(ns: Netns, table: number, family: Family): Route[] {
  return tableRoutes(ns, table, family).sort(family === 4 ? compare4 : compare6);
}

/** Whether to print `linkdown` for a route (its device is up without carrier). */
function linkdown(ns: Netns, r: Route, peers: Peers | undefined): boolean {
  const link = r.dev === undefined ? undefined : ns.links[r.dev];
  return peers !== undefined && link !== undefined && link.up && !hasCarrier(peers, ns, link);
}

/** Which tables `ip route show` lists: one id, or `all`. */
export type TableSelector = number | 'all';

/**
 * `ip [-4|-6] route show [table T] [dev DEV]` (default: `ip route`, i.e. IPv4 main). With `all`, every table
 * of the family in id order, `table T` printed on non-main routes; without a family, `all` prints
 * IPv4 then IPv6 as `ip route show table all` does.
 */
export function renderIpRoute(ns: Netns, opts: { table?: TableSelector; family?: Family; peers?: Peers; dev?: string } = {}): string {
  const table = opts.table ?? TABLE_MAIN;
  return listedRoutes(ns, opts)
    .map(({ route, linkdown }) => `${routeLine(route, { showTable: table === 'all', linkdown, hideDev: opts.dev !== undefined })}\n`)
    .join('');
}

/** The routes `ip route show` lists with these options, in its order, each with its `linkdown` flag (`ip -j route` lists the same). */
export function listedRoutes(ns: Netns, opts: { table?: TableSelector; family?: Family; peers?: Peers; dev?: string } = {}): { route: Route; linkdown: boolean }[] {
  const table = opts.table ?? TABLE_MAIN;
  const families: Family[] = opts.family !== undefined ? [opts.family] : table === 'all' ? [4, 6] : [4];
  const ids = table === 'all' ? Object.keys(ns.tables).map(Number).sort((a, b) => (a & 255) - (b & 255) || a - b) : [table];
  const out: { route: Route; linkdown: boolean }[] = [];
  for (const family of families) {
    for (const id of ids) {
      for (const r of sortedRoutes(ns, id, family)) {
        if (opts.dev !== undefined && r.dev !== opts.dev) continue;
        out.push({ route: r, linkdown: linkdown(ns, r, opts.peers) });
      }
    }
  }
  return out;
}
