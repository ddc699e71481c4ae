/**
 * Routes and policy rules of a node dump, from `ip -j route show table all` (IPv4 and IPv6; the
 * IPv6 file repeats what an unspecified-family dump already holds, so a route seen twice is
 * kept once) and `ip -j [-6] rule`. Fields as iproute2 names them: `type`, `dst` (`default`, an
 * address or a prefix), `gateway`, `dev`, `table`, `protocol`, `scope`, `prefsrc`, `metric`,
 * `flags` (`onlink`; `linkdown` is derived from carrier). Multipath routes, route types
 * netsim does not model (`anycast`, `throw`, `nat`) and rules with selectors it does not model
 * (`ipproto`, `uidrange`, ports, `goto`) are skipped with a warning.
 */
import { parseCidr } from '../../addr/cidr.js';
import { type Family, familyBits, parseIp } from '../../addr/ip.js';
import { type Diagnostic, warning } from '../../diag/diagnostic.js';
import type { Netns } from '../netns.js';
import { indexInsert } from '../route/prefix-index.js';
import { defaultScope, familyIndex, getTable, routeFromSpec } from '../route/table.js';
import { type FibRule, type RouteType, type Scope, TABLE_MAIN, parseTable } from '../route/types.js';
import { routeLine } from '../text/route.js';
import { FieldReader, type JsonEntry } from './json.js';

const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'multicast', 'blackhole', 'unreachable', 'prohibit'];
const ROUTE_KEYS = new Set(['type', 'dst', 'gateway', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric', 'flags', 'pref']);

/** A route destination as iproute2 prints it: `default`, `ADDR` (a host) or `ADDR/LEN`. */
function dstOf(text: string, family: Family): ReturnType<typeof parseCidr> {
  if (text === 'default') return { addr: { family, value: 0n }, prefix: 0 };
  const ip = parseIp(text);
  return ip !== undefined ? { addr: ip, prefix: familyBits(ip.family) } : parseCidr(text);
}

/** Adds every route of `ip -j route show table all` files (in order), skipping one already seen. */
export function readRoutes(ns: Netns, entries: readonly JsonEntry[], out: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const f = new FieldReader(e, out, 'ip -j route');
    const typeText = f.str('type') ?? 'unicast';
    const dstText = f.need('dst');
    if (dstText === undefined) continue;
    const skip = (why: string): void => void out.push(warning('HOST_DUMP_UNMODELLED', `route ${typeText} ${dstText}: ${why}; skipped`, e.pos));
    if (!(ROUTE_TYPES as readonly string[]).includes(typeText)) {
      skip(`route type ${typeText} is not modelled`);
      continue;
    }
    if (e.obj['nexthops'] !== undefined) {
      skip('multipath routes (nexthop …) are not modelled');
      continue;
    }
    const gw = f.str('gateway');
    const via = gw === undefined ? undefined : parseIp(gw);
    // `default` names no family: iproute2 prints `pref` on IPv6 routes only.
    const family: Family = via?.family ?? (dstText.includes(':') || e.obj['pref'] !== undefined ? 6 : 4);
    const dst = dstOf(dstText, family);
    const table = parseTable(f.str('table') ?? 'main');
    if (dst === undefined || table === undefined || (gw !== undefined && via === undefined)) {
      skip('an address, prefix or table that netsim cannot read');
      continue;
    }
    const extra = Object.keys(e.obj).filter((k) => !ROUTE_KEYS.has(k));
    const flags = (f.strs('flags') ?? []).filter((x) => x !== 'linkdown' && x !== 'onlink');
    if (extra.length + flags.length > 0) out.push(warning('HOST_DUMP_UNMODELLED', `route ${dstText}: not modelled, dropped from the route: ${[...extra, ...flags].join(', ')}`, e.pos));
    const src = parseIp(f.str('prefsrc') ?? '');
    const dev = f.str('dev');
    const r = routeFromSpec(ns, {
      type: typeText as RouteType,
      dst,
      table: table === 0 ? TABLE_MAIN : table,
      // iproute2 prints no scope on IPv6 routes: the kernel's is the type's (fib6 keeps none of its own).
      scope: dst.addr.family === 6 ? defaultScope(typeText as RouteType, via) : ((f.str('scope') as Scope | undefined) ?? 'global'),
      proto: f.str('protocol') ?? 'boot',
      metric: f.num('metric') ?? 0,
      onlink: (f.strs('flags') ?? []).includes('onlink'),
      ...(via !== undefined ? { via } : {}),
      ...(dev !== undefined ? { dev } : {}),
      ...(src !== undefined ? { src } : {}),
    });
    const key = `${r.table} ${routeLine(r)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    indexInsert(familyIndex(getTable(ns, r.table), dst.addr.family), r);
  }
}

const RULE_KEYS = new Set(['priority', 'src', 'srclen', 'dst', 'dstlen', 'fwmark', 'fwmask', 'iif', 'oif', 'table', 'action', 'not', 'flags']);

/** `ip -j [-6] rule` → the family's rules, in the order listed. */
export function readRules(family: Family, entries: readonly JsonEntry[], out: Diagnostic[]): FibRule[] {
  const rules: FibRule[] = [];
  for (const e of entries) {
    const f = new FieldReader(e, out, `ip -j -${family} rule`);
    const extra = Object.keys(e.obj).filter((k) => !RULE_KEYS.has(k));
    const action = f.str('action') ?? 'lookup';
    const priority = f.num('priority') ?? 0;
    if (extra.length > 0 || !['lookup', 'blackhole', 'unreachable', 'prohibit'].includes(action)) {
      out.push(warning('HOST_DUMP_UNMODELLED', `rule ${priority}: not modelled (${[...extra, ...(action === 'lookup' ? [] : [action])].join(', ')}); skipped`, e.pos));
      continue;
    }
    const sel = (key: 'src' | 'dst'): FibRule['from'] => {
      const text = f.str(key);
      if (text === undefined || text === 'all') return undefined;
      const addr = parseIp(text);
      return addr === undefined ? undefined : { addr, prefix: f.num(`${key}len`) ?? familyBits(addr.family) };
    };
    const from = sel('src');
    const to = sel('dst');
    const mark = f.str('fwmark');
    const mask = f.str('fwmask');
    const iif = f.str('iif');
    const oif = f.str('oif');
    rules.push({
      priority,
      action: action as FibRule['action'],
      table: parseTable(f.str('table') ?? 'main') ?? TABLE_MAIN,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(mark !== undefined ? { fwmark: Number(mark) } : {}),
      ...(mask !== undefined ? { fwmask: Number(mask) } : {}),
      ...(iif !== undefined ? { iif } : {}),
      ...(oif !== undefined ? { oif } : {}),
      ...(e.obj['not'] !== undefined ? { not: true } : {}),
    });
  }
  return rules;
}
