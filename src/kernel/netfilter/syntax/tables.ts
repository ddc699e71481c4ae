/**
 * Tables and their built-in chains, and the order iptables-save prints them in.
 *
 * Kernel facts (iptables v1.8.9 nf_tables, fixtures *.save):
 * - tables print in the order mangle, security, raw, filter, nat (the nft backend's table list),
 *   and only tables that exist;
 * - a table prints all its built-in chains, even ones no rule or chain line mentioned, in hook
 *   order, then user chains sorted by name in byte order (`KUBE-SVC` before `KUBE_X` before `a`).
 */
import type { TableName } from '../../events.js';
import type { Chain, Table } from '../rule.js';

/** Built-in chains of each table, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The order iptables-nft-save prints tables in. */
export const TABLE_ORDER: readonly TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** True for a table name iptables knows. */
export function isTableName(name: string): name is TableName {
  return (TABLE_ORDER as readonly string[]).includes(name);
}

/** True when `chain` is a built-in chain of `table`. */
export function isBuiltinChain(table: TableName, chain: string): boolean {
  return BUILTIN_CHAINS[table].includes(chain);
}

/** Tables in print order. */
export function orderTables(tables: readonly Table[]): Table[] {
  return [...tables].sort((a, b) => TABLE_ORDER.indexOf(a.name) - TABLE_ORDER.indexOf(b.name));
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Chains in print order: every built-in chain (empty ACCEPT ones added when missing), then user chains by name. */
export function orderChains(table: TableName, chains: readonly Chain[]): Chain[] {
  return orderByName(table, chains, (name) => ({ name, policy: 'ACCEPT', rules: [] }));
}

/**
 * {@link orderChains} for anything with a name: the built-ins in hook order (the last of a name
 * wins; `missing` makes an absent one), then the others sorted by name, stably. A list already in
 * order (iptables-save output, a table printed twice) is not sorted again.
 */
export function orderByName<C extends { readonly name: string }>(table: TableName, chains: readonly C[], missing: (name: string) => C): C[] {
  const names = BUILTIN_CHAINS[table];
  const builtins: Array<C | undefined> = names.map(() => undefined);
  const users: C[] = [];
  let sorted = true;
  for (const c of chains) {
    const b = names.indexOf(c.name);
    if (b >= 0) {
      builtins[b] = c;
      continue;
    }
    const last = users[users.length - 1];
    if (last !== undefined && byteOrder(last.name, c.name) > 0) sorted = false;
    users.push(c);
  }
  return builtins.map((c, i) => c ?? missing(names[i] as string)).concat(sorted ? users : sortByName(users));
}

/** Sorted by name as keys first (a kube-proxy table of 10,000 Services has 50,000 chains); stably when names repeat. */
function sortByName<C extends { readonly name: string }>(users: C[]): C[] {
  const byName = new Map(users.map((c) => [c.name, c]));
  if (byName.size !== users.length) return users.sort((a, b) => byteOrder(a.name, b.name));
  return users
    .map((c) => c.name)
    .sort() // code-unit order, as byteOrder
    .map((n) => byName.get(n) as C);
}

/** Chain names longer than this are refused (XT_EXTENSION_MAXNAMELEN - 1). */
export const MAX_CHAIN_NAME = 28;
