/**
 * Where a rule may live: checks the kernel makes when a rule is loaded into a table and chain.
 *
 * Kernel facts (iptables v1.8.9 nf_tables): `-o` is refused in INPUT and PREROUTING and `-i` in
 * OUTPUT and POSTROUTING ("Can't use -o with INPUT"); REJECT is refused outside the filter table
 * (mangle INPUT gives "RULE_APPEND failed (Invalid argument)"); the NAT targets belong to the
 * nat table and their hooks (net/netfilter/xt_nat.c, xt_MASQUERADE.c, xt_REDIRECT.c); TRACE,
 * NOTRACK and CT to raw. Hooks are only checked for rules in built-in chains: for a user chain the
 * kernel checks every path that reaches it, which the engine, not the parser, knows.
 */
import type { TableName } from '../../events.js';
import type { Rule } from '../rule.js';
import { isBuiltinChain } from './tables.js';

interface Placement {
  readonly tables: readonly TableName[];
  readonly chains?: readonly string[];
}

const TARGET_PLACES: Readonly<Record<string, Placement>> = {
  REJECT: { tables: ['filter'], chains: ['INPUT', 'FORWARD', 'OUTPUT'] },
  DNAT: { tables: ['nat'], chains: ['PREROUTING', 'OUTPUT'] },
  REDIRECT: { tables: ['nat'], chains: ['PREROUTING', 'OUTPUT'] },
  SNAT: { tables: ['nat'], chains: ['POSTROUTING', 'INPUT'] },
  MASQUERADE: { tables: ['nat'], chains: ['POSTROUTING'] },
  TRACE: { tables: ['raw'] },
  NOTRACK: { tables: ['raw'] },
  CT: { tables: ['raw'] },
  TOS: { tables: ['mangle'] },
  DSCP: { tables: ['mangle'] },
  // Checked: CLASSIFY loads in filter FORWARD too; xt_CLASSIFY.c registers it for these hooks in any table.
  CLASSIFY: { tables: ['raw', 'mangle', 'nat', 'filter', 'security'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'] },
};

/** No problem: one list for every rule that has none (nearly all), not a new empty list each. */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/** Problems with placing `rule` in `table`/`chain`, as messages (code IPT_WRONG_CHAIN). */
export function placementProblems(table: TableName, chain: string, rule: Rule): readonly string[] {
  const t = rule.target;
  const place = t?.kind === 'extension' ? TARGET_PLACES[t.name] : undefined;
  const builtin = isBuiltinChain(table, chain);
  // A user chain's rule with no placed target (a kube-proxy dump's every rule but DNAT's) has nothing to check.
  if (!builtin && place === undefined) return NO_PROBLEMS;
  const out: string[] = [];
  if (builtin && rule.outIface !== undefined && (chain === 'INPUT' || chain === 'PREROUTING')) out.push(`-o cannot be used in ${chain}: packets there have no output device yet`);
  if (builtin && rule.inIface !== undefined && (chain === 'OUTPUT' || chain === 'POSTROUTING')) out.push(`-i cannot be used in ${chain}: locally generated packets have no input device`);
  // xt_owner.c: only locally generated packets carry their socket (checked: INPUT refuses the rule).
  if (builtin && rule.matches.some((m) => m.module === 'owner') && chain !== 'OUTPUT' && chain !== 'POSTROUTING') out.push(`-m owner is only valid in OUTPUT and POSTROUTING, not ${chain}: only locally generated packets have a socket`);
  // xt_TCPMSS.c: clamping to the path MTU needs a route, so not before routing (checked: PREROUTING refuses it).
  if (builtin && t?.kind === 'extension' && t.name === 'TCPMSS' && t.opts.some((o) => o.name === '--clamp-mss-to-pmtu') && !['FORWARD', 'OUTPUT', 'POSTROUTING'].includes(chain)) {
    out.push(`-j TCPMSS --clamp-mss-to-pmtu is only valid in FORWARD, OUTPUT and POSTROUTING, not ${chain}`);
  }
  if (t === undefined || place === undefined) return out;
  if (!place.tables.includes(table)) out.push(`-j ${t.name} is only valid in the ${place.tables.join('/')} table, not ${table}`);
  else if (builtin && place.chains !== undefined && !place.chains.includes(chain)) out.push(`-j ${t.name} is only valid in ${place.chains.join(', ')} (or chains reached from them), not ${chain}`);
  return out;
}
