/**
 * Rules, chains and tables as plain data, in the vocabulary of `iptables-save`.
 *
 * A rule keeps its matches and target as *canonical option lists*: the words iptables-save
 * prints after loading (`-m tcp --dport 80`, `-j MARK --set-xmark 0x4000/0x4000`), already
 * normalised by the parser. The syntax side (parse, print) and the semantic side (match, target
 * evaluation) meet only through that canonical form, which is defined by the real tool.
 * Everything here is structured-cloneable: no classes, no functions.
 */
import type { Cidr } from '../../addr/cidr.js';
import type { TableName } from '../events.js';

/** One option of a match or target: `! --dport 80` is `{ name: '--dport', args: ['80'], neg: true }`. */
export interface Opt {
  readonly name: string;
  readonly args: readonly string[];
  readonly neg: boolean;
}

/** `-m MODULE opts…`. Implicit protocol matches (`-p tcp --dport 80`) are stored as `-m tcp`, as iptables-save prints them. */
export interface MatchSpec {
  readonly module: string;
  readonly opts: readonly Opt[];
}

/**
 * `-j TARGET opts…` or `-g CHAIN`. `kind` says whether the name is a built-in verdict
 * (ACCEPT, DROP, RETURN, …), an extension target (DNAT, MARK, …) or a user chain.
 */
export interface TargetSpec {
  readonly kind: 'verdict' | 'extension' | 'jump' | 'goto';
  readonly name: string;
  readonly opts: readonly Opt[];
}

/** A value with an optional leading `!`. */
export interface Negatable<T> {
  readonly value: T;
  readonly neg: boolean;
}

/** One rule (`-A CHAIN …`). Counters are kept only to print them back. */
export interface Rule {
  readonly src?: Negatable<Cidr>;
  readonly dst?: Negatable<Cidr>;
  readonly inIface?: Negatable<string>;
  readonly outIface?: Negatable<string>;
  /** Protocol name as iptables-save prints it (`tcp`, `udp`, `icmp`, `ipv6-icmp`, or a number). */
  readonly proto?: Negatable<string>;
  /** `-f` / `! -f` (IPv4 fragments). */
  readonly fragment?: Negatable<true>;
  readonly matches: readonly MatchSpec[];
  /** Absent for a rule without `-j`/`-g` (it only counts packets). */
  readonly target?: TargetSpec;
  readonly counters?: { readonly packets: bigint; readonly bytes: bigint };
  /** 1-based line of the rule in the file it was parsed from, for diagnostics. */
  readonly line?: number;
}

/** A chain: built-in chains have a policy, user chains have none (`-`). */
export interface Chain {
  readonly name: string;
  readonly policy?: 'ACCEPT' | 'DROP';
  readonly counters?: { readonly packets: bigint; readonly bytes: bigint };
  readonly rules: readonly Rule[];
}

/** A table: its chains in the order iptables-save prints them (built-ins first, then user chains). */
export interface Table {
  readonly name: TableName;
  readonly chains: readonly Chain[];
}

/** All tables of one family (`iptables-save` or `ip6tables-save` output). */
export interface Ruleset {
  readonly family: 4 | 6;
  readonly tables: readonly Table[];
}
