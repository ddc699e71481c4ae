/**
 * Whether a namespace runs conntrack at all. Since Linux 4.15 conntrack's hooks are registered
 * per namespace and per family only while something needs them (`nf_ct_netns_get()`, called
 * when a rule with a conntrack match, a NAT target, CONNMARK or CT is added). Without them a
 * packet is never tracked and, NAT depending on conntrack, the nat chains are never traversed:
 * the kernel differential tests saw exactly that with an empty nat table and no such rule.
 */
import type { Ruleset } from './rule.js';

/** Matches whose rules take a conntrack reference (xt_conntrack, xt_state, xt_connmark, …). */
const CT_MATCHES: ReadonlySet<string> = new Set(['conntrack', 'state', 'connmark', 'connbytes', 'connlimit', 'connlabel', 'helper', 'cluster']);

/** Targets that do (NAT targets, CONNMARK, CT and NOTRACK). */
const CT_TARGETS: ReadonlySet<string> = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'CONNMARK', 'CT', 'NOTRACK']);

const cache = new WeakMap<Ruleset, boolean>();

/** True when some rule of the ruleset makes the kernel track connections of its family. */
export function conntrackNeeded(rs: Ruleset): boolean {
  const hit = cache.get(rs);
  if (hit !== undefined) return hit;
  const needed = rs.tables.some((t) =>
    t.chains.some((c) => c.rules.some((r) => r.matches.some((m) => CT_MATCHES.has(m.module)) || (r.target !== undefined && r.target.kind === 'extension' && CT_TARGETS.has(r.target.name)))),
  );
  cache.set(rs, needed);
  return needed;
}
