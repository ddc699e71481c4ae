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

/**
 * Sorted by name in code-unit order (a kube-proxy table of 10,000 Services has 50,000 chains,
 * a 700,000-line dump 233,000): a three-way radix quicksort on the names' characters, which
 * passes over the long prefix the names share (`KUBE-SVC-`, `KUBE-SEP-`) once per group instead
 * of once per comparison. Names repeat only in a malformed table; then a stable comparison sort,
 * so that the order of equal names is the order given.
 */
function sortByName<C extends { readonly name: string }>(users: C[]): C[] {
  const original = users.slice();
  radixSort(users, 0, users.length, 0);
  for (let i = 1; i < users.length; i++) {
    if ((users[i - 1] as C).name === (users[i] as C).name) return original.sort((a, b) => byteOrder(a.name, b.name));
  }
  return users;
}

/** The code unit at `d`, or -1 past the end (a shorter name sorts first). */
function unitAt(s: string, d: number): number {
  return d < s.length ? s.charCodeAt(d) : -1;
}

/** Sorts `a[lo, hi)`, whose names agree on their first `d` units (Bentley and Sedgewick's multikey quicksort). */
function radixSort<C extends { readonly name: string }>(a: C[], lo: number, hi: number, d: number): void {
  while (hi - lo > 12) {
    const pivot = unitAt((a[(lo + hi) >> 1] as C).name, d);
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const c = unitAt((a[i] as C).name, d);
      if (c < pivot) swap(a, lt++, i++);
      else if (c > pivot) swap(a, i, --gt);
      else i++;
    }
    radixSort(a, lo, lt, d);
    radixSort(a, gt, hi, d);
    // The names equal up to d + 1 go on with the next unit (names ended at d are all equal: done).
    if (pivot < 0) return;
    lo = lt;
    hi = gt;
    d++;
  }
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i] as C;
    let j = i;
    for (; j > lo && byteOrder((a[j - 1] as C).name, x.name) > 0; j--) a[j] = a[j - 1] as C;
    a[j] = x;
  }
}

function swap<C>(a: C[], i: number, j: number): void {
  const t = a[i] as C;
  a[i] = a[j] as C;
  a[j] = t;
}

/** Chain names longer than this are refused (XT_EXTENSION_MAXNAMELEN - 1). */
export const MAX_CHAIN_NAME = 28;
