/**
 * The nftables ruleset of one network namespace as plain data (`nft list ruleset`), beside the
 * xtables tables of ../state.ts: tables per family, base chains registered on a hook with a
 * priority, regular chains, rules as statement lists, named sets and maps with typed (possibly
 * concatenated) keys. Names follow nftables (net/netfilter/nf_tables_api.c, nft(8)).
 */
import type { Cidr } from '../../../addr/cidr.js';

/** `nft add table FAMILY …`: the families netsim models (no arp, bridge, netdev). */
export type NftFamily = 'ip' | 'ip6' | 'inet';

/** The hooks of the ip/ip6/inet families (`hook prerouting` …). */
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/** `type filter|nat|route` of a base chain. */
export type NftChainType = 'filter' | 'nat' | 'route';

/** Data types of set keys and of expressions (nft `describe`). */
export type NftType = 'ipv4_addr' | 'ipv6_addr' | 'inet_proto' | 'inet_service' | 'mark' | 'integer' | 'ct_state' | 'fib_addrtype' | 'ifname' | 'nf_proto' | 'tcp_flag' | 'verdict';

/** One typed value: an address or prefix, a number, a name (`tcp`, `new`, `"eth0"`), or a range `a-b`. */
export type NftValue =
  | { readonly kind: 'addr'; readonly cidr: Cidr }
  | { readonly kind: 'num'; readonly n: number }
  | { readonly kind: 'sym'; readonly text: string }
  | { readonly kind: 'str'; readonly text: string }
  | { readonly kind: 'range'; readonly from: NftValue; readonly to: NftValue }
  | { readonly kind: 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'masked'; readonly value: NftValue; readonly mask: NftValue };

/** A verdict (`accept`, `drop`, `continue`, `return`, `jump C`, `goto C`). */
export type NftVerdict =
  | { readonly kind: 'accept' | 'drop' | 'continue' | 'return' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string };

/** A left-hand expression (what a rule reads from the packet or its metadata). */
export type NftExpr =
  | { readonly kind: 'payload'; readonly proto: 'ip' | 'ip6' | 'tcp' | 'udp' | 'sctp' | 'th'; readonly field: string }
  | { readonly kind: 'meta'; readonly key: string }
  | { readonly kind: 'ct'; readonly key: string }
  | { readonly kind: 'fib'; readonly flags: readonly string[]; readonly result: 'type' | 'oif' | 'oifname' }
  | { readonly kind: 'numgen'; readonly mode: 'random' | 'inc'; readonly mod: number; readonly offset?: number }
  | { readonly kind: 'concat'; readonly parts: readonly NftExpr[] }
  | { readonly kind: 'binop'; readonly op: '&' | '|' | '^'; readonly left: NftExpr; readonly right: NftValue };

/** One element of a set or map: the key (one value per concatenated field), data, comment, timeout. */
export interface NftElement {
  readonly key: readonly NftValue[];
  readonly data?: NftVerdict | NftValue;
  readonly comment?: string;
  readonly timeout?: number;
}

/** The right-hand side of a lookup: a named set (`@name`) or an anonymous one (`{ … }`). */
export type NftSetRef = { readonly kind: 'named'; readonly name: string } | { readonly kind: 'anon'; readonly elements: readonly NftElement[] };

/** One statement of a rule. */
export type NftStmt =
  | { readonly kind: 'match'; readonly left: NftExpr; readonly op: '==' | '!=' | '<' | '>' | '<=' | '>='; readonly right: NftValue }
  | { readonly kind: 'lookup'; readonly left: NftExpr; readonly neg: boolean; readonly set: NftSetRef }
  | { readonly kind: 'vmap'; readonly key: NftExpr; readonly map: NftSetRef }
  | { readonly kind: 'verdict'; readonly verdict: NftVerdict }
  | { readonly kind: 'counter' }
  | { readonly kind: 'set-meta'; readonly target: NftExpr; readonly value: NftExpr | NftValue }
  | { readonly kind: 'nat'; readonly type: 'dnat' | 'snat'; readonly family?: 'ip' | 'ip6'; readonly addr?: NftValue; readonly port?: NftValue; readonly flags: readonly string[] }
  | { readonly kind: 'masquerade'; readonly flags: readonly string[] }
  | { readonly kind: 'redirect'; readonly port?: NftValue }
  | { readonly kind: 'reject'; readonly with?: string }
  | { readonly kind: 'log'; readonly prefix?: string }
  | { readonly kind: 'notrack' }
  | { readonly kind: 'set-update'; readonly op: 'add' | 'update'; readonly set: string; readonly key: NftExpr };

/** A rule: statements in order, and the comment nft keeps in the rule's userdata. */
export interface NftRule {
  readonly stmts: readonly NftStmt[];
  readonly comment?: string;
}

/** A base chain's registration: `type T hook H priority P; policy accept|drop;`. */
export interface NftBase {
  readonly type: NftChainType;
  readonly hook: NftHook;
  readonly priority: number;
  readonly policy: 'accept' | 'drop';
}

/** A chain (regular when `base` is absent). */
export interface NftChain {
  readonly name: string;
  readonly base?: NftBase;
  readonly comment?: string;
  readonly rules: readonly NftRule[];
}

/** A named set or map (`map` when `dataType` is present). */
export interface NftSet {
  readonly name: string;
  readonly keyType: readonly NftType[];
  readonly dataType?: NftType;
  readonly flags: readonly ('constant' | 'dynamic' | 'interval' | 'timeout')[];
  readonly size?: number;
  /** Default element timeout in seconds. */
  readonly timeout?: number;
  readonly comment?: string;
  readonly elements: readonly NftElement[];
}

/** A table of one family. */
export interface NftTable {
  readonly family: NftFamily;
  readonly name: string;
  readonly comment?: string;
  readonly sets: readonly NftSet[];
  readonly chains: readonly NftChain[];
}

/** `nft list ruleset`: the tables in the order they were created. */
export interface NftRuleset {
  readonly tables: readonly NftTable[];
}

/** The empty ruleset (`nft flush ruleset`). */
export const EMPTY_NFT: NftRuleset = { tables: [] };
