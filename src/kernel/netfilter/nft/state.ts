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
  const live = new Set<string>();
  for (const t of rs.tables) {
    for (const c of t.chains) {
      if (c.base === undefined) continue;
      const key = chainKey(t, c);
      live.add(key);
      if (!state.registered.has(key)) state.registered.set(key, state.nextRegistration++);
    }
  }
  for (const k of [...state.registered.keys()]) if (!live.has(k)) state.registered.delete(k);
  const sets = new Set(rs.tables.flatMap((t) => t.sets.map((s) => `${t.family} ${t.name} ${s.name}`)));
  for (const k of [...state.dynamic.keys()]) if (!sets.has(k)) state.dynamic.delete(k);
  state.ruleset = rs;
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
    for (const chain of table.chains) {
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
