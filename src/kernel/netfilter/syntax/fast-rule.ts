/**
 * The fast rule reader: one `-A CHAIN …` line of an iptables-save dump read in place and built
 * straight into a canonical {@link Rule}, for the lines that are plain and correct, which is
 * nearly every line of a generated dump. Any line it does not take, it gives back untouched
 * (undefined), and the reference reader (parse-rule.ts, finish-rule.ts) reads it and reports what
 * is wrong with it. fast-rule.property.test.ts checks that both give the same rules.
 *
 * It takes the words the reference reader takes in the same way (`-A`, `-s`, `-d`, `-i`, `-o`,
 * `-p`, `!`, `-m`, `-j`, `-g`, and options given by their exact name), and builds each part with
 * the same extension code; it gives up where the reference reader would report or warn, or would
 * look further (option prefixes, implicit protocol matches, long option names, `-f`, `-c`,
 * address lists, unmodelled extensions, a jump to a chain not declared yet).
 *
 * What it saves: no line string, no word array, no draft; and parts written the same way as in
 * the line before are not built again but shared (parts.ts), which a 700,000-line dump of
 * kube-proxy rules has on most lines (`-m tcp --dport 80`, the comment of an endpoint chain's two
 * rules, `-j KUBE-MARK-MASQ`).
 */
import type { MatchSpec, Opt, Rule, TargetSpec } from '../rule.js';
import type { ChainDraft, TableDraft } from './close-table.js';
import type { ExtensionDef } from './extension.js';
import { END, GIVE_UP, LineCursor } from './fast-words.js';
import { makeRule } from './finish-rule.js';
import { ANY_PROTO, type BailingExt, type Part, FastParts, NO_OPTS } from './parts.js';
import { mayNameExtension, specOf } from './fast-names.js';
import { KNOWN_UNSUPPORTED, MATCH_ALIASES, MATCHES, TARGETS, VERDICTS } from './registry.js';

/**
 * A match or extension target of the line being read: the text of its options, `text[from, to)`,
 * while they follow it without a break, and, when that text was found among the kept parts
 * (`hit`), the kept part's protocol and value, copied here.
 */
interface Entry extends Part<MatchSpec | TargetSpec> {
  def: ExtensionDef;
  /** Options as written, when not found in {@link FastParts}. */
  opts: readonly Opt[];
  /** Found among the kept parts: no option may be added to it. */
  hit: boolean;
}

/** Base fields: `-s`, `-d`, `-i`, `-o`, `-p`. */
const SRC = 0;
const DST = 1;
const IN = 2;
const OUT = 3;
const PROTO = 4;

/** The reader of one parse: its cursor, its shared parts and the fields of the line being read. */
export class FastRuleReader {
  readonly cur = new LineCursor();
  readonly parts: FastParts;
  private readonly ext: BailingExt;
  private readonly from = new Int32Array(5);
  private readonly to = new Int32Array(5);
  private readonly neg = new Uint8Array(5);
  private readonly entries: Entry[] = [];
  private n = 0;
  /** The extension target's entry, when the line has one (one object, reused line after line). */
  private readonly tObj: Entry = newEntry(TARGETS.get('MARK') as ExtensionDef);
  /** The matches built, before they are copied into a list of exactly their number. */
  private readonly built: Array<Rule['matches'][number]> = [];
  /** The names given to `-m` lately and their extensions (kube-proxy's lines repeat `-m comment` and `-m tcp`). */
  private readonly matchNames: string[] = [];
  private readonly matchDefs: ExtensionDef[] = [];
  private chain: ChainDraft | undefined;
  private target: TargetSpec | undefined;
  private tEntry: Entry | undefined;
  private open: Entry | undefined;

  constructor(family: 4 | 6) {
    this.parts = new FastParts(family);
    this.ext = this.parts.ext;
  }

  /** The chain the last rule read goes into. */
  get into(): ChainDraft {
    return this.chain as ChainDraft;
  }

  /** The rule of `text[start, end)` in `table`, or undefined when the line is left to the reference reader. */
  read(text: string, start: number, end: number, table: TableDraft, line: number): Rule | undefined {
    this.cur.reset(text, start, end);
    this.from.fill(-1);
    this.n = 0;
    this.chain = undefined;
    this.target = undefined;
    this.tEntry = undefined;
    this.open = undefined;
    if (!this.readWords(table)) return undefined;
    return this.build(line);
  }

  private readWords(table: TableDraft): boolean {
    const cur = this.cur;
    let neg = false;
    for (let r = cur.next(); r !== END; r = cur.next()) {
      if (r === GIVE_UP) return false;
      const { text, from, to } = cur;
      const c0 = text.charCodeAt(from);
      if (to - from === 1 && c0 === 33) {
        if (neg) return false;
        neg = true;
        continue;
      }
      if (c0 !== 45 || to - from < 2) return false;
      const field = to - from === 2 ? baseField(text.charCodeAt(from + 1)) : -1;
      if (field >= 0) {
        this.open = undefined;
        if (!this.readBase(field, neg)) return false;
      } else if (to - from === 2 && text.charCodeAt(from + 1) === 0x41) {
        this.open = undefined;
        if (neg || this.chain !== undefined || cur.next() !== 1) return false;
        this.chain = this.parts.chainOf(table, cur);
        if (this.chain === undefined) return false;
      } else if (to - from === 2 && text.charCodeAt(from + 1) === 0x6d) {
        this.open = undefined;
        if (neg || !this.readMatch()) return false;
      } else if (to - from === 2 && (text.charCodeAt(from + 1) === 0x6a || text.charCodeAt(from + 1) === 0x67)) {
        this.open = undefined;
        if (neg || !this.readTarget(table, text.charCodeAt(from + 1) === 0x67)) return false;
      } else if (!this.readOption(neg)) {
        return false;
      }
      neg = false;
    }
    return !neg && this.chain !== undefined;
  }

  private readBase(field: number, neg: boolean): boolean {
    const cur = this.cur;
    if (cur.next() !== 1 || cur.is('!') || this.from[field] !== -1) return false;
    this.from[field] = cur.from;
    this.to[field] = cur.to;
    this.neg[field] = neg ? 1 : 0;
    return true;
  }

  private readMatch(): boolean {
    const cur = this.cur;
    if (cur.next() !== 1) return false;
    const def = this.matchDef(cur);
    if (def === undefined || (def.family !== undefined && def.family !== this.parts.family)) return false;
    if (!this.readBasesAhead()) return false;
    const e = this.entry(def);
    // A target read before could take these options (targets are looked in first): nothing found then.
    e.hit = this.tEntry === undefined && this.parts.findMatch(def, cur, e as Part<MatchSpec>);
    if (!e.hit) this.open = e;
    return true;
  }

  /**
   * The base options (`-p`, `-s`, `-d`, `-i`, `-o`, maybe after `!`) right after a match's name,
   * read before its options: kube-proxy writes `-m tcp -p tcp -d 10.96.0.1 --dport 80`, and
   * where a base option stands does not change the rule, while the match's options must follow
   * one another for their text to be the key of a kept part. False to give the line up.
   */
  private readBasesAhead(): boolean {
    const cur = this.cur;
    for (;;) {
      const at = cur.i;
      let r = cur.next();
      const neg = r === 1 && cur.is('!');
      if (neg) r = cur.next();
      const field = r === 1 && cur.to - cur.from === 2 && cur.text.charCodeAt(cur.from) === 45 ? baseField(cur.text.charCodeAt(cur.from + 1)) : -1;
      if (field < 0) {
        cur.i = at;
        return true;
      }
      if (!this.readBase(field, neg)) return false;
    }
  }

  /** The match the cursor's word names: one named lately is found by comparing text in place, with no string made. */
  private matchDef(cur: LineCursor): ExtensionDef | undefined {
    const names = this.matchNames;
    for (let k = 0; k < names.length; k++) if (cur.is(names[k] as string)) return this.matchDefs[k];
    const given = cur.word();
    const def = MATCHES.get(MATCH_ALIASES.get(given) ?? given);
    if (def === undefined) return undefined;
    // Newest first; the oldest goes once the list is full.
    if (names.length === RECENT_MATCHES) {
      names.pop();
      this.matchDefs.pop();
    }
    names.unshift(given);
    this.matchDefs.unshift(def);
    return def;
  }

  private readTarget(table: TableDraft, isGoto: boolean): boolean {
    const cur = this.cur;
    if (this.target !== undefined || this.tEntry !== undefined || cur.next() !== 1) return false;
    // A word no verdict or extension is named (`KUBE-SVC-…`) goes straight to the chains, with no string made.
    if (mayNameExtension(cur)) {
      const name = cur.word();
      const def = TARGETS.get(name);
      if (VERDICTS.has(name)) {
        if (isGoto) return false;
        this.target = this.parts.verdict(name);
        return true;
      }
      if (def !== undefined) {
        if (isGoto) return false;
        const e = this.reset(this.tObj, def);
        this.tEntry = e;
        e.hit = this.parts.findTarget(def, cur, e as Part<TargetSpec>);
        if (!e.hit) this.open = e;
        return true;
      }
      if (KNOWN_UNSUPPORTED.has(name)) return false;
    }
    // A user chain, which must be declared before (close-table.ts checkJump reports it otherwise).
    const chain = this.parts.chainOf(table, cur);
    if (chain === undefined) return false;
    this.target = isGoto ? (chain.gotoTarget ??= { kind: 'goto', name: chain.name, opts: NO_OPTS }) : (chain.jumpTarget ??= { kind: 'jump', name: chain.name, opts: NO_OPTS });
    return true;
  }

  /** An extension option: into the target, else the newest match that has it, as parse-rule.ts lookup. */
  private readOption(neg: boolean): boolean {
    const cur = this.cur;
    let into: Entry | undefined;
    let spec = this.tEntry === undefined ? undefined : specOf(this.tEntry.def, cur);
    if (spec !== undefined) into = this.tEntry;
    for (let k = this.n - 1; k >= 0 && into === undefined; k--) {
      const e = this.entries[k] as Entry;
      spec = specOf(e.def, cur);
      if (spec !== undefined) into = e;
    }
    // Only into the part whose options are being read (a break would make its text a wrong key).
    if (into === undefined || spec === undefined || into !== this.open) return false;
    if (neg && spec.negatable !== true) return false;
    const name = spec.names[0] as string;
    for (let k = 0; k < into.opts.length; k++) if ((into.opts[k] as Opt).name === name) return false;
    let args: readonly string[] = NO_ARGS;
    if (spec.nargs === 1) {
      if (cur.next() !== 1) return false;
      args = [cur.word()];
    } else if (spec.nargs === 2) {
      if (cur.next() !== 1) return false;
      const a = cur.word();
      if (cur.next() !== 1) return false;
      args = [a, cur.word()];
    }
    // Exactly sized, as parse-rule.ts append: a list the extension keeps as it is stays in the rule.
    into.opts = into.opts.length === 0 ? [{ name, args, neg }] : [...into.opts, { name, args, neg }];
    into.to = cur.i;
    return true;
  }

  private entry(def: ExtensionDef): Entry {
    let e = this.entries[this.n];
    if (e === undefined) {
      e = newEntry(def);
      this.entries[this.n] = e;
    }
    this.n++;
    return this.reset(e, def);
  }

  private reset(e: Entry, def: ExtensionDef): Entry {
    e.def = def;
    e.opts = NO_OPTS;
    e.hit = false;
    e.from = this.cur.i;
    e.to = this.cur.i;
    return e;
  }

  private build(line: number): Rule | undefined {
    const { parts, cur } = this;
    const text = cur.text;
    const proto = this.from[PROTO] === -1 ? undefined : parts.proto(text, this.from[PROTO] as number, this.to[PROTO] as number, this.neg[PROTO] === 1);
    if (proto === null) return undefined;
    const ext = this.ext;
    ext.setProto(proto === undefined || proto.neg ? undefined : proto.value);
    const src = this.from[SRC] === -1 ? undefined : parts.address(SRC, text, this.from[SRC] as number, this.to[SRC] as number, this.neg[SRC] === 1);
    const dst = this.from[DST] === -1 ? undefined : parts.address(DST, text, this.from[DST] as number, this.to[DST] as number, this.neg[DST] === 1);
    if (src === null || dst === null) return undefined;
    const inIface = this.from[IN] === -1 ? undefined : parts.iface(IN, text, this.from[IN] as number, this.to[IN] as number, this.neg[IN] === 1);
    const outIface = this.from[OUT] === -1 ? undefined : parts.iface(OUT, text, this.from[OUT] as number, this.to[OUT] as number, this.neg[OUT] === 1);
    if (inIface === null || outIface === null) return undefined;
    const matches = this.buildMatches();
    if (matches === undefined) return undefined;
    let target = this.target;
    const te = this.tEntry;
    if (te !== undefined) {
      const t = !te.hit ? parts.newTarget(te.def, te.opts, te.from, te.to) : parts.reuse(te as Part<TargetSpec>);
      if (t === undefined) return undefined;
      if (t === null) return undefined;
      target = t;
    }
    return makeRule(matches, src, dst, inIface, outIface, proto, undefined, target, undefined, line);
  }

  private buildMatches(): Rule['matches'] | undefined {
    const { parts, ext, n } = this;
    const out = this.built;
    out.length = 0;
    for (let k = 0; k < n; k++) {
      const e = this.entries[k] as Entry;
      const protos = e.def.protos;
      const proto = ext.peekProto();
      if (protos !== undefined && (proto === undefined || !protos.includes(proto))) return undefined;
      const m = !e.hit ? parts.newMatch(e.def, e.opts, e.from, e.to) : parts.reuse(e as Part<MatchSpec>);
      if (m === undefined) return undefined;
      if (m !== null) out.push(m);
    }
    // A list of exactly its length (the rule keeps it).
    if (out.length === 0) return NO_MATCHES;
    if (out.length === 1) return [out[0] as Rule['matches'][number]];
    if (out.length === 2) return [out[0] as Rule['matches'][number], out[1] as Rule['matches'][number]];
    return out.slice();
  }
}

/** `-m` names {@link FastRuleReader} keeps. */
const RECENT_MATCHES = 4;

/** The matches of a rule that has none: rules are immutable. */
const NO_MATCHES: Rule['matches'] = Object.freeze([]);

/** Arguments of an option that takes none. */
const NO_ARGS: readonly string[] = Object.freeze([]);

function newEntry(def: ExtensionDef): Entry {
  return { def, opts: NO_OPTS, hit: false, from: 0, to: 0, proto: ANY_PROTO, value: null };
}

/** `-s -d -i -o -p` by their letter, or -1. */
function baseField(c: number): number {
  return c === 0x73 ? SRC : c === 0x64 ? DST : c === 0x69 ? IN : c === 0x6f ? OUT : c === 0x70 ? PROTO : -1;
}
