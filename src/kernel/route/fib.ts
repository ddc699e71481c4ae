/**
 * The FIB lookup through policy rules (fib_lookup → fib_rules_lookup → fib_table_lookup): rules
 * in priority order; a `lookup` rule whose table has no matching route lets the next rule try;
 * a rule action or a route of type blackhole/unreachable/prohibit ends the search.
 */
import type { Netns } from '../netns.js';
import { type FlowKey, ruleMatches } from './rule.js';
import { lookupTable } from './table.js';
import type { FibRule, Route } from './types.js';

/** The outcome of a FIB lookup. */
export type FibResult =
  | { readonly kind: 'route'; readonly route: Route; readonly rule: FibRule }
  | { readonly kind: 'rule-action'; readonly rule: FibRule }
  | { readonly kind: 'none' };

/**
 * A route is usable when it has no device, or its device exists and is up, as dead nexthops are
 * skipped (fib_table_lookup checks `fib_nh_common.nhc_flags & RTNH_F_DEAD`). Routes are removed
 * when their device goes down, so this only guards against hand-made state.
 */
function usable(ns: Netns, oif: string | undefined): (r: Route) => boolean {
  return (r) => {
    if (r.dev === undefined) return true; // blackhole/unreachable/prohibit return their error before any nexthop check
    const link = ns.links[r.dev];
    if (link === undefined || !link.up) return false;
    // With an output interface given (SO_BINDTODEVICE, `ip route get … oif DEV`), only its routes count; local ones always do
    // (`ip -6 route get fe80:: oif v0` on a router answers `anycast fe80:: … dev lo`, Linux 6.18).
    return oif === undefined || r.dev === oif || r.type === 'local' || r.type === 'anycast' || r.type === 'broadcast';
  };
}

/** `ip route get DST [from SRC] [iif DEV] [oif DEV] [mark M]`: the route the kernel picks. */
export function fibLookup(ns: Netns, key: FlowKey): FibResult {
  const use = usable(ns, key.oif);
  for (const rule of ns.rules[key.dst.family]) {
    if (!ruleMatches(rule, key)) continue;
    if (rule.action !== 'lookup') return { kind: 'rule-action', rule };
    const route = lookupTable(ns, rule.table, key.dst, use);
    if (route !== undefined) return { kind: 'route', route, rule };
  }
  return { kind: 'none' };
}
