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
import type { TableName } from '../../kernel/events.js';
import type { Chain, Rule, Ruleset, Table } from '../../kernel/netfilter/index.js';
import { type Declarations, restoreParsed } from '../../kernel/netfilter/restore.js';
import type { NetfilterState } from '../../kernel/netfilter/state.js';
import { type RuleLine, orderChains, parseRule } from '../../kernel/netfilter/syntax/index.js';
import type { PayloadParts, PortFragment } from '../../proxy/index.js';

const FILE = 'kube-proxy';
const ZERO = { packets: 0n, bytes: 0n } as const;

/** A port's fragment, parsed. */
interface ParsedFragment {
  readonly filter: readonly RuleLine[];
  readonly natDispatch: readonly RuleLine[];
  /** The nat chains it owns, with their rules, as `:CHAIN - [0:0]` declares them. */
  readonly natChains: readonly Chain[];
}

const parsedFragments = new WeakMap<PortFragment, ParsedFragment>();

function parseLine(text: string, family: 4 | 6, table: TableName): RuleLine {
  const r = parseRule(text, { file: FILE, family, table });
  const problem = r.diagnostics[0];
  if (r.value === undefined || problem !== undefined) throw new InternalError(`kube-proxy rule does not parse: ${text}: ${problem?.message ?? ''}`);
  return r.value;
}

function parseFragment(f: PortFragment, family: 4 | 6): ParsedFragment {
  const hit = parsedFragments.get(f);
  if (hit !== undefined) return hit;
  const rules = new Map<string, Rule[]>(f.natChains.map((c) => [c, []]));
  for (const text of f.natRules) {
    const line = parseLine(text, family, 'nat');
    const into = rules.get(line.chain);
    if (into === undefined) throw new InternalError(`kube-proxy rule for a chain its service port does not own: ${text}`);
    into.push(...line.rules);
  }
  const parsed: ParsedFragment = {
    filter: f.filter.map((t) => parseLine(t, family, 'filter')),
    natDispatch: f.natDispatch.map((t) => parseLine(t, family, 'nat')),
    natChains: [...rules].map(([name, r]) => ({ name, counters: ZERO, rules: r })),
  };
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

  table(): { table: Table; declarations: Declarations } {
    const chains: Chain[] = [...this.top].map(([name, rules]) => ({ name, counters: ZERO, rules }));
    for (const c of this.own) chains.push(c);
    return { table: { name: this.name, chains: orderChains(this.name, chains) }, declarations: { declared: new Set(chains.map((c) => c.name)), deleted: new Set() } };
  }
}

/**
 * `iptables-restore --noflush` of the parts' payload into `state`. Returns the kernel's
 * refusals (none for a payload kube-proxy generated from validated objects).
 */
export function restorePayloadParts(state: NetfilterState, parts: PayloadParts, family: 4 | 6): ReturnType<typeof restoreParsed> {
  const filter = new TableBuilder('filter', parts.filterHead.chains);
  const nat = new TableBuilder('nat', parts.natHead.chains);
  filter.add(parts.filterHead.rules.map((t) => parseLine(t, family, 'filter')));
  nat.add(parts.natHead.rules.map((t) => parseLine(t, family, 'nat')));
  for (const f of parts.ports) {
    const p = parseFragment(f, family);
    filter.add(p.filter);
    nat.add(p.natDispatch);
    nat.addChains(p.natChains);
  }
  filter.add(parts.filterTail.map((t) => parseLine(t, family, 'filter')));
  nat.add(parts.natTail.map((t) => parseLine(t, family, 'nat')));
  const f = filter.table();
  const n = nat.table();
  const payload: Ruleset = { family, tables: [f.table, n.table] };
  return restoreParsed(state, payload, new Map([['filter', f.declarations], ['nat', n.declarations]]), { file: FILE, family, noflush: true });
}
