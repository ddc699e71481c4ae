/**
 * The model back to the `ip -j` shapes the importer reads (iproute2 6.1's JSON): one route of
 * `ip -j route show table all`, one rule of `ip -j rule`, one entry of `ip -j neigh`. Fields
 * appear under the same conditions as in the text output (`table` off main, `scope` off
 * global, `metric` when not 0 on IPv4, always on IPv6, `pref` on IPv6), so
 * importing what these print gives back the same model.
 */
import { formatRouteDst } from '../../addr/cidr.js';
import { familyBits, formatIp } from '../../addr/ip.js';
import type { IfAddr, NeighEntry } from '../netns.js';
import { type FibRule, type Route, TABLE_MAIN, tableName } from '../route/types.js';

/** One route as `ip -j route` prints it. */
export function routeJson(r: Route, opts: { linkdown?: boolean } = {}): Record<string, unknown> {
  const v6 = r.dst.addr.family === 6;
  return {
    ...(r.type !== 'unicast' ? { type: r.type } : {}),
    dst: r.dst.prefix === 0 ? 'default' : formatRouteDst(r.dst),
    ...(r.via !== undefined ? { gateway: formatIp(r.via) } : {}),
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.table !== TABLE_MAIN ? { table: tableName(r.table) } : {}),
    ...(r.proto !== 'boot' ? { protocol: r.proto } : {}),
    ...(!v6 && r.scope !== 'global' ? { scope: r.scope } : {}),
    ...(r.src !== undefined ? { prefsrc: formatIp(r.src) } : {}),
    ...(v6 || r.metric !== 0 ? { metric: r.metric } : {}),
    flags: [...(r.onlink ? ['onlink'] : []), ...(opts.linkdown === true ? ['linkdown'] : [])],
    ...(v6 ? { pref: 'medium' } : {}),
  };
}

/** One rule as `ip -j rule` prints it. */
export function ruleJson(r: FibRule): Record<string, unknown> {
  const sel = (key: 'src' | 'dst', c: FibRule['from']): Record<string, unknown> =>
    c === undefined || c.prefix === 0 ? (key === 'src' ? { src: 'all' } : {}) : { [key]: formatIp(c.addr), ...(c.prefix !== familyBits(c.addr.family) ? { [`${key}len`]: c.prefix } : {}) };
  const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
  return {
    priority: r.priority,
    ...(r.not === true ? { not: null } : {}),
    ...sel('src', r.from),
    ...sel('dst', r.to),
    ...(r.fwmark !== undefined ? { fwmark: hex(r.fwmark), ...(r.fwmask !== undefined && r.fwmask !== 0xffffffff ? { fwmask: hex(r.fwmask) } : {}) } : {}),
    ...(r.iif !== undefined ? { iif: r.iif } : {}),
    ...(r.oif !== undefined ? { oif: r.oif } : {}),
    ...(r.action === 'lookup' ? { table: tableName(r.table) } : { action: r.action }),
  };
}

/** One neighbour as `ip -j neigh` prints it. */
export function neighJson(n: NeighEntry): Record<string, unknown> {
  return { dst: formatIp(n.ip), dev: n.dev, ...(n.mac !== undefined ? { lladdr: n.mac } : {}), state: [n.state] };
}

/** One device's entry of `ip -j addr`, its addresses in the order `ip addr` lists them (only the fields the importer reads). */
export function addrJson(dev: string, ifindex: number, addrs: readonly IfAddr[]): Record<string, unknown> {
  return {
    ifindex,
    ifname: dev,
    addr_info: addrs.map((a) => ({
      family: a.cidr.addr.family === 4 ? 'inet' : 'inet6',
      local: formatIp(a.cidr.addr),
      prefixlen: a.cidr.prefix,
      ...(a.broadcast !== undefined ? { broadcast: formatIp(a.broadcast) } : {}),
      scope: a.scope,
      ...(a.secondary ? { secondary: true } : {}),
      ...(a.nodad ? { nodad: true } : {}),
      ...(a.noPrefixRoute === 'flag' ? { noprefixroute: true } : {}),
      ...(a.cidr.addr.family === 4 ? { label: dev } : {}),
      valid_life_time: 4294967295,
      preferred_life_time: 4294967295,
    })),
  };
}
