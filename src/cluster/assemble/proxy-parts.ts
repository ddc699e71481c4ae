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
import { InternalError } from '../../diag/diagnostic.js';
import { type FragmentShape, aggregateFragments, fragmentShape, provenLoads } from './proxy-nesting.js';
import type { TableName } from '../../kernel/events.js';
import type { Chain, Rule, Ruleset, Table } from '../../kernel/netfilter/index.js';
import { type Declarations, restoreParsed } from '../../kernel/netfilter/restore.js';
import type { NetfilterState } from '../../kernel/netfilter/state.js';
import { BUILTIN_CHAINS, type RuleLine, isBuiltinChain, orderChains, parseRule } from '../../kernel/netfilter/syntax/index.js';
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
}

const parsedFragments = new WeakMap<PortFragment, ParsedFragment>();

/** One kube-proxy rule line parsed; a payload kube-proxy generated always parses. */
export function parseLine(text: string, family: 4 | 6, table: TableName): RuleLine {
  const r = parseRule(text, { file: FILE, family, table });
  const problem = r.diagnostics[0];
  if (r.value === undefined || problem !== undefined) throw new InternalError(`kube-proxy rule does not parse: ${text}: ${problem?.message ?? ''}`);
  return r.value;
}

/** A port's fragment parsed, once per fragment value (every node sharing it shares the result). */
export function parseFragment(f: PortFragment, family: 4 | 6): ParsedFragment {
  const hit = parsedFragments.get(f);
  if (hit !== undefined) return hit;
  const rules = new Map<string, Rule[]>(f.natChains.map((c) => [c, []]));
  for (const text of f.natRules) {
    const line = parseLine(text, family, 'nat');
    const into = rules.get(line.chain);
    if (into === undefined) throw new InternalError(`kube-proxy rule for a chain its service port does not own: ${text}`);
    into.push(...line.rules);
  }
  const filter = f.filter.map((t) => parseLine(t, family, 'filter'));
  const natDispatch = f.natDispatch.map((t) => parseLine(t, family, 'nat'));
  const natChains: Chain[] = [...rules].map(([name, r]) => ({ name, counters: ZERO, rules: r }));
  const parsed: ParsedFragment = { filter, natDispatch, natChains, shape: fragmentShape(natChains, { filter, nat: natDispatch }, TOP_SET) };
  parsedFragments.set(f, parsed);
  return parsed;
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
    r = new Map([...names].sort().map((n, i) => [n, i]));
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
    filter: [...parts.filterHead.rules, ...parts.filterTail].map((t) => parseLine(t, family, 'filter')),
    nat: [...parts.natHead.rules, ...parts.natTail].map((t) => parseLine(t, family, 'nat')),
  };
  filter.add(own.filter.slice(0, parts.filterHead.rules.length));
  nat.add(own.nat.slice(0, parts.natHead.rules.length));
  const fragments = parts.ports.map((f) => parseFragment(f, family));
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
