/**
 * kube-proxy's shared payload (proxy/iptables/shared-payload.ts) loaded into a node: the same
 * `iptables-restore --noflush` as the payload's text, without parsing the text. Each service
 * port's fragment is parsed once, into rules and chains that every node whose sync shares the
 * fragment then shares too (parsed rules are immutable data; their compiled matchers and the
 * chains' dispatch indexes are cached on them, so they are built once as well). Only the
 * top-level chains, which collect every port's dispatch rules, are new arrays on each node.
 *
 * The tables are what parseIptablesSave makes of the text, but for the rules' `line` (which
 * only locates a diagnostic of the text, and a generated payload has none): lazy-proxy.test.ts
 * compares every scenario's state both ways.
 */
import { InternalError, type Parsed } from '../../diag/diagnostic.js';
import { type FragmentShape, aggregateFragments, fragmentShape, provenLoads } from './proxy-nesting.js';
import type { TableName } from '../../kernel/events.js';
import type { Chain, Rule, Ruleset, Table } from '../../kernel/netfilter/index.js';
import { type Declarations, restoreParsed } from '../../kernel/netfilter/restore.js';
import type { NetfilterState } from '../../kernel/netfilter/state.js';
import { BUILTIN_CHAINS, type RuleLine, isBuiltinChain, orderChains, parseRule } from '../../kernel/netfilter/syntax/index.js';
import { type ScannedLine, parseRuleLines } from '../../kernel/netfilter/syntax/rule-lines.js';
import { type Twin, scanWithTwin, twinChains, twinLine } from './proxy-twin.js';
import { FILTER_TOP_CHAINS, KUBE_FIREWALL, NAT_TOP_CHAINS, type PayloadMemo, type PayloadParts, type PortFragment } from '../../proxy/index.js';

const TOP_CHAINS = [...FILTER_TOP_CHAINS, ...NAT_TOP_CHAINS, KUBE_FIREWALL];
const TOP_SET: ReadonlySet<string> = new Set(TOP_CHAINS);

const FILE = 'kube-proxy';
const ZERO = { packets: 0n, bytes: 0n } as const;

/** A port's fragment, parsed. */
export interface ParsedFragment {
  readonly filter: readonly RuleLine[];
  readonly natDispatch: readonly RuleLine[];
  /** The nat chains it owns, with their rules, as `:CHAIN - [0:0]` declares them. */
  readonly natChains: readonly Chain[];
  /** Its part of the nesting walk (proxy-nesting.ts); null when it cannot be summarised. */
  readonly shape: FragmentShape | null;
  /** The scan of each of its nat rule lines (rule-lines.ts scanRuleLine), when every one scans: what a node's own port of the same port reads of it as its twin (proxy-twin.ts). */
  readonly scans?: readonly ScannedLine[];
}

const parsedFragments = new WeakMap<PortFragment, ParsedFragment>();

/** One kube-proxy rule line parsed; a payload kube-proxy generated always parses. */
export function parseLine(text: string, family: 4 | 6, table: TableName): RuleLine {
  return lineOf(parseRule(text, { file: FILE, family, table }), text);
}

function lineOf(r: Parsed<RuleLine | undefined>, text: string): RuleLine {
  const problem = r.diagnostics[0];
  if (r.value === undefined || problem !== undefined) throw new InternalError(`kube-proxy rule does not parse: ${text}: ${problem?.message ?? ''}`);
  return r.value;
}

/**
 * Many kube-proxy rule lines of one table parsed at once, through the fast rule reader
 * (kernel/netfilter/syntax/rule-lines.ts): each as {@link parseLine} gives it, with the parts
 * written alike on neighbouring lines (`-m tcp -p tcp`, `-j KUBE-MARK-MASQ`) shared.
 */
export function parseLines(texts: readonly string[], family: 4 | 6, table: TableName): RuleLine[] {
  const parsed = parseRuleLines(texts, { file: FILE, family, table });
  const out: RuleLine[] = new Array<RuleLine>(texts.length);
  for (let k = 0; k < texts.length; k++) out[k] = lineOf(parsed[k] as Parsed<RuleLine | undefined>, texts[k] as string);
  return out;
}

/** A port's fragment parsed, once per fragment value (every node sharing it shares the result). */
export function parseFragment(f: PortFragment, family: 4 | 6): ParsedFragment {
  return parseFragments([f], family)[0] as ParsedFragment;
}

/**
 * Ports' fragments parsed, once per fragment value: those not parsed yet are read together, one
 * batch per table (a base's 10,000 ports are 150,000 lines, whose repeated parts the batch shares).
 */
export function parseFragments(fs: readonly PortFragment[], family: 4 | 6): ParsedFragment[] {
  const todo = [...new Set(fs.filter((f) => !parsedFragments.has(f)))];
  if (todo.length > 0) parseNew(todo, family).forEach((p, k) => parsedFragments.set(todo[k] as PortFragment, p));
  return fs.map((f) => parsedFragments.get(f) as ParsedFragment);
}

/**
 * A node's own ports' fragments parsed, each beside its twin (`twins[k]`, the shared fragment of
 * `fs[k]`'s port): a dispatch line whose text the twin holds is its parsed line (a line's parse
 * depends on its text, family and table alone), so only the others are parsed. Not kept: an own
 * fragment is one node's (kept in the WeakMap beside the base's 10,000, each node's dying
 * entries made the table rehash).
 */
export function parseOwnFragments(fs: readonly PortFragment[], family: 4 | 6, twins: readonly Twin[]): ParsedFragment[] {
  return fs.length === 0 ? [] : parseNew(fs, family, twins);
}

function parseNew(fs: readonly PortFragment[], family: 4 | 6, twins?: readonly Twin[]): ParsedFragment[] {
  // Each fragment's lines: the twin's where it has the text, else a slot of the table's batch.
  const batch = { filter: [] as string[], nat: [] as string[] };
  const pending: { f: PortFragment; twin: Twin | undefined; filter: (RuleLine | number)[]; nat: (RuleLine | number)[] }[] = [];
  const collect = (texts: readonly string[], twin: Twin | undefined, table: 'filter' | 'nat'): (RuleLine | number)[] =>
    texts.map((t, j) => twinLine(twin, table, t, j) ?? batch[table].push(t) - 1);
  fs.forEach((f, k) => {
    const twin = twins?.[k];
    pending.push({ f, twin, filter: collect(f.filter, twin, 'filter'), nat: collect(f.natDispatch, twin, 'nat') });
  });
  // Often nothing is left to parse (a batch has a setup cost of its own).
  const filterLines = batch.filter.length === 0 ? [] : parseLines(batch.filter, family, 'filter');
  const natLines = batch.nat.length === 0 ? [] : parseLines(batch.nat, family, 'nat');
  const resolve = (slots: readonly (RuleLine | number)[], parsed: readonly RuleLine[]): RuleLine[] => slots.map((s) => (typeof s === 'number' ? (parsed[s] as RuleLine) : s));
  return pending.map((p) => {
    const filter = resolve(p.filter, filterLines);
    const natDispatch = resolve(p.nat, natLines);
    const own = ownChains(p.f, family, p.twin);
    const shape = fragmentShape(own.chains, { filter, nat: natDispatch }, TOP_SET, own.targets);
    return own.scans === undefined ? { filter, natDispatch, natChains: own.chains, shape } : { filter, natDispatch, natChains: own.chains, shape, scans: own.scans };
  });
}

/**
 * A port's own nat chains. Their rules are parsed when first read (a trace reads the chains of
 * the few Services it visits, of 10,000): until then each chain's jumps, which the nesting proof
 * needs, are read from the text (rule-lines.ts scanRuleLine), and checked against the rules when
 * they are parsed. A line the scan cannot read makes the port's chains parsed at once.
 */
function ownChains(f: PortFragment, family: 4 | 6, twin?: Twin): { chains: Chain[]; targets?: (c: Chain) => readonly string[]; scans?: readonly ScannedLine[] } {
  const scanned: ScannedLine[] = [];
  for (let k = 0; k < f.natRules.length; k++) {
    const s = scanWithTwin(f.natRules[k] as string, k, twin);
    if (s === undefined) return { chains: parsedChains(f, family) };
    scanned.push(s);
  }
  const jumps = new Map<string, string[]>(f.natChains.map((c) => [c, []]));
  scanned.forEach((s, k) => {
    const into = jumps.get(s.chain);
    if (into === undefined) throw new InternalError(`kube-proxy rule for a chain its service port does not own: ${f.natRules[k] as string}`);
    if (s.jump !== undefined) into.push(s.jump);
  });
  // The twin's chains that this port writes alike are taken as they are; the others are made here.
  const taken = twin === undefined ? undefined : twinChains(f, scanned, twin);
  const made = f.natChains.map((name) => (taken?.has(name) === true ? undefined : ({ name, counters: ZERO } as Chain)));
  const chains: Chain[] = made.map((c, i) => c ?? (taken?.get(f.natChains[i] as string) as Chain));
  const pending: Pending = { f, family, scanned, chains: made };
  for (const c of made) {
    if (c === undefined) continue;
    Object.defineProperty(c, 'rules', LAZY_RULES);
    Object.defineProperty(c, PENDING, { value: pending, configurable: true, writable: true });
  }
  return { chains, targets: (c) => jumps.get(c.name) ?? [], scans: scanned };
}

/** What a port's lazy chains need to parse their rules: one object for all of them. */
interface Pending {
  readonly f: PortFragment;
  readonly family: 4 | 6;
  readonly scanned: readonly ScannedLine[];
  /** The port's chains in declaration order; undefined where a twin's chain was taken (its rules are the twin's). */
  readonly chains: readonly (Chain | undefined)[];
}

/** Where a lazy chain keeps its {@link Pending} (not enumerable: no copy, comparison or clone sees it). */
const PENDING = Symbol('pending rules');

/**
 * The `rules` of a chain not parsed yet: one getter for every such chain, so that they share one
 * hidden class (a getter per chain made each a class of its own, 0.6 KiB each for 50,000 chains).
 * The first read parses the port's chains and puts each one's rules in place as a plain value.
 */
const LAZY_RULES: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Chain & { [PENDING]?: Pending }): readonly Rule[] {
    const p = this[PENDING] as Pending;
    const parsed = parsedChains(p.f, p.family, p.scanned);
    p.chains.forEach((c, i) => {
      if (c === undefined) return;
      Object.defineProperty(c, 'rules', { value: (parsed[i] as Chain).rules, enumerable: true, configurable: true, writable: true });
      (c as { [PENDING]?: Pending | undefined })[PENDING] = undefined;
    });
    return this.rules;
  },
};

/** The port's own chains with their rules, parsed now; each line checked against its scan when there is one. */
function parsedChains(f: PortFragment, family: 4 | 6, scanned?: readonly ScannedLine[]): Chain[] {
  const rules = new Map<string, Rule[]>(f.natChains.map((c) => [c, []]));
  const lines = parseLines(f.natRules, family, 'nat');
  lines.forEach((line, k) => {
    const into = rules.get(line.chain);
    if (into === undefined) throw new InternalError(`kube-proxy rule for a chain its service port does not own: ${f.natRules[k] as string}`);
    const s = scanned?.[k];
    if (s !== undefined && (s.chain !== line.chain || s.jump !== jumpOf(line.rules[0]))) throw new InternalError(`kube-proxy rule read otherwise than its scan: ${f.natRules[k] as string}`);
    for (const r of line.rules) into.push(r);
  });
  return [...rules].map(([name, r]) => ({ name, counters: ZERO, rules: r }));
}

function jumpOf(r: Rule | undefined): string | undefined {
  const t = r?.target;
  return t !== undefined && (t.kind === 'jump' || t.kind === 'goto') ? t.name : undefined;
}

/** One table: its top-level chains, filled in emission order, then the ports' own chains. */
class TableBuilder {
  private readonly top = new Map<string, Rule[]>();
  private readonly own: Chain[] = [];

  constructor(readonly name: TableName, chains: readonly string[]) {
    for (const c of chains) this.top.set(c, []);
  }

  add(lines: readonly RuleLine[]): void {
    for (const l of lines) {
      const into = this.top.get(l.chain);
      if (into === undefined) throw new InternalError(`kube-proxy rule for an undeclared top-level chain ${l.chain} in ${this.name}`);
      for (const r of l.rules) into.push(r);
    }
  }

  addChains(chains: readonly Chain[]): void {
    for (const c of chains) this.own.push(c);
  }

  /** The table as parsed, every chain declared; `rank` orders chain names as a sort would. */
  table(rank: ReadonlyMap<string, number>): { table: Table; declarations: Declarations } {
    const chains: Chain[] = [...this.top].map(([name, rules]) => ({ name, counters: ZERO, rules }));
    for (const c of this.own) chains.push(c);
    return { table: { name: this.name, chains: ordered(this.name, chains, rank) }, declarations: { declared: declaredIn(this.name), deleted: new Set() } };
  }
}

/**
 * Every chain the payload writes is declared (`:CHAIN - [0:0]`), but the built-in chains its
 * parsed tables hold (empty, policy ACCEPT) are not: their policy stays as it is, as with the text.
 */
const declaredIn = (table: TableName) => ({ has: (chain: string): boolean => !isBuiltinChain(table, chain) });

/**
 * orderChains (built-ins, then user chains by name) without sorting 50,000 names on every node:
 * each name's place among all the chain names the memo's services can have is known (`rank`),
 * so the chains drop into their slots. Falls back to orderChains for a name outside it.
 */
export function ordered(name: TableName, chains: readonly Chain[], rank: ReadonlyMap<string, number>): Chain[] {
  const slots: (Chain | undefined)[] = new Array<Chain | undefined>(rank.size);
  for (const c of chains) {
    const at = rank.get(c.name);
    if (at !== undefined && slots[at] !== undefined) throw new InternalError(`kube-proxy declares chain ${c.name} twice in ${name}`);
    if (at === undefined) return orderChains(name, chains);
    slots[at] = c;
  }
  const builtins = BUILTIN_CHAINS[name].map((n): Chain => ({ name: n, policy: 'ACCEPT', rules: [] }));
  const out: Chain[] = builtins;
  for (const c of slots) if (c !== undefined) out.push(c);
  return out;
}

const ranks = new WeakMap<PayloadMemo, ReadonlyMap<string, number>>();

/** Every chain name kube-proxy may declare for the memo's services, ranked in byte order. */
export function chainRanks(memo: PayloadMemo): ReadonlyMap<string, number> {
  let r = ranks.get(memo);
  if (r === undefined) {
    const names = new Set<string>(TOP_CHAINS);
    for (const p of memo.ports) {
      const c = p.info.chains;
      for (const n of [c.svc, c.svl, c.ext, c.fw]) names.add(n);
      for (const ep of p.endpoints) names.add(ep.chain);
    }
    // The native sort: faster here than tables.ts's radix sort, as the names differ soon after their prefix.
    const sorted = [...names].sort();
    const m = new Map<string, number>();
    for (let i = 0; i < sorted.length; i++) m.set(sorted[i] as string, i);
    r = m;
    ranks.set(memo, r);
  }
  return r;
}

/**
 * `iptables-restore --noflush` of the parts' payload into `state`. Returns the kernel's
 * refusals (none for a payload kube-proxy generated from validated objects).
 */
export function restorePayloadParts(state: NetfilterState, parts: PayloadParts, memo: PayloadMemo, opts: { readonly prove?: boolean; readonly onProof?: (proven: ReadonlySet<TableName>) => void } = {}): ReturnType<typeof restoreParsed> {
  const family = memo.family;
  const rank = chainRanks(memo);
  const filter = new TableBuilder('filter', parts.filterHead.chains);
  const nat = new TableBuilder('nat', parts.natHead.chains);
  const own = {
    filter: parseLines([...parts.filterHead.rules, ...parts.filterTail], family, 'filter'),
    nat: parseLines([...parts.natHead.rules, ...parts.natTail], family, 'nat'),
  };
  filter.add(own.filter.slice(0, parts.filterHead.rules.length));
  nat.add(own.nat.slice(0, parts.natHead.rules.length));
  const fragments = parseFragments(parts.ports, family);
  for (const p of fragments) {
    filter.add(p.filter);
    nat.add(p.natDispatch);
    nat.addChains(p.natChains);
  }
  filter.add(own.filter.slice(parts.filterHead.rules.length));
  nat.add(own.nat.slice(parts.natHead.rules.length));
  const f = filter.table(rank);
  const n = nat.table(rank);
  const payload: Ruleset = { family, tables: [f.table, n.table] };
  const provenTables = new Set<TableName>();
  const shapes = fragments.map((p) => p.shape);
  // `prove: false` walks every table, as the text's restore does (for the comparison in tests).
  if (opts.prove !== false && !shapes.includes(null)) {
    const current = state.rulesets[family].tables;
    for (const [table, head] of [['filter', parts.filterHead.chains], ['nat', parts.natHead.chains]] as const) {
      const tops = new Map<string, RuleLine[]>(head.map((c) => [c, []]));
      for (const l of own[table]) tops.get(l.chain)?.push(l);
      const input = { table, tops, fragments: aggregateFragments(shapes as FragmentShape[], table), existing: current.find((t) => t.name === table), payloadName: (c: string) => rank.has(c) };
      if (provenLoads(input)) provenTables.add(table);
    }
  }
  opts.onProof?.(provenTables);
  return restoreParsed(state, payload, new Map([['filter', f.declarations], ['nat', n.declarations]]), { file: FILE, family, noflush: true, provenTables });
}
