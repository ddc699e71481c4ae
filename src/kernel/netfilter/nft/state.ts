/**
 * The nftables half of a namespace's netfilter state: the ruleset (`nft list ruleset`), the
 * order in which base chains registered their hooks (the kernel runs hooks of equal priority
 * newest first: `nf_hook_entries_grow()` inserts a new hook before the first one whose priority
 * is not lower; checked on this kernel, see docs/nftables.md), the elements a packet path added
 * to dynamic sets (`update @set { ip saddr }`) and `numgen inc` counters. Plain data.
 */
import type { Hook } from '../../events.js';
import type { NftChain, NftFamily, NftHook, NftRuleset, NftTable } from './model.js';
import { EMPTY_NFT } from './model.js';

/** A runtime element of a dynamic set: key text → absolute expiry (simulated seconds; Infinity without timeout). */
export type DynamicElements = Map<string, number>;

/** See the file header. */
export interface NftState {
  ruleset: NftRuleset;
  /** `family table chain` → registration number of a base chain (1, 2, …; larger is newer). */
  readonly registered: Map<string, number>;
  nextRegistration: number;
  /** `family table set` → elements added from the packet path. */
  readonly dynamic: Map<string, DynamicElements>;
  /** `numgen inc` counters by `family table chain position`. */
  readonly counters: Map<string, number>;
}

/** Forked states (a trace's fork, ../fork.ts) whose maps are still their base's. */
const sharing = new WeakSet<NftState>();

/** A state that reads as `s` and copies its maps the first time it is written ({@link ownNftMaps}); O(1). */
export function forkNft(s: NftState): NftState {
  const fork: NftState = { ruleset: s.ruleset, registered: s.registered, nextRegistration: s.nextRegistration, dynamic: s.dynamic, counters: s.counters };
  sharing.add(fork);
  return fork;
}

/** `s`, with maps of its own (the packet path's `update @set` and `numgen inc` write through this). */
export function ownNftMaps(s: NftState): NftState {
  if (sharing.delete(s)) {
    const w = s as { -readonly [K in keyof NftState]: NftState[K] };
    w.registered = new Map(s.registered);
    w.dynamic = new Map([...s.dynamic].map(([k, v]) => [k, new Map(v)]));
    w.counters = new Map(s.counters);
  }
  return s;
}

/** An empty nftables state. */
export function createNft(): NftState {
  return { ruleset: EMPTY_NFT, registered: new Map(), nextRegistration: 1, dynamic: new Map(), counters: new Map() };
}

function chainKey(t: NftTable, c: NftChain): string {
  return `${t.family} ${t.name} ${c.name}`;
}

/**
 * `nft -f` result: the namespace's ruleset becomes `rs`. Base chains that already existed keep
 * their registration; new ones register now, in ruleset order. Dynamic elements of sets that
 * no longer exist are forgotten.
 */
export function setNftRuleset(state: NftState, rs: NftRuleset): void {
  ownNftMaps(state);
  const live = baseChainKeys(rs);
  for (const key of live) if (!state.registered.has(key)) state.registered.set(key, state.nextRegistration++);
  for (const k of [...state.registered.keys()]) if (!live.includes(k)) state.registered.delete(k);
  // Only a state that has seen packets holds dynamic elements; a fresh one (every `nft trace`) skips the scan.
  if (state.dynamic.size > 0) {
    const sets = new Set(rs.tables.flatMap((t) => t.sets.map((s) => `${t.family} ${t.name} ${s.name}`)));
    for (const k of [...state.dynamic.keys()]) if (!sets.has(k)) state.dynamic.delete(k);
  }
  state.ruleset = rs;
}

/**
 * The keys of a ruleset's base chains in ruleset order, worked out once per ruleset (rulesets are
 * immutable values): kube-proxy's table has tens of thousands of regular chains and a dozen base
 * chains, and `nft trace` loads the ruleset into a fresh state for every packet.
 */
const BASE_CHAIN_KEYS = new WeakMap<NftRuleset, readonly string[]>();

function baseChainKeys(rs: NftRuleset): readonly string[] {
  let keys = BASE_CHAIN_KEYS.get(rs);
  if (keys === undefined) {
    keys = rs.tables.flatMap((t) => baseChainsOf(t).map((c) => chainKey(t, c)));
    BASE_CHAIN_KEYS.set(rs, keys);
  }
  return keys;
}

/** A table's base chains in table order, found once per (immutable) table: each hook of each packet asks. */
const BASE_CHAINS = new WeakMap<NftTable, readonly NftChain[]>();

function baseChainsOf(t: NftTable): readonly NftChain[] {
  let chains = BASE_CHAINS.get(t);
  if (chains === undefined) {
    chains = t.chains.filter((c) => c.base !== undefined);
    BASE_CHAINS.set(t, chains);
  }
  return chains;
}

/** The nft hook name of a netfilter hook. */
export const NFT_HOOK: Readonly<Record<Hook, NftHook>> = { PREROUTING: 'prerouting', INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output', POSTROUTING: 'postrouting' };

/** True when a table of `family` sees packets of IP version `v` (inet sees both). */
export function familySees(family: NftFamily, v: 4 | 6): boolean {
  return family === 'inet' || (family === 'ip') === (v === 4);
}

/** A base chain on a hook, with what orders it. */
export interface HookedChain {
  readonly table: NftTable;
  readonly chain: NftChain;
  readonly priority: number;
  readonly registration: number;
}

/** The base chains of type `filter`/`route` (or `nat`) on a hook for packets of version `v`, in the order the kernel runs them. */
export function chainsOnHook(state: NftState, hook: Hook, v: 4 | 6, nat: boolean): HookedChain[] {
  const h = NFT_HOOK[hook];
  const out: HookedChain[] = [];
  for (const table of state.ruleset.tables) {
    if (!familySees(table.family, v)) continue;
    for (const chain of baseChainsOf(table)) {
      const b = chain.base;
      if (b === undefined || b.hook !== h || (b.type === 'nat') !== nat) continue;
      out.push({ table, chain, priority: b.priority, registration: state.registered.get(chainKey(table, chain)) ?? 0 });
    }
  }
  return out.sort((a, b) => a.priority - b.priority || b.registration - a.registration);
}

/** True when some rule or chain of the family makes the kernel track connections (nat chains, ct expressions, NAT statements). */
export function nftNeedsConntrack(state: NftState, v: 4 | 6): boolean {
  return state.ruleset.tables.some(
    (t) =>
      familySees(t.family, v) &&
      t.chains.some((c) => c.base?.type === 'nat' || c.rules.some((r) => r.stmts.some((s) => s.kind === 'nat' || s.kind === 'masquerade' || s.kind === 'redirect' || s.kind === 'notrack' || ('left' in s && s.left.kind === 'ct')))),
  );
}
