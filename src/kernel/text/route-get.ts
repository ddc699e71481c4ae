/**
 * `ip route get DST [from SRC] [iif DEV] [mark M]`: the route the kernel would use, as iproute2
 * prints the resulting cache entry (checked against Linux 6.18):
 * ```
 * 8.8.8.8 via 10.0.0.254 dev v1 src 10.0.0.1 uid 0 
 *     cache 
 * local 10.0.0.1 dev lo src 10.0.0.1 uid 0 
 *     cache <local> 
 * 8.8.8.8 from 10.1.0.5 via 10.0.0.254 dev v1 
 *     cache iif v2 
 * ```
 * Error routes answer as the kernel does: blackhole `Invalid argument`, unreachable `No route to
 * host`, prohibit `Permission denied`, no route `Network is unreachable`. IPv4 only.
 *
 * `table T` follows the device when the route is not from main and the namespace has rules of
 * its own: without them the kernel keeps local and main in one merged trie
 * (fib4_has_custom_rules false), so every answer names main and iproute2 prints no table; with
 * them (`ip rule add …`) the answer names the real table (`local 10.1.0.1 dev lo table local`,
 * `… dev eth1 table 100`), seen on Linux 6.18 by the `netsim import` round trip.
 */
import { type Ip, formatIp } from '../../addr/ip.js';
import { selectSourceAddress } from '../addr.js';
import { fibLookup } from '../route/fib.js';
import type { Netns } from '../netns.js';
import { defaultRules } from '../route/rule.js';
import { TABLE_MAIN, tableName } from '../route/types.js';

/** The query of `ip route get`. */
export interface RouteGetQuery {
  readonly dst: Ip;
  readonly from?: Ip;
  readonly iif?: string;
  readonly mark?: number;
}

/** What `ip route get` prints: the entry, or the RTNETLINK error. */
export type RouteGetAnswer = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly answer: string };

const ERRORS = { blackhole: 'Invalid argument', unreachable: 'No route to host', prohibit: 'Permission denied' } as const;

/** Whether the IPv4 rules are other than the kernel's three (fib4_has_custom_rules, approximately: any change sets it). */
function hasCustomRules(ns: Netns): boolean {
  const d = defaultRules(4);
  return ns.rules[4].length !== d.length || ns.rules[4].some((r, i) => r.priority !== d[i]?.priority || r.table !== d[i]?.table || r.action !== 'lookup' || r.from !== undefined || r.to !== undefined || r.fwmark !== undefined || r.iif !== undefined || r.oif !== undefined);
}

/** `ip route get …` in a namespace. */
export function routeGet(ns: Netns, q: RouteGetQuery): RouteGetAnswer {
  const res = fibLookup(ns, { dst: q.dst, ...(q.from !== undefined ? { src: q.from } : {}), mark: q.mark ?? 0, iif: q.iif ?? 'lo' });
  if (res.kind === 'none') return { ok: false, answer: 'RTNETLINK answers: Network is unreachable' };
  const type = res.kind === 'rule-action' ? res.rule.action : res.route.type;
  if (type === 'blackhole' || type === 'unreachable' || type === 'prohibit') return { ok: false, answer: `RTNETLINK answers: ${ERRORS[type]}` };
  if (res.kind !== 'route') return { ok: false, answer: 'RTNETLINK answers: Network is unreachable' };
  const r = res.route;
  const local = r.type === 'local';
  const dev = local ? 'lo' : (r.dev ?? 'lo');
  const f: string[] = [];
  if (local) f.push('local');
  f.push(formatIp(q.dst));
  if (q.from !== undefined) f.push('from', formatIp(q.from));
  if (r.via !== undefined) f.push('via', formatIp(r.via));
  f.push('dev', dev);
  if (r.table !== TABLE_MAIN && hasCustomRules(ns)) f.push('table', tableName(r.table));
  const cache = ['cache'];
  if (local) cache.push('<local>');
  if (q.iif !== undefined) cache.push('iif', q.iif);
  else {
    const src = q.from === undefined ? (r.src ?? (local ? q.dst : selectSourceAddress(ns, r.dev, q.dst.family, q.dst))) : undefined;
    if (src !== undefined) f.push('src', formatIp(src));
    if (q.mark !== undefined && q.mark !== 0) f.push('mark', `0x${q.mark.toString(16)}`);
    f.push('uid', '0');
  }
  return { ok: true, text: `${f.join(' ')} \n    ${cache.join(' ')} \n` };
}
