/**
 * Routes, routing tables and policy rules as plain data, named as `ip route` and `ip rule`
 * print them. A table keeps its routes in a per-family {@link PrefixIndex} (see prefix-index.ts).
 */
import type { Cidr } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';

/**
 * `RTN_*` route types that netsim models (`ip route add TYPE PREFIX`). `anycast` is an IPv6
 * router's subnet-router anycast address (anycast.ts): delivered locally like `local`.
 */
export type RouteType = 'unicast' | 'local' | 'anycast' | 'broadcast' | 'multicast' | 'blackhole' | 'unreachable' | 'prohibit';

/** Route scope (`scope global|link|host`). */
export type Scope = 'global' | 'link' | 'host';

/** Well-known table ids (`/etc/iproute2/rt_tables`). */
export const TABLE_LOCAL = 255;
export const TABLE_MAIN = 254;
export const TABLE_DEFAULT = 253;

/** One route. `dst` has its host bits cleared. */
export interface Route {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Cidr;
  readonly dev?: string;
  readonly via?: Ip;
  readonly scope: Scope;
  /** `proto`: `kernel`, `boot` (the default, not printed), `static`, `bird`, or a number. */
  readonly proto: string;
  readonly metric: number;
  /** Preferred source (`src`). */
  readonly src?: Ip;
  readonly onlink: boolean;
  /** Insertion counter of the namespace: ties between equal routes go to the older one. */
  readonly seq: number;
}

/**
 * A per-family longest-prefix-match index: a path-compressed binary trie over the address bits
 * (prefix-index.ts), stored in flat arrays (plain data, cheap to clone). Node 0 is the root
 * (prefix length 0); node `n` stands for the prefix of length `len[n]` whose bits are its key
 * (`key[n]` for IPv4, `key[4n..4n+3]` for IPv6: 32-bit words, most significant first, the bits
 * past the length clear); its children are `child[2n]` (next bit 0) and `child[2n + 1]` (next
 * bit 1), 0 meaning none, and a child's prefix may be any number of bits longer.
 */
export interface PrefixIndex {
  readonly family: Family;
  readonly child: number[];
  /** The routes whose prefix ends at each node, best first (undefined: none). */
  readonly routes: (Route[] | undefined)[];
  /** Each node's prefix length. */
  readonly len: number[];
  /** Each node's prefix, as words (see above). */
  readonly key: number[];
  /** How many routes the index holds of its own (not counting {@link PrefixIndex.under}'s). */
  size: number;
  /**
   * Routes this table holds together with other namespaces' tables (a route batch, batch.ts):
   * read beneath the index's own, less the ones `hidden` names (never added here, or deleted
   * since). The shared index is never written; `hidden` is this table's own.
   */
  under?: { readonly index: PrefixIndex; readonly hidden: Set<Route> };
}

/** A routing table (`ip route show table ID`). */
export interface RouteTable {
  readonly id: number;
  readonly v4: PrefixIndex;
  readonly v6: PrefixIndex;
}

/** What a rule does when it matches (`ip rule add … lookup|blackhole|unreachable|prohibit`). */
export type RuleAction = 'lookup' | 'blackhole' | 'unreachable' | 'prohibit';

/** One policy routing rule (`ip rule add`). */
export interface FibRule {
  readonly priority: number;
  readonly action: RuleAction;
  readonly table: number;
  readonly from?: Cidr;
  readonly to?: Cidr;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly iif?: string;
  readonly oif?: string;
  readonly not?: boolean;
}

/** The name `ip` prints for a table id. */
export function tableName(id: number): string {
  if (id === TABLE_LOCAL) return 'local';
  if (id === TABLE_MAIN) return 'main';
  if (id === TABLE_DEFAULT) return 'default';
  return String(id);
}

/** Parses `local`, `main`, `default` or a number; undefined otherwise. */
export function parseTable(text: string): number | undefined {
  if (text === 'local') return TABLE_LOCAL;
  if (text === 'main') return TABLE_MAIN;
  if (text === 'default') return TABLE_DEFAULT;
  return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
