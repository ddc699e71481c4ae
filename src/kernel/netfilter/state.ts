/**
 * The netfilter state of one network namespace, and the verbs that change its rules, named after
 * the iptables commands they mirror (`-A`, `-I`, `-N`, `-P`, `-F`, `-X`, `iptables-restore`).
 *
 * Everything is plain data (structured-cloneable): rulesets are the parser's `Ruleset` values,
 * replaced copy-on-write so a rule object that did not change keeps its compiled matcher (see
 * eval/compile.ts); conntrack, `-m recent` lists and `-m statistic --mode nth` counters are Maps.
 *
 * Tables appear when first used, as with iptables-nft: a fresh namespace has none, and
 * `iptables -t nat -A …` creates the nat table with all its built-in chains (policy ACCEPT).
 */
import type { Ip } from '../../addr/ip.js';
import { InternalError } from '../../diag/diagnostic.js';
import type { Hook, TableName } from '../events.js';
import { type ConntrackTable, createConntrack } from './conntrack/table.js';
import type { IpSet } from './ipset/index.js';
import type { Chain, Rule, Ruleset, Table } from './rule.js';
import { createNft, type NftState } from './nft/state.js';
import { ownIpsets, ownNth } from './fork.js';

/** One address of a `-m recent` list: the times (simulated seconds) it was seen, oldest first. */
export interface RecentEntry {
  readonly addr: Ip;
  readonly stamps: readonly number[];
}

export type { IpSet };

/** All netfilter state of one network namespace (iptables and ip6tables tables, conntrack, ipsets). */
export interface NetfilterState {
  readonly rulesets: { 4: Ruleset; 6: Ruleset };
  readonly conntrack: ConntrackTable;
  /** `-m recent` lists by name (`/proc/net/xt_recent/NAME`), entries keyed by address text. */
  readonly recent: Map<string, Map<string, RecentEntry>>;
  /** `-m statistic --mode nth` counters, keyed `family table chain position`. */
  readonly nth: Map<string, number>;
  readonly ipsets: Map<string, IpSet>;
  /** The nftables ruleset beside the xtables tables (`nft list ruleset`), see nft/state.ts. */
  readonly nft: NftState;
}

/** Built-in chains of each table (`iptables -t T -L`), in the order iptables-save lists them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The order iptables-nft's `iptables-save` prints tables in (checked with iptables 1.8.9). */
const TABLE_ORDER: readonly TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** An empty netfilter state: no tables (everything is accepted), empty conntrack. */
export function createNetfilter(): NetfilterState {
  return {
    rulesets: { 4: { family: 4, tables: [] }, 6: { family: 6, tables: [] } },
    conntrack: createConntrack(),
    recent: new Map(),
    nth: new Map(),
    ipsets: new Map(),
    nft: createNft(),
  };
}

/** True for the built-in chain names of a table. */
export function isBuiltinChain(table: TableName, chain: string): boolean {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(chain);
}

/** A table's chains by name. */
export interface ChainIndex {
  get(name: string): Chain | undefined;
}

const chainIndexCache = new WeakMap<Table, ChainIndex>();

/**
 * Gives a new table value its name index ready-made, for a writer that assembled the table
 * from parts whose positions it knows (cluster/assemble/proxy-delta.ts: a node's 50,000
 * kube-proxy chains laid out as its settings' shared base, with a few replaced), instead of a
 * Map of every chain built on first lookup. The index must answer as that Map would.
 */
export function setChainIndex(table: Table, index: ChainIndex): void {
  chainIndexCache.set(table, index);
}

/** A chain of a table by name (indexed once per table value). */
export function findChain(table: Table, name: string): Chain | undefined {
  let index = chainIndexCache.get(table);
  if (index === undefined) {
    index = new Map(table.chains.map((c) => [c.name, c]));
    chainIndexCache.set(table, index);
  }
  return index.get(name);
}

/** A table of a family's ruleset, if it exists. */
export function findTable(state: NetfilterState, family: 4 | 6, name: TableName): Table | undefined {
  return state.rulesets[family].tables.find((t) => t.name === name);
}

/** `iptables-save` / `ip6tables-save`: the family's ruleset as data. */
export function getRuleset(state: NetfilterState, family: 4 | 6): Ruleset {
  return state.rulesets[family];
}

/** `iptables-restore` (without --noflush): replaces the tables present in `ruleset`, keeps the others. */
export function loadRuleset(state: NetfilterState, ruleset: Ruleset): void {
  const fam = ruleset.family;
  const replaced = new Set(ruleset.tables.map((t) => t.name));
  const kept = state.rulesets[fam].tables.filter((t) => !replaced.has(t.name));
  state.rulesets[fam] = { family: fam, tables: sortTables([...kept, ...ruleset.tables]) };
  for (const key of [...state.nth.keys()]) if (key.startsWith(`${fam} `)) ownNth(state).delete(key);
}

function sortTables(tables: readonly Table[]): Table[] {
  return [...tables].sort((a, b) => TABLE_ORDER.indexOf(a.name) - TABLE_ORDER.indexOf(b.name));
}

function emptyTable(name: TableName): Table {
  return { name, chains: BUILTIN_CHAINS[name].map((c) => ({ name: c, policy: 'ACCEPT', rules: [] })) };
}

/** Applies `change` to one table (creating it first, as iptables-nft does), copy-on-write. */
function editTable(state: NetfilterState, family: 4 | 6, name: TableName, change: (t: Table) => Table): void {
  const rs = state.rulesets[family];
  const old = rs.tables.find((t) => t.name === name) ?? emptyTable(name);
  const next = change(old);
  state.rulesets[family] = { family, tables: sortTables([...rs.tables.filter((t) => t.name !== name), next]) };
}

/** Applies `change` to one existing chain of a table. */
function editChain(state: NetfilterState, family: 4 | 6, table: TableName, chain: string, change: (c: Chain) => Chain): void {
  editTable(state, family, table, (t) => {
    if (findChain(t, chain) === undefined) throw new InternalError(`iptables -t ${table}: chain ${chain} does not exist`);
    return { ...t, chains: t.chains.map((c) => (c.name === chain ? change(c) : c)) };
  });
}

/** `iptables -t TABLE -A CHAIN rule`. */
export function appendRule(state: NetfilterState, family: 4 | 6, table: TableName, chain: string, rule: Rule): void {
  editChain(state, family, table, chain, (c) => ({ ...c, rules: [...c.rules, rule] }));
}

/** `iptables -t TABLE -I CHAIN [POSITION] rule` (1-based, default 1). */
export function insertRule(state: NetfilterState, family: 4 | 6, table: TableName, chain: string, rule: Rule, position = 1): void {
  editChain(state, family, table, chain, (c) => {
    if (position < 1 || position > c.rules.length + 1) throw new InternalError(`iptables -I ${chain} ${position}: index of insertion too big`);
    return { ...c, rules: [...c.rules.slice(0, position - 1), rule, ...c.rules.slice(position - 1)] };
  });
}

/** `iptables -t TABLE -D CHAIN POSITION` (1-based). */
export function deleteRule(state: NetfilterState, family: 4 | 6, table: TableName, chain: string, position: number): void {
  editChain(state, family, table, chain, (c) => {
    if (position < 1 || position > c.rules.length) throw new InternalError(`iptables -D ${chain} ${position}: index of deletion too big`);
    return { ...c, rules: [...c.rules.slice(0, position - 1), ...c.rules.slice(position)] };
  });
}

/** `iptables -t TABLE -N CHAIN`. Creating an existing chain is an error, as in iptables. */
export function newChain(state: NetfilterState, family: 4 | 6, table: TableName, chain: string): void {
  editTable(state, family, table, (t) => {
    if (findChain(t, chain) !== undefined) throw new InternalError(`iptables -N ${chain}: chain already exists`);
    return { ...t, chains: [...t.chains, { name: chain, rules: [] }] };
  });
}

/** `iptables -t TABLE -P CHAIN POLICY` (built-in chains only). */
export function setPolicy(state: NetfilterState, family: 4 | 6, table: TableName, chain: string, policy: 'ACCEPT' | 'DROP'): void {
  if (!isBuiltinChain(table, chain)) throw new InternalError(`iptables -P ${chain}: not a built-in chain of ${table}`);
  editChain(state, family, table, chain, (c) => ({ ...c, policy }));
}

/** `iptables -t TABLE -F CHAIN`. */
export function flushChain(state: NetfilterState, family: 4 | 6, table: TableName, chain: string): void {
  editChain(state, family, table, chain, (c) => ({ ...c, rules: [] }));
}

/** `iptables -t TABLE -X CHAIN` (an empty user chain nothing jumps to). */
export function deleteChain(state: NetfilterState, family: 4 | 6, table: TableName, chain: string): void {
  editTable(state, family, table, (t) => {
    const c = findChain(t, chain);
    if (c === undefined || isBuiltinChain(table, chain) || c.rules.length > 0) throw new InternalError(`iptables -X ${chain}: not an empty user chain`);
    const referenced = t.chains.some((o) => o.rules.some((r) => r.target?.name === chain && (r.target.kind === 'jump' || r.target.kind === 'goto')));
    if (referenced) throw new InternalError(`iptables -X ${chain}: chain is still referenced`);
    return { ...t, chains: t.chains.filter((o) => o.name !== chain) };
  });
}

/** `ipset create NAME TYPE` + `ipset add` (or `ipset restore` of one set): replaces a set of that name. */
export function defineSet(state: NetfilterState, set: IpSet): void {
  ownIpsets(state).set(set.name, set);
}
