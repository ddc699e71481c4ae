/**
 * Whole files: `iptables-save` / `ip6tables-save` output, and the `iptables-restore` input that
 * kube-proxy writes (`:CHAIN - [0:0]` declarations, `-A` rules, `-X CHAIN` for stale chains).
 *
 * Line grammar, as iptables-restore reads it: blank lines and `#` lines are skipped; `*TABLE`
 * opens a table; `:CHAIN POLICY [p:b]` declares a chain (`-` for user chains); `[p:b] -A …` or
 * `-A …` appends a rule; `-N`/`-F`/`-X CHAIN` create, flush, delete; `COMMIT` closes the table.
 * A table that appears twice replaces the first, as a second `*filter` flushes it.
 */
import { type Diagnostic, type Parsed, error, warning } from '../../../diag/diagnostic.js';
import type { TableName } from '../../events.js';
import type { Rule, Ruleset, Table } from '../rule.js';
import { type WordContext, parseRuleWords } from './parse-rule.js';
import { FastRuleReader } from './fast-rule.js';
import { type ChainDraft, type TableDraft, SHORT_CHAIN, commitTable, newChainDraft } from './close-table.js';
import { placementProblems } from './placement.js';
import { MAX_CHAIN_NAME, BUILTIN_CHAINS, isBuiltinChain, isTableName, orderTables } from './tables.js';
import { tokenizeInto } from './tokenize.js';
import { utf8Length } from './values.js';
import { CHAIN_COMMANDS, OTHER_COMMANDS, ZERO_COUNTERS, readCounters, splitWords } from './save-text.js';

/** Options of {@link parseIptablesSave}. */
export interface SaveParseOptions {
  /** File name used in diagnostics. */
  readonly file: string;
  /** 4 for iptables-save, 6 for ip6tables-save (default 4). */
  readonly family?: 4 | 6;
  /** Names of the ipsets that exist; when given, `-m set --match-set` must name one of them. */
  readonly ipsets?: Iterable<string>;
  /**
   * Read every line with the reference reader (parse-rule.ts), not the fast rule reader
   * (fast-rule.ts) first: the value and the diagnostics are the same either way, which the
   * property tests check by comparing the two.
   */
  readonly reference?: boolean;
}

/** The state of one pass over a file. */
interface State {
  readonly file: string;
  readonly family: 4 | 6;
  readonly diagnostics: Diagnostic[];
  readonly tables: Map<TableName, Table>;
  readonly ipsets: ReadonlySet<string> | undefined;
  open: TableDraft | undefined;
  /** Inside an unknown table: skip its lines until COMMIT. */
  skipping: boolean;
  line: number;
  /** The last line that was not blank, where an end-of-file problem is reported. */
  lastContent: number;
  /** A line ending in CR was reported (once per file). */
  crSeen: boolean;
  /** The whole input: a diagnostic's column (the `-j`/`-g` word) is found in its line only when reported. */
  readonly text: string;
  /** The words of the current line: one array for every line (nothing keeps it past its line). */
  readonly scratch: string[];
  /** What the rule reader needs, made once per parse; its `line` follows {@link State.line}. */
  readonly words: LineContext;
  /** The fast rule reader, unless the reference parse was asked for. */
  readonly fast: FastRuleReader | undefined;
}

/** A {@link WordContext} whose line moves on with the file. */
interface LineContext extends WordContext {
  line: number;
}

/**
 * Parses `iptables-save` output (or `iptables-restore` input) into a ruleset with canonical
 * rules. Never throws: problems come back as diagnostics with `FILE:LINE`.
 */
export function parseIptablesSave(text: string, opts: SaveParseOptions): Parsed<Ruleset> {
  const st: State = {
    file: opts.file,
    family: opts.family ?? 4,
    diagnostics: [],
    tables: new Map(),
    ipsets: opts.ipsets === undefined ? undefined : new Set(opts.ipsets),
    open: undefined,
    skipping: false,
    line: 0,
    lastContent: 1,
    crSeen: false,
    text,
    scratch: [],
    // One context for every rule of the file (not a closure pair per line).
    words: {
      family: opts.family ?? 4,
      line: 0,
      report: (code, msg) => report(st, code, msg),
      warn: (code, msg) => {
        st.diagnostics.push(warning(code, msg, { file: st.file, line: st.line }));
      },
    },
    fast: opts.reference === true ? undefined : new FastRuleReader(opts.family ?? 4),
  };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    st.line++;
    if (!fastLine(st, start, end)) parseLine(st, text.slice(start, end));
    start = end + 1;
  }
  if (st.open !== undefined) {
    st.line = st.lastContent;
    report(st, 'IPT_MISSING_COMMIT', `table ${st.open.name} (opened on line ${st.open.line}) has no COMMIT`);
    closeTable(st);
  }
  return { value: { family: st.family, tables: orderTables([...st.tables.values()]) }, diagnostics: st.diagnostics };
}

/**
 * A `-A CHAIN …` line of an open table through the fast rule reader: false when it is not such a
 * line or the reader leaves it to the reference reader (which then reads it from the start).
 */
function fastLine(st: State, start: number, end: number): boolean {
  const { text, open, fast } = st;
  if (fast !== undefined && open !== undefined && !st.skipping && text.charCodeAt(start) === 58) return fastDeclare(st, open, start, end);
  // `-A` then a separator; not a line ending in CR (parseLine reports it once).
  if (fast === undefined || open === undefined || st.skipping || end - start < 4 || text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 65) return false;
  const sep = text.charCodeAt(start + 2);
  if ((sep !== 32 && sep !== 9) || text.charCodeAt(end - 1) === 13) return false;
  const rule = fast.read(text, start, end, open, st.line);
  if (rule === undefined) return false;
  st.lastContent = st.line;
  const chain = fast.into;
  checkRule(st, open.name, chain.name, rule);
  addRule(chain, rule);
  return true;
}

const USER_ZERO = ' - [0:0]'; // the end of a user chain line as iptables-save prints it

/**
 * `:NAME - [0:0]`, a user chain with zero counters (every chain line of a kube-proxy payload),
 * declared without the words being split: what declareChain does for that line when it reports
 * nothing. False for any other line.
 */
function fastDeclare(st: State, table: TableDraft, start: number, end: number): boolean {
  const { text } = st;
  const nameEnd = end - USER_ZERO.length;
  if (nameEnd - start - 1 < 1 || nameEnd - start - 1 > MAX_CHAIN_NAME || !text.startsWith(USER_ZERO, nameEnd)) return false;
  // Printable ASCII without spaces or quotes: one word however it is split.
  for (let i = start + 1; i < nameEnd; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 34) return false;
  }
  const name = text.slice(start + 1, nameEnd);
  if (isBuiltinChain(table.name, name)) return false;
  st.lastContent = st.line;
  const old = table.chains.get(name);
  const draft = newChainDraft(name, old?.line ?? st.line, undefined, ZERO_COUNTERS);
  table.chains.set(name, draft);
  st.fast?.parts.declare(table, draft, old !== undefined);
  return true;
}

function report(st: State, code: string, message: string): void {
  st.diagnostics.push(error(code, message, { file: st.file, line: st.line }));
}

function parseLine(st: State, raw: string): void {
  const cr = raw.endsWith('\r');
  const line = cr ? raw.slice(0, -1) : raw;
  const first = line.charCodeAt(0);
  const trimmed = first === 32 || first === 9 ? line.trimStart() : line;
  if (trimmed === '') return;
  st.lastContent = st.line;
  if (trimmed.startsWith('#')) return;
  if (cr && !st.crSeen) {
    st.crSeen = true;
    report(st, 'IPT_BAD_LINE', 'the line ends in a carriage return (CRLF line ends): iptables-restore reads it as part of the last word and refuses the file; convert it to LF line ends');
  }
  if (trimmed.startsWith('*')) return openTable(st, trimmed.slice(1).trim());
  const commit = trimmed.startsWith('COMMIT') && trimmed.trimEnd() === 'COMMIT';
  if (st.skipping) {
    if (commit) st.skipping = false;
    return;
  }
  const table = st.open;
  if (table === undefined) {
    report(st, 'IPT_NO_TABLE', `"${trimmed.split(/\s/)[0] ?? ''}" outside a table: start one with *filter, *nat, …`);
    return;
  }
  if (commit) return closeTable(st);
  if (trimmed.startsWith(':')) return declareChain(st, table, trimmed.slice(1));
  const words = st.scratch;
  if (tokenizeInto(trimmed, words)) report(st, 'IPT_UNTERMINATED_QUOTE', UNTERMINATED);
  let long: string | undefined;
  // A word of at most a third of the limit in UTF-16 units fits in UTF-8 whatever it holds.
  for (let i = 0; i < words.length && long === undefined; i++) if ((words[i] as string).length * 3 > MAX_PARAM && utf8Length(words[i] as string) > MAX_PARAM) long = words[i];
  if (long !== undefined) report(st, 'IPT_PARAMETER_TOO_LONG', `a word of ${utf8Length(long)} bytes ("${long.slice(0, 20)}…"): iptables-restore takes at most ${MAX_PARAM} (Parameter too long!)`);
  else commandLine(st, table, words);
}

/** An open quote: iptables-restore would take the rest of the line, newline included, into the word. */
const UNTERMINATED = 'a double quote is not closed on this line: not modelled (iptables-restore would take the rest of the line, newline included, into the argument)';

/** The longest word iptables-restore reads (its parameter buffer is 1024 bytes with the NUL; checked: 1023 loads, 1024 does not). */
const MAX_PARAM = 1023;

function openTable(st: State, name: string): void {
  if (st.open !== undefined) {
    st.line = st.lastContent;
    report(st, 'IPT_MISSING_COMMIT', `table ${st.open.name} (opened on line ${st.open.line}) has no COMMIT before *${name}`);
    closeTable(st);
  }
  st.skipping = false;
  if (!isTableName(name)) {
    report(st, 'IPT_UNKNOWN_TABLE', `unknown table "${name}" (raw, mangle, nat, filter, security)`);
    st.skipping = true;
    return;
  }
  const chains = new Map<string, ChainDraft>();
  for (const c of BUILTIN_CHAINS[name]) chains.set(c, newChainDraft(c, 0, 'ACCEPT', undefined));
  st.open = { name, line: st.line, chains };
}

function declareChain(st: State, table: TableDraft, rest: string): void {
  const [name = '', policy, counters, ...extra] = splitWords(rest);
  if (name === '') return report(st, 'IPT_BAD_LINE', 'a chain line is `:NAME POLICY [packets:bytes]`');
  if (extra.length > 0) ignoredCounters(st, `words after the counters (${extra.join(' ')}) are`);
  if (name.length > MAX_CHAIN_NAME) report(st, 'IPT_BAD_CHAIN_NAME', `chain name ${name} is longer than ${MAX_CHAIN_NAME} characters`);
  const builtin = isBuiltinChain(table.name, name);
  if (builtin && policy !== 'ACCEPT' && policy !== 'DROP') {
    report(st, 'IPT_BAD_POLICY', `built-in chain ${name} needs policy ACCEPT or DROP, not ${policy ?? 'nothing'}`);
  } else if (!builtin && policy !== '-' && policy !== undefined) {
    // iptables-restore (nf_tables) loads the chain and drops the policy; iptables-save prints `-`.
    st.diagnostics.push(warning('IPT_USER_CHAIN_POLICY', `${name} is not a built-in chain of ${table.name}: its policy ${policy} is ignored (write -)`, { file: st.file, line: st.line }));
  }
  const c = counters === undefined ? undefined : readCounters(counters);
  if (counters !== undefined && c === undefined) ignoredCounters(st, `counters ${counters} are not [packets:bytes] and are`);
  const old = table.chains.get(name);
  // Declaring a chain flushes it, as iptables-restore does.
  const pol = builtin && (policy === 'ACCEPT' || policy === 'DROP') ? policy : builtin ? (old?.policy ?? 'ACCEPT') : undefined;
  table.chains.set(name, newChainDraft(name, old?.line ?? st.line, pol, c));
  st.fast?.parts.forgetChains();
}

/** iptables-restore (nf_tables) loads a chain line whose counters it cannot read; so does netsim, with a warning. */
function ignoredCounters(st: State, what: string): void {
  st.diagnostics.push(warning('IPT_IGNORED_COUNTERS', `${what} ignored, as iptables-restore does`, { file: st.file, line: st.line }));
}

function commandLine(st: State, table: TableDraft, words: readonly string[]): void {
  let counters: Rule['counters'];
  let w = words;
  const first = w[0] ?? '';
  const c = first.startsWith('[') ? readCounters(first) : undefined;
  if (c !== undefined) {
    counters = c;
    w = w.slice(1);
  } else if (first.startsWith('[') && first.endsWith(']') && w.length > 1) {
    ignoredCounters(st, `counters ${first} are not [packets:bytes] and are`);
    w = w.slice(1);
  }
  const cmd = w[0] ?? '';
  if (cmd === '-A' || cmd === '--append') return appendRule(st, table, w, counters);
  if (cmd === '-I' || cmd === '--insert') return insertRuleLine(st, table, w, counters);
  if (CHAIN_COMMANDS.has(cmd)) return chainCommand(st, table, cmd, w.slice(1));
  if (OTHER_COMMANDS.has(cmd)) report(st, 'IPT_UNSUPPORTED_COMMAND', `command ${cmd} in a rules file is not modelled (netsim reads -A, -I, -N, -F, -X)`);
  else report(st, 'IPT_BAD_LINE', `cannot read a line starting with "${cmd}": want -A CHAIN …, :CHAIN POLICY, -N/-F/-X CHAIN or COMMIT`);
}

/**
 * `-I CHAIN [N] rule` (iptables-restore's do_command with CMD_INSERT): the rule goes in at
 * position N (default 1) of what the payload has put in the chain so far; past the end + 1 the
 * kernel refuses it ("Index of insertion too big"). kube-router writes its pod chains this way.
 */
function insertRuleLine(st: State, table: TableDraft, words: readonly string[], counters: Rule['counters']): void {
  const chainName = words[1];
  const given = words[2] !== undefined && /^[0-9]+$/.test(words[2]) ? Number(words[2]) : undefined;
  const rest = words.slice(given === undefined ? 2 : 3);
  if (chainName === undefined) return report(st, 'IPT_MISSING_ARG', '-I needs a chain name');
  const chain = table.chains.get(chainName);
  const before = chain?.rules.length ?? 0;
  appendRule(st, table, ['-A', chainName, ...rest], counters);
  if (chain === undefined || chain.rules.length === before) return;
  const pos = given ?? 1;
  if (pos < 1 || pos > before + 1) {
    chain.rules.splice(before);
    return report(st, 'IPT_BAD_LINE', `-I ${chainName} ${pos}: index of insertion too big (the chain has ${before} rules)`);
  }
  const added = chain.rules.splice(before);
  chain.rules.splice(pos - 1, 0, ...added);
}

function appendRule(st: State, table: TableDraft, words: readonly string[], counters: Rule['counters']): void {
  st.words.line = st.line;
  const parsed = parseRuleWords(words, st.words);
  if (parsed === undefined) return;
  const chain = table.chains.get(parsed.chain);
  if (chain === undefined) {
    report(st, 'IPT_UNKNOWN_CHAIN', `-A ${parsed.chain}: no chain ${parsed.chain} in table ${table.name} (declare it with :${parsed.chain} - [0:0])`);
    return;
  }
  const first = parsed.rules[0];
  if (first !== undefined) checkRule(st, table.name, parsed.chain, first);
  for (const r of parsed.rules) addRule(chain, counters === undefined || r.counters !== undefined ? r : { ...r, counters });
}

/**
 * Appends a rule, keeping short lists exactly sized: most chains of a kube-proxy dump hold one
 * to four rules, and an array grown by push keeps a 17-slot store for good.
 */
function addRule(chain: ChainDraft, r: Rule): void {
  if (chain.rules.length < SHORT_CHAIN) chain.rules = chain.rules.length === 0 ? [r] : [...chain.rules, r];
  else chain.rules.push(r);
}


/** Checks that need the table: where the rule may sit, and that its ipsets exist. */
function checkRule(st: State, table: TableName, chain: string, rule: Rule): void {
  const problems = placementProblems(table, chain, rule); // indexed below: a for-of made an iterator per rule of a dump
  for (let k = 0; k < problems.length; k++) report(st, 'IPT_WRONG_CHAIN', problems[k] as string);
  if (st.ipsets === undefined) return;
  for (const m of rule.matches) {
    const name = m.module === 'set' ? m.opts.find((o) => o.name === '--match-set')?.args[0] : undefined;
    if (name !== undefined && !st.ipsets.has(name)) report(st, 'IPT_UNKNOWN_SET', `-m set --match-set ${name}: no ipset named ${name}`);
  }
}

function chainCommand(st: State, table: TableDraft, cmd: string, args: readonly string[]): void {
  const name = args[0];
  if (name === undefined || args.length > 1) return report(st, 'IPT_MISSING_ARG', `${cmd} needs exactly one chain name`);
  const chain = table.chains.get(name);
  if (cmd === '-N' || cmd === '--new-chain') {
    if (chain !== undefined) return report(st, 'IPT_BAD_LINE', `chain ${name} already exists`);
    if (name.length > MAX_CHAIN_NAME) report(st, 'IPT_BAD_CHAIN_NAME', `chain name ${name} is longer than ${MAX_CHAIN_NAME} characters`);
    table.chains.set(name, newChainDraft(name, st.line, undefined, undefined));
    st.fast?.parts.forgetChains();
    return;
  }
  if (chain === undefined) return report(st, 'IPT_UNKNOWN_CHAIN', `${cmd} ${name}: no chain ${name} in table ${table.name}`);
  if (cmd === '-F' || cmd === '--flush') chain.rules = [];
  else if (isBuiltinChain(table.name, name)) report(st, 'IPT_BAD_LINE', `cannot delete built-in chain ${name}`);
  else {
    table.chains.delete(name);
    st.fast?.parts.forgetChains();
  }
}

/** Ends the open table: checks jumps and nesting, then stores it in print order. */
function closeTable(st: State): void {
  const t = st.open;
  if (t === undefined) return;
  st.open = undefined;
  st.tables.set(t.name, commitTable(t, st));
}
