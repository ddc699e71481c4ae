/**
 * Base chain priorities and their names (nft(8) "CHAINS", table of standard priority names):
 * raw -300, mangle -150, dstnat -100, filter 0, security 50, srcnat 100. nft prints a priority
 * as a name, or `name ± N` for |N| ≤ 10, only where the name is defined for the hook: dstnat
 * on prerouting, srcnat on postrouting (checked on this kernel with nft 1.0.6: `output priority
 * -100` prints as `-100`, `prerouting priority -110` as `dstnat - 10`, `input priority 11` as `11`).
 */
import type { NftHook } from './model.js';
import { fail, word } from './parse-expr.js';
import type { Cursor } from './tokenize.js';

/** A standard priority name, its value, and the hooks where nft accepts and prints it. */
const NAMED: readonly { readonly name: string; readonly value: number; readonly hooks?: readonly NftHook[] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

/** The iptables tables' priorities (include/uapi/linux/netfilter_ipv4.h `NF_IP_PRI_*`). */
export const XT_PRIORITY = { raw: -300, mangle: -150, nat: { dst: -100, src: 100 }, filter: 0, security: 50 } as const;

/** `priority P`: a number, a name, or `name + N` / `name - N`. */
export function parsePriority(cur: Cursor, hook: NftHook): number {
  const t = cur.peek();
  const w = word(cur, 'a priority');
  if (/^-?[0-9]+$/.test(w)) return Number(w);
  const named = NAMED.find((n) => n.name === w);
  if (named === undefined) fail(cur, 'NFT_BAD_VALUE', `priority ${w}: expected a number or raw, mangle, dstnat, filter, security, srcnat`, t);
  if (named.hooks !== undefined && !named.hooks.includes(hook)) fail(cur, 'NFT_BAD_VALUE', `priority ${w} is not valid on the ${hook} hook`, t);
  if (cur.is('+') || cur.is('-')) {
    const sign = cur.next().text === '+' ? 1 : -1;
    const n = Number(word(cur, 'an offset'));
    if (!Number.isInteger(n)) fail(cur, 'NFT_BAD_VALUE', 'priority offset must be an integer');
    return named.value + sign * n;
  }
  return named.value;
}

/** How `nft list ruleset` prints a priority on a hook. */
export function formatPriority(p: number, hook: NftHook): string {
  for (const n of NAMED) {
    if (n.hooks !== undefined && !n.hooks.includes(hook)) continue;
    const off = p - n.value;
    if (off === 0) return n.name;
    if (Math.abs(off) <= 10) return `${n.name} ${off > 0 ? '+' : '-'} ${Math.abs(off)}`;
  }
  return String(p);
}
