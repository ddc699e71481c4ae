/**
 * One set of routes added to many namespaces: `ip -batch` of `ip route add DST via GW dev DEV`
 * run on every node, as host-gw routing does (each node gets a route to every other node's pod
 * CIDR). On a cluster of 5,000 nodes that is 5,000 routes a node, all alike but for the one or
 * two each node leaves out (its own pod CIDRs): one shared, never written index holds them, and
 * each namespace's table reads it beneath its own routes, hiding what it leaves out or deletes
 * later (types.ts `PrefixIndex.under`, prefix-index.ts).
 *
 * Only the outcome of adding the routes one by one may be shared: {@link addRouteBatch} proves
 * that each `ip route add` would be accepted (device up, gateway reachable, no clash) and that
 * lookups order the shared routes as they would order the added ones, or does nothing and says
 * so, and the caller adds them one by one (and sees each refusal).
 *
 * Why a shared route sorts as the added one would: a namespace's routes order by insertion
 * (`seq`) only between routes of one prefix and metric. A shared route's `seq` is its place in the
 * batch, below any `seq` the namespace hands out after the batch (its counter moves past the
 * batch), and no route the namespace holds before the batch ties with one of the batch (else the
 * batch is not shared). So a shared route sorts before every own route it ties with, as the
 * older route does.
 */
import { type Cidr, cidrContains, canonicalCidr } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';
import type { Netns } from '../netns.js';
import { familyIndex } from './table.js';
import { emptyIndex, indexAll, indexInsert, indexLookup } from './prefix-index.js';
import { noteRoutesWrite } from '../netns-changes.js';
import { type PrefixIndex, type Route, TABLE_MAIN } from './types.js';

/** One route of a batch: to `dst` via `via`, on behalf of `owner` (a namespace that leaves its own out). */
export interface BatchRoute {
  readonly owner: string;
  readonly dst: Cidr;
  readonly via: Ip;
}

/** The routes of one family, indexed once (see the module comment). */
export interface RouteBatch {
  readonly family: Family;
  readonly dev: string;
  readonly index: PrefixIndex;
  /** Each owner's routes (the ones its own namespace leaves out). */
  readonly byOwner: ReadonlyMap<string, readonly Route[]>;
  /** The routes by prefix (`addr/len`), to check a namespace's own routes for clashes. */
  readonly byPrefix: ReadonlyMap<string, readonly Route[]>;
  /** The smallest prefix holding every gateway, or undefined when the batch cannot be shared (two routes of one prefix). */
  readonly span: Cidr | undefined;
  readonly size: number;
}

const key = (c: Cidr): string => `${c.addr.value}/${c.prefix}`;

/** The batch of `routes` (all of `family`) through `dev`, as `ip route add DST via GW dev DEV` writes each. */
export function routeBatch(family: Family, dev: string, routes: readonly BatchRoute[]): RouteBatch {
  const index = emptyIndex(family);
  const byOwner = new Map<string, Route[]>();
  const byPrefix = new Map<string, Route[]>();
  let span: Cidr | undefined;
  let shareable = true;
  routes.forEach((b, seq) => {
    const dst = canonicalCidr(b.dst);
    // routeFromSpec's defaults for a unicast route with a gateway: scope global, proto boot, metric 0 (IPv6: 1024).
    const r: Route = { table: TABLE_MAIN, type: 'unicast', dst, scope: 'global', proto: 'boot', metric: family === 6 ? 1024 : 0, onlink: false, seq, dev, via: b.via };
    const k = key(dst);
    if (byPrefix.has(k)) shareable = false; // the second would be refused (IPv4) or tie: one by one
    append(byPrefix, k, r);
    append(byOwner, b.owner, r);
    indexInsert(index, r);
    span = span === undefined ? { addr: b.via, prefix: family === 4 ? 32 : 128 } : widen(span, b.via);
  });
  // A route of the batch leading to a gateway would change how later gateways resolve: one by one.
  if (span !== undefined && routes.some((b) => overlaps(b.dst, span as Cidr))) shareable = false;
  return { family, dev, index, byOwner, byPrefix, span: shareable ? span : undefined, size: routes.length };
}

function append(m: Map<string, Route[]>, k: string, r: Route): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [r]);
  else list.push(r);
}

/** The smallest prefix holding `c` and `a`. */
function widen(c: Cidr, a: Ip): Cidr {
  let prefix = c.prefix;
  while (prefix > 0 && !cidrContains({ addr: c.addr, prefix }, a)) prefix--;
  return canonicalCidr({ addr: c.addr, prefix });
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.addr) || cidrContains(b, a.addr);
}

/**
 * Adds `batch`'s routes, less `owner`'s, to `ns`'s main table, as `ip route add DST via GW dev
 * DEV` of each would (addRoute), when it can prove each would be accepted; returns false, having
 * changed nothing, when it cannot (the caller then adds them one by one). The proof: the table
 * has no shared routes yet; the device is up; every gateway lies in one prefix whose
 * longest-prefix match is a route without gateway through the device (fib_check_nh: reachable),
 * no own route lying inside that prefix; no own route has the prefix and metric of one of the batch.
 */
export function addRouteBatch(ns: Netns, batch: RouteBatch, owner: string): boolean {
  const span = batch.span;
  const link = ns.links[batch.dev];
  if (span === undefined || link === undefined || !link.up) return false;
  const table = ns.tables[TABLE_MAIN];
  if (table === undefined) return false;
  const ix = familyIndex(table, batch.family);
  if (ix.under !== undefined) return false;
  const left = new Set(batch.byOwner.get(owner) ?? []);
  for (const r of indexAll(ix)) {
    if (r.dst.prefix > span.prefix && overlaps(r.dst, span)) return false;
    if (batch.byPrefix.get(key(r.dst))?.some((b) => b.metric === r.metric && !left.has(b)) === true) return false;
  }
  const gw = indexLookup(ix, span.addr);
  if (gw === undefined || (gw.type !== 'unicast' && gw.type !== 'local') || gw.via !== undefined || gw.dev !== batch.dev) return false;
  ix.under = { index: batch.index, hidden: left };
  noteRoutesWrite(ix);
  // Past the batch's seqs: what the namespace adds from now on is younger than every shared route.
  ns.counters.seq = Math.max(ns.counters.seq, batch.size) + batch.size;
  return true;
}
