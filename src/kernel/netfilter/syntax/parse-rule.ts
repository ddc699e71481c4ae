/**
 * One rule: the words of `-A CHAIN …` (iptables-restore input or iptables-save output) into
 * canonical {@link Rule}s.
 *
 * Options may come in any order, as iptables' getopt loop allows: `-m tcp -p tcp -d X --dport
 * 80` and `-p tcp --dport 80 -d X` are the same rule. An option that belongs to no loaded
 * extension loads the protocol's implicit match (`-p tcp --dport 80` gets `-m tcp`) at the place
 * where the option appears, which is where iptables-save prints it. Long extension options may
 * be shortened to a unique prefix (`--to` for `--to-destination`), as getopt_long allows.
 */
import { type Diagnostic, type Parsed, error, warning } from '../../../diag/diagnostic.js';
import type { TableName } from '../../events.js';
import type { Opt, Rule } from '../rule.js';
import type { Draft, DraftMatch, RawValue } from './draft.js';
import type { OptSpec } from './extension.js';
import { finishRule } from './finish-rule.js';
import { placementProblems } from './placement.js';
import { protoName, protoNumber } from './protocols.js';
import { opaqueMatch } from './extension.js';
import { KNOWN_UNSUPPORTED, MATCH_ALIASES, MATCHES, PROTO_MATCH, TARGETS, VERDICTS } from './registry.js';
import { tokenize } from './tokenize.js';

/** Where a rule comes from, for diagnostics, and its address family. */
export interface RuleSource {
  readonly file: string;
  readonly line?: number;
  readonly family?: 4 | 6;
  /** The table the rule goes into; when given, targets and -i/-o are checked against it (IPT_WRONG_CHAIN). */
  readonly table?: TableName;
}

/** One `-A CHAIN …` line. `rules` has one rule, or several when `-s`/`-d` list addresses (`-s a,b`). */
export interface RuleLine {
  readonly chain: string;
  readonly rules: readonly Rule[];
}

/** A diagnostics sink bound to one line. */
export type Report = (code: string, message: string) => void;

/**
 * Parses one rule as iptables-restore reads it: a line (`-A KUBE-SERVICES -m comment --comment
 * "…" -m tcp -p tcp -d 172.30.0.41/32 --dport 80 -j KUBE-SVC-…`) or its words. The value is
 * undefined when the rule could not be read at all (no `-A CHAIN`).
 */
export function parseRule(input: string | readonly string[], src: RuleSource): Parsed<RuleLine | undefined> {
  const diagnostics: Diagnostic[] = [];
  const pos = src.line === undefined ? { file: src.file, line: 1 } : { file: src.file, line: src.line };
  const report: Report = (code, message) => diagnostics.push(error(code, message, pos));
  const warn: Report = (code, message) => diagnostics.push(warning(code, message, pos));
  let words: readonly string[];
  if (typeof input === 'string') {
    const t = tokenize(input);
    if (t.unterminatedQuote) report('IPT_UNTERMINATED_QUOTE', 'a double quote is not closed on this line: not modelled (iptables-restore would take the rest of the line into the argument)');
    words = t.words;
  } else {
    words = input;
  }
  const value = parseRuleWords(words, { family: src.family ?? 4, line: pos.line, report, warn });
  const first = value?.rules[0];
  if (value !== undefined && first !== undefined && src.table !== undefined) {
    for (const msg of placementProblems(src.table, value.chain, first)) report('IPT_WRONG_CHAIN', msg);
  }
  return { value, diagnostics };
}

/** What {@link parseRuleWords} needs besides the words. */
export interface WordContext {
  readonly family: 4 | 6;
  readonly line: number;
  readonly report: Report;
  /** Where warnings go (input iptables loads but warns about); dropped when absent. */
  readonly warn?: Report;
}

/** Parses the words of one rule (the part after any `[p:b]` counter prefix). */
export function parseRuleWords(words: readonly string[], ctx: WordContext): RuleLine | undefined {
  const draft: Draft = { matches: [] };
  const reader = new WordReader(words, ctx.report);
  while (!reader.done()) readOne(reader, draft, ctx);
  if (reader.pendingNeg) ctx.report('IPT_BAD_OPTION', '`!` at the end of the rule negates nothing');
  if (draft.chain === undefined) {
    ctx.report('IPT_MISSING_ARG', 'a rule needs -A CHAIN');
    return undefined;
  }
  return { chain: draft.chain, rules: finishRule(draft, ctx) };
}

/** A cursor over the words with the pending `!`. */
class WordReader {
  private i = 0;
  pendingNeg = false;
  constructor(
    private readonly words: readonly string[],
    private readonly report: Report,
  ) {}
  done(): boolean {
    return this.i >= this.words.length;
  }
  /** The next word without taking it. */
  peek(): string | undefined {
    return this.words[this.i];
  }
  next(): string {
    return this.words[this.i++] as string;
  }
  /** The `n` arguments of option `name`, or undefined (reported) when the line ends first. */
  args(name: string, n: number): string[] | undefined {
    if (this.i + n > this.words.length) {
      this.report('IPT_MISSING_ARG', `option ${name} needs ${n === 1 ? 'an argument' : `${n} arguments`}`);
      this.i = this.words.length;
      return undefined;
    }
    const out = this.words.slice(this.i, this.i + n) as string[];
    this.i += n;
    return out;
  }
  /** The one argument of option `name`, or undefined (reported) when the line ends first. */
  arg(name: string): string | undefined {
    if (this.i + 1 > this.words.length) {
      this.report('IPT_MISSING_ARG', `option ${name} needs an argument`);
      return undefined;
    }
    return this.words[this.i++];
  }
  takeNeg(): boolean {
    const neg = this.pendingNeg;
    this.pendingNeg = false;
    return neg;
  }
}

/** The option list of a match or target given none yet, shared (lists are replaced, never pushed to). */
const NO_OPTS: readonly Opt[] = Object.freeze([]);

type BaseField = 'src' | 'dst' | 'inIface' | 'outIface' | 'proto';

const BASE: Readonly<Record<string, BaseField>> = {
  '-s': 'src', '--source': 'src', '--src': 'src',
  '-d': 'dst', '--destination': 'dst', '--dst': 'dst',
  '-i': 'inIface', '--in-interface': 'inIface',
  '-o': 'outIface', '--out-interface': 'outIface',
  '-p': 'proto', '--protocol': 'proto',
};

/** Reads one option (with its arguments) into the draft. */
function readOne(r: WordReader, d: Draft, ctx: WordContext): void {
  const w = r.next();
  if (w === '!') {
    if (r.pendingNeg) ctx.report('IPT_BAD_OPTION', 'two `!` in a row');
    r.pendingNeg = true;
    return;
  }
  const field = BASE[w];
  if (field !== undefined) return readBase(r, d, field, w, ctx);
  switch (w) {
    case '-A': case '--append': return readChain(r, d, w, ctx);
    case '-f': case '--fragment': return readFragment(r, d, ctx);
    case '-m': case '--match': return readMatch(r, d, w, ctx);
    case '-j': case '--jump': case '-g': case '--goto': return readTarget(r, d, w, ctx);
    case '-c': case '--set-counters': return readCounters(r, d, w, ctx);
    default:
      if (w.startsWith('-') && w.length > 1) return readExtOption(r, d, w, ctx);
      ctx.report('IPT_BAD_OPTION', `unexpected word "${w}"`);
  }
}

function readChain(r: WordReader, d: Draft, w: string, ctx: WordContext): void {
  if (r.takeNeg()) ctx.report('IPT_BAD_OPTION', `${w} cannot be negated`);
  const chain = r.arg(w);
  if (chain === undefined) return;
  if (d.chain !== undefined) ctx.report('IPT_BAD_OPTION', `more than one -A (chains ${d.chain} and ${chain})`);
  d.chain = chain;
}

function readBase(r: WordReader, d: Draft, field: BaseField, w: string, ctx: WordContext): void {
  const neg = r.takeNeg();
  const text = r.arg(w);
  if (text === undefined) return;
  if (text === '!') ctx.report('IPT_BAD_OPTION', `write \`! ${w} VALUE\`, not \`${w} ! VALUE\``);
  if (d[field] !== undefined) ctx.report('IPT_BAD_OPTION', `multiple ${w} options`);
  const value: RawValue = { text, neg };
  d[field] = value;
}

function readFragment(r: WordReader, d: Draft, ctx: WordContext): void {
  const neg = r.takeNeg();
  if (ctx.family === 6) ctx.report('IPT_BAD_OPTION', '-f is only for IPv4 (ip6tables has -m frag)');
  if (d.fragment !== undefined) ctx.report('IPT_BAD_OPTION', 'multiple -f options');
  d.fragment = { neg };
}

function readCounters(r: WordReader, d: Draft, w: string, ctx: WordContext): void {
  r.takeNeg();
  const args = r.args(w, 2);
  if (args === undefined) return;
  const [p, b] = args;
  if (!/^[0-9]+$/.test(p ?? '') || !/^[0-9]+$/.test(b ?? '')) {
    ctx.report('IPT_BAD_OPTION', `${w} needs two numbers (packets bytes)`);
    return;
  }
  d.counters = { packets: BigInt(p as string), bytes: BigInt(b as string) };
}

function readMatch(r: WordReader, d: Draft, w: string, ctx: WordContext): void {
  if (r.takeNeg()) ctx.report('IPT_BAD_OPTION', `${w} cannot be negated`);
  const given = r.arg(w);
  if (given === undefined) return;
  const name = MATCH_ALIASES.get(given) ?? given;
  const def = MATCHES.get(name);
  if (def?.family !== undefined && def.family !== ctx.family) {
    ctx.report('IPT_UNKNOWN_MATCH', `-m ${given} exists only in ${def.family === 4 ? 'iptables' : 'ip6tables'}`);
    return;
  }
  if (def === undefined && KNOWN_UNSUPPORTED.has(name) && name === name.toLowerCase()) {
    // A real match netsim does not evaluate: the rule loads, and the trace forks where it is reached.
    d.matches.push({ def: opaqueMatch(name), opts: NO_OPTS });
    return;
  }
  if (def === undefined) {
    ctx.report('IPT_UNKNOWN_MATCH', `unknown match "-m ${given}": no such match extension`);
    return;
  }
  d.matches.push({ def, opts: NO_OPTS });
}

function readTarget(r: WordReader, d: Draft, w: string, ctx: WordContext): void {
  if (r.takeNeg()) ctx.report('IPT_BAD_OPTION', `${w} cannot be negated`);
  const name = r.arg(w);
  if (name === undefined) return;
  if (d.target !== undefined) ctx.report('IPT_BAD_OPTION', `more than one target (${d.target.name} and ${name})`);
  const isGoto = w === '-g' || w === '--goto';
  const def = TARGETS.get(name);
  if (isGoto) {
    if (VERDICTS.has(name) || def !== undefined) ctx.report('IPT_BAD_OPTION', `-g needs a user-defined chain, not ${name}`);
    d.target = { kind: 'goto', name, opts: NO_OPTS };
  } else if (VERDICTS.has(name)) {
    d.target = { kind: 'verdict', name, opts: NO_OPTS };
  } else if (def !== undefined) {
    d.target = { kind: 'extension', name, def, opts: NO_OPTS };
  } else if (KNOWN_UNSUPPORTED.has(name)) {
    ctx.report('IPT_UNKNOWN_TARGET', `unknown target "-j ${name}": not modelled (a real iptables target that netsim does not evaluate)`);
  } else {
    // Otherwise a user chain; the file parser checks that the table declares it.
    d.target = { kind: 'jump', name, opts: NO_OPTS };
  }
}

/** An option spec found for a word, and the match or target whose option list it goes into. */
interface Found {
  readonly spec: OptSpec;
  readonly into: { opts: readonly Opt[] };
}

/**
 * `list` with `o` added, in a new array of exactly that length: the lists of a parsed rule are
 * kept, and an array grown by push keeps a 17-slot store.
 */
function append(list: readonly Opt[], o: Opt): readonly Opt[] {
  return list.length === 0 ? [o] : [...list, o];
}

const indexes = new WeakMap<readonly OptSpec[], ReadonlyMap<string, OptSpec>>();

/** Option specs by every name they answer to (built once per extension). */
function optionIndex(specs: readonly OptSpec[]): ReadonlyMap<string, OptSpec> {
  let index = indexes.get(specs);
  if (index === undefined) {
    index = new Map(specs.flatMap((spec) => spec.names.map((n) => [n, spec] as const)));
    indexes.set(specs, index);
  }
  return index;
}

/** Looks the option up in the target, then the matches newest first: exact name, then a unique prefix. */
function lookup(d: Draft, word: string, ctx: WordContext): Found | 'ambiguous' | undefined {
  // Exact names first, without building the scope list: every option of a dump comes here.
  const t = d.target;
  const inTarget = t?.def === undefined ? undefined : optionIndex(t.def.options).get(word);
  if (inTarget !== undefined && t !== undefined) return { spec: inTarget, into: t };
  for (let i = d.matches.length - 1; i >= 0; i--) {
    const m = d.matches[i] as DraftMatch;
    const spec = optionIndex(m.def.options).get(word);
    if (spec !== undefined) return { spec, into: m };
  }
  if (!word.startsWith('--')) return undefined;
  const scopes: Array<{ specs: readonly OptSpec[]; into: Found['into'] }> = [];
  if (d.target?.def !== undefined) scopes.push({ specs: d.target.def.options, into: d.target });
  for (let i = d.matches.length - 1; i >= 0; i--) {
    const m = d.matches[i] as DraftMatch;
    scopes.push({ specs: m.def.options, into: m });
  }
  const prefixed = scopes.flatMap((s) =>
    s.specs.filter((o) => o.names.some((n) => n.startsWith(word))).map((spec) => ({ spec, into: s.into })),
  );
  if (prefixed.length === 0) return undefined;
  // The same option of a match loaded twice (`-m comment … -m comment`) is not ambiguous.
  if (new Set(prefixed.map((p) => p.spec)).size > 1) {
    ctx.report('IPT_BAD_OPTION', `option ${word} is ambiguous (${[...new Set(prefixed.map((p) => p.spec.names[0]))].join(', ')})`);
    return 'ambiguous';
  }
  return prefixed[0];
}

/** Loads the `-p` protocol's implicit match when it knows the option. */
function implicit(d: Draft, word: string): Found | undefined {
  if (d.proto === undefined || d.proto.neg) return undefined;
  const num = protoNumber(d.proto.text);
  const proto = num === undefined ? undefined : protoName(num);
  const name = proto === undefined ? undefined : PROTO_MATCH.get(proto);
  const def = name === undefined ? undefined : MATCHES.get(name);
  if (def === undefined || d.matches.some((m) => m.def === def)) return undefined;
  // getopt_long also accepts a unique prefix here (`--dpor` for `--dport`).
  const prefixed = word.startsWith('--') ? def.options.filter((o) => o.names.some((n) => n.startsWith(word))) : [];
  const spec = optionIndex(def.options).get(word) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (spec === undefined) return undefined;
  const m: DraftMatch = { def, opts: NO_OPTS };
  d.matches.push(m);
  return { spec, into: m };
}

function readExtOption(r: WordReader, d: Draft, w: string, ctx: WordContext): void {
  const neg = r.takeNeg();
  const found = lookup(d, w, ctx) ?? implicit(d, w);
  if (found === 'ambiguous') return;
  const opaque = found === undefined ? [...d.matches].reverse().find((m) => m.def.opaque === true) : undefined;
  if (opaque !== undefined) {
    // Options of an unmodelled match: the words up to the next option are its arguments.
    const args: string[] = [];
    for (let next = r.peek(); next !== undefined && next !== '!' && !(next.startsWith('-') && next.length > 1 && !/^-[0-9]/.test(next)); next = r.peek()) args.push(r.next());
    opaque.opts = append(opaque.opts, { name: w, args, neg });
    return;
  }
  if (found === undefined) {
    ctx.report('IPT_BAD_OPTION', `unknown option "${w}"${d.target === undefined && d.matches.length === 0 ? '' : ' for the matches and target loaded before it'}`);
    return;
  }
  const { spec, into } = found;
  const canonical = spec.names[0] as string;
  if (neg && spec.negatable !== true) ctx.report('IPT_BAD_OPTION', `option ${canonical} cannot be negated`);
  const args = r.args(w, spec.nargs);
  if (args === undefined) return;
  if (into.opts.some((o) => o.name === canonical)) ctx.report('IPT_BAD_OPTION', `option ${canonical} given twice`);
  into.opts = append(into.opts, { name: canonical, args, neg });
}
