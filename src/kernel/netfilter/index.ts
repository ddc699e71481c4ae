/**
 * Netfilter: tables, chains, rules, matches, targets, conntrack and NAT of one network namespace.
 * The stack uses only what is exported here.
 *
 * Layout (one concept a file):
 * - `rule.ts` the rule data shared with the parser; `api.ts` the hook contract with the stack;
 * - `state.ts` the per-namespace state and the iptables verbs (`-A`, `-I`, `-N`, `-P`, restore);
 * - `hook.ts` a hook's tables in priority order, with conntrack and NAT between them;
 * - `eval/` traversal (`check.ts`), compiled rules, one file per match family and per target group;
 * - `conntrack/` tuples, entries, the table, TCP states, NAT bindings, `conntrack -L` text.
 * May import `addr`, `packet`, `sim`, `diag` and `../events`. Invariant: state is plain data.
 */
import type { NetfilterState } from './state.js';
import { renderEntries } from './conntrack/render.js';
import { type ConntrackFilter, deleteEntry, deleteMatching } from './conntrack/table.js';

export * from './api.js';
export type { Chain, MatchSpec, Negatable, Opt, Rule, Ruleset, Table, TargetSpec } from './rule.js';
export type { ConntrackEntry, TcpCtState } from './conntrack/entry.js';
export type { Tuple } from './conntrack/tuple.js';
export type { ConntrackFilter } from './conntrack/table.js';
export { formatEntry } from './conntrack/render.js';
export {
  type IpSet,
  type NetfilterState,
  type RecentEntry,
  BUILTIN_CHAINS,
  appendRule,
  createNetfilter,
  defineSet,
  deleteChain,
  deleteRule,
  flushChain,
  getRuleset,
  insertRule,
  loadRuleset,
  newChain,
  setPolicy,
} from './state.js';
export { runHook, HOOK_STAGES } from './hook.js';
export { type DispatchPiece, spliceDispatch } from './eval/dispatch.js';
export { SUPPORTED_MATCHES } from './eval/match/registry.js';

/** `conntrack -L` (optionally `-f ipv4|ipv6`) of a namespace at simulated time `now`. */
export function renderConntrack(state: NetfilterState, now = 0, family?: 4 | 6): string {
  return renderEntries(state.conntrack, now, family);
}

/** `conntrack -D --id ID` (one entry). */
export function deleteConntrackEntry(state: NetfilterState, id: number): void {
  deleteEntry(state.conntrack, id);
}

/** `conntrack -D -p udp --orig-dst VIP --dst-nat EP …`: deletes matching entries, returns how many. */
export function deleteConntrack(state: NetfilterState, filter: ConntrackFilter): number {
  return deleteMatching(state.conntrack, filter);
}

export type { NftChain, NftElement, NftExpr, NftFamily, NftHook, NftRule, NftRuleset, NftSet, NftStmt, NftTable, NftValue, NftVerdict } from './nft/model.js';
export { EMPTY_NFT } from './nft/model.js';
export { parseNft } from './nft/parse.js';
export { printNft } from './nft/print.js';
export { formatRule as formatNftRule } from './nft/print-rule.js';
export { type NftState, setNftRuleset } from './nft/state.js';
