/**
 * The parts of a rule the fast reader (fast-rule.ts) builds, each kept with the text it was built
 * from so that the next rule writing exactly that text gets the same object.
 *
 * A match, target, address, interface or protocol is a pure function of the words that write it
 * (and, for a part whose extension reads it, of the rule's protocol; the family is the file's), so
 * equal text gives an equal value, and rules are immutable plain data, so two rules may hold one
 * object. Rule and Chain objects are never shared (the evaluator caches per Rule and Chain).
 * Each kind keeps only the last text per extension or field, compared in place with no string
 * made: kube-proxy writes a repeated part on neighbouring lines (the comment of an endpoint
 * chain's two rules, `-m tcp --dport 80`, `-j MARK --or-mark 0x4000`), and a map of every part of
 * a 700,000-line dump would cost more to keep than it saves.
 *
 * Parts are built by the extensions' own code, whose reports make the fast reader give the line
 * up; only a part built without a report is kept.
 */
import type { Cidr } from '../../../addr/index.js';
import type { MatchSpec, Negatable, Opt, TargetSpec } from '../rule.js';
import type { ChainDraft, TableDraft } from './close-table.js';
import type { ExtContext, ExtensionDef } from './extension.js';
import type { LineCursor } from './fast-words.js';
import { internProto } from './finish-rule.js';
import { protoName, protoNumber } from './protocols.js';
import { parseNetFast, utf8Length } from './values.js';

/** The options of a match or target that has none: rules are immutable. */
export const NO_OPTS: readonly Opt[] = Object.freeze([]);

/**
 * A built match or target and where the text of its options is (`text[from, to)`, from after
 * its name to its last option's last argument). `value` is null for a match the kernel keeps
 * nothing of. Kept parts are overwritten in place when they are the oldest of their extension.
 */
export interface Part<T> {
  from: number;
  to: number;
  /** The rule's protocol when the extension read it ({@link ANY_PROTO} when it did not). */
  proto: string | undefined | typeof ANY_PROTO;
  value: T | null;
}

/** A part whose extension did not read the rule's protocol: it is the same under any. */
export const ANY_PROTO: unique symbol = Symbol('any protocol');

/**
 * An extension context whose report marks the part as failed instead of reporting, and which
 * notes whether the extension read the rule's protocol.
 */
export class BailingExt implements ExtContext {
  failed = false;
  protoRead = false;
  private ruleProto: string | undefined;
  constructor(readonly family: 4 | 6) {}
  get proto(): string | undefined {
    this.protoRead = true;
    return this.ruleProto;
  }
  /** Sets the rule's protocol (without counting as a read). */
  setProto(proto: string | undefined): void {
    this.ruleProto = proto;
  }
  /** The rule's protocol, without counting as a read. */
  peekProto(): string | undefined {
    return this.ruleProto;
  }
  /** The protocol a part built since {@link start} depends on. */
  get partProto(): string | undefined | typeof ANY_PROTO {
    return this.protoRead ? this.ruleProto : ANY_PROTO;
  }
  /** Before a part is built. */
  start(): void {
    this.failed = false;
    this.protoRead = false;
  }
  report(): void {
    this.failed = true;
  }
}

/** A base field's last value and where its text is. */
interface Seen<T> {
  from: number;
  to: number;
  neg: boolean;
  value: T;
}

/** The parts of one parse. */
export class FastParts {
  readonly ext: BailingExt;
  private readonly matches = new Map<ExtensionDef, Array<Part<MatchSpec>>>();
  private readonly targets = new Map<ExtensionDef, Array<Part<TargetSpec>>>();
  private readonly verdicts = new Map<string, TargetSpec>();
  /** By field: -s, -d (addresses), -i, -o (interfaces), -p. */
  private readonly seen: Array<Seen<unknown> | undefined> = [undefined, undefined, undefined, undefined, undefined];
  /** Chains named lately (by `-A` or as a jump target) in {@link recentTable}, newest first. */
  private readonly recent: ChainDraft[] = [];
  /** The last code unit of each recent chain's name, so that a miss reads neither the chain nor its name. */
  private readonly recentLast = new Int32Array(RECENT_CHAINS);
  private recentTable: TableDraft | undefined;
  /**
   * Chains of {@link recentTable} in the order they were declared, each the one its name holds in
   * the table (any chain replaced, deleted or declared otherwise empties it), and the place of the
   * last one found there: kube-proxy jumps to its chains in the order it declares them.
   */
  private readonly declared: ChainDraft[] = [];
  private lastAt = -1;

  constructor(readonly family: 4 | 6) {
    this.ext = new BailingExt(family);
  }

  /**
   * The chain the cursor's word names in `table`. One named lately is found by comparing text in
   * place, with no string made and no lookup in the table's map of every chain (kube-proxy names
   * a chain as a jump target on one line and appends to it on the next).
   */
  chainOf(table: TableDraft, cur: LineCursor): ChainDraft | undefined {
    const recent = this.recent;
    if (this.recentTable !== table) this.openTable(table);
    const last = cur.text.charCodeAt(cur.to - 1);
    const lasts = this.recentLast;
    for (let k = 0; k < recent.length; k++) {
      // The last character first: kube-proxy's names share a long prefix and differ at the end.
      if (lasts[k] !== last || !cur.is((recent[k] as ChainDraft).name)) continue;
      const c = recent[k] as ChainDraft;
      for (let j = k; j > 0; j--) recent[j] = recent[j - 1] as ChainDraft;
      lasts.copyWithin(1, 0, k);
      recent[0] = c;
      lasts[0] = last;
      return c;
    }
    // The chain declared after the last one found, compared in place, before the map of every chain.
    const next = this.declared[this.lastAt + 1];
    let chain: ChainDraft | undefined;
    if (next !== undefined && next.name.charCodeAt(next.name.length - 1) === last && cur.is(next.name)) {
      chain = next;
      this.lastAt++;
    } else {
      chain = table.chains.get(cur.word());
      if (chain !== undefined && this.declared[chain.order] === chain) this.lastAt = chain.order;
    }
    if (chain !== undefined) {
      if (recent.length < RECENT_CHAINS) recent.push(chain);
      for (let j = recent.length - 1; j > 0; j--) recent[j] = recent[j - 1] as ChainDraft;
      lasts.copyWithin(1, 0, recent.length - 1);
      recent[0] = chain;
      lasts[0] = last;
    }
    return chain;
  }

  /** Forgets the chains named lately: a table's chains were replaced, created or deleted. */
  forgetChains(): void {
    this.recent.length = 0;
    this.declared.length = 0;
    this.lastAt = -1;
  }

  /** `:NAME - [0:0]` made `chain` the table's chain of its name; `replaced` when the name had one. */
  declare(table: TableDraft, chain: ChainDraft, replaced: boolean): void {
    if (this.recentTable !== table) this.openTable(table);
    if (replaced) return this.forgetChains();
    chain.order = this.declared.length;
    this.declared.push(chain);
  }

  private openTable(table: TableDraft): void {
    this.forgetChains();
    this.recentTable = table;
  }

  /** A verdict target (`-j ACCEPT`): one object per name. */
  verdict(name: string): TargetSpec {
    let t = this.verdicts.get(name);
    if (t === undefined) {
      t = { kind: 'verdict', name, opts: NO_OPTS };
      this.verdicts.set(name, t);
    }
    return t;
  }

  /** A kept match of `def` whose options are written again at the cursor (which moves past them), copied into `into`. */
  findMatch(def: ExtensionDef, cur: LineCursor, into: Part<MatchSpec>): boolean {
    return found(this.matches.get(def), cur, into);
  }

  /** A kept target of `def` whose options are written again at the cursor (which moves past them), copied into `into`. */
  findTarget(def: ExtensionDef, cur: LineCursor, into: Part<TargetSpec>): boolean {
    return found(this.targets.get(def), cur, into);
  }

  /** The value of a part found again, if the rule's protocol is the one it was built for; undefined to give up. */
  reuse<T>(part: Part<T>): T | null | undefined {
    return part.proto === ANY_PROTO || part.proto === this.ext.peekProto() ? part.value : undefined;
  }

  /** The match of `def` with `opts` as written in the text's `[from, to)`: null when dropped, undefined to give up. */
  newMatch(def: ExtensionDef, opts: readonly Opt[], from: number, to: number): MatchSpec | null | undefined {
    const ext = this.ext;
    ext.start();
    const canon = def.canonicalize(opts, ext);
    if (ext.failed) return undefined;
    const value = canon === undefined ? null : { module: def.name, opts: canon };
    remember(this.matches, def, from, to, ext.partProto, value);
    return value;
  }

  /** The extension target `def` with `opts` as written in the text's `[from, to)`; undefined to give up. */
  newTarget(def: ExtensionDef, opts: readonly Opt[], from: number, to: number): TargetSpec | undefined {
    const ext = this.ext;
    ext.start();
    const canon = def.canonicalize(opts, ext) ?? NO_OPTS;
    if (ext.failed) return undefined;
    // def.name, not the word: the same text, one string for every rule.
    const value: TargetSpec = { kind: 'extension', name: def.name, opts: canon };
    remember(this.targets, def, from, to, ext.partProto, value);
    return value;
  }

  /** `-p`: undefined for no protocol (`all`), null to give up (finish-rule.ts canonProto would report). */
  proto(text: string, from: number, to: number, neg: boolean): Negatable<string> | undefined | null {
    const seen = this.again<Negatable<string> | undefined>(4, text, from, to, neg);
    if (seen !== null) return seen.value;
    const num = protoNumber(text.slice(from, to));
    if (num === undefined) return null;
    const name = protoName(num);
    const value = name === undefined ? undefined : internProto(name, neg);
    this.see(4, from, to, neg, value);
    return value;
  }

  /** `-s`/`-d` (field 0 or 1): undefined for a /0 that tests nothing, null to give up. */
  address(field: 0 | 1, text: string, from: number, to: number, neg: boolean): Negatable<Cidr> | undefined | null {
    const seen = this.again<Negatable<Cidr> | undefined>(field, text, from, to, neg);
    if (seen !== null) return seen.value;
    const word = text.slice(from, to);
    if (word.includes(',')) return null;
    const c = parseNetFast(word);
    if (c === undefined || c.addr.family !== this.family) return null;
    // A /0 without `!` matches everything: the kernel keeps no test (finish-rule.ts addresses).
    const value = c.prefix === 0 && !neg ? undefined : { value: c, neg };
    this.see(field, from, to, neg, value);
    return value;
  }

  /** `-i`/`-o` (field 2 or 3), null to give up where finish-rule.ts iface reports or warns. */
  iface(field: 2 | 3, text: string, from: number, to: number, neg: boolean): Negatable<string> | null {
    const seen = this.again<Negatable<string>>(field, text, from, to, neg);
    if (seen !== null) return seen.value;
    const word = text.slice(from, to);
    if (word.length === 0 || utf8Length(word) > 15 || /[\s/]/.test(word)) return null;
    const value = { value: word, neg };
    this.see(field, from, to, neg, value);
    return value;
  }

  /** The field's last value when `text[from, to)` and `neg` are what it was built from. */
  private again<T>(field: number, text: string, from: number, to: number, neg: boolean): Seen<T> | null {
    const s = this.seen[field] as Seen<T> | undefined;
    return s !== undefined && s.neg === neg && sameText(text, s.from, s.to, from, to) ? s : null;
  }

  private see(field: number, from: number, to: number, neg: boolean, value: unknown): void {
    const s = this.seen[field];
    if (s === undefined) {
      this.seen[field] = { from, to, neg, value };
      return;
    }
    s.from = from;
    s.to = to;
    s.neg = neg;
    s.value = value;
  }
}

/** Chains {@link FastParts.chainOf} keeps. */
const RECENT_CHAINS = 8;

/**
 * Parts kept per extension: the last few, newest first. One would do for a part repeated on the
 * next line, but lines of different shapes alternate (an endpoint chain's `-m tcp` between two
 * services' `-m tcp --dport 80`).
 */
const PER_EXTENSION = 4;

function remember<T>(byDef: Map<ExtensionDef, Array<Part<T>>>, def: ExtensionDef, from: number, to: number, proto: Part<T>['proto'], value: T | null): void {
  let list = byDef.get(def);
  if (list === undefined) {
    list = [];
    byDef.set(def, list);
  }
  // Newest first; the oldest object is written over once the list is full.
  const part: Part<T> = list.length < PER_EXTENSION ? { from, to, proto, value } : (list.pop() as Part<T>);
  part.from = from;
  part.to = to;
  part.proto = proto;
  part.value = value;
  list.unshift(part);
}

/** Copies into `into` the kept part the cursor's text goes on with, ending a part there; the cursor moves past it. */
function found<T>(list: Array<Part<T>> | undefined, cur: LineCursor, into: Part<T>): boolean {
  if (list === undefined) return false;
  // Longest first: a part without options (empty text) must not hide one with options.
  let best: Part<T> | undefined;
  for (let k = 0; k < list.length; k++) {
    const part = list[k] as Part<T>;
    const n = part.to - part.from;
    if ((best === undefined || n > best.to - best.from) && cur.partEndsAt(cur.i, part.from, part.to)) best = part;
  }
  if (best === undefined) return false;
  cur.i += best.to - best.from;
  into.from = best.from;
  into.to = best.to;
  into.proto = best.proto;
  into.value = best.value;
  return true;
}

/** True when `text[a, aEnd)` and `text[b, bEnd)` hold the same characters. */
export function sameText(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let k = 0; k < aEnd - a; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}
