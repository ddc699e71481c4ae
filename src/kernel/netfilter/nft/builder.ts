/**
 * The ruleset while a script is applied: mutable tables, chains and sets with the kernel's
 * checks (`add` of an existing table or chain is a no-op; a rule's jump targets and named sets
 * must exist), then frozen by {@link Builder.build}: set elements sorted as `nft list` prints
 * them (sort.ts), and the kernel's default size (65535) on dynamic sets with a timeout.
 */
import type { NftBase, NftChain, NftElement, NftFamily, NftRule, NftRuleset, NftSet, NftStmt, NftTable, NftVerdict } from './model.js';
import { fail } from './parse-expr.js';
import { sortElements } from './sort.js';
import type { Cursor } from './tokenize.js';

interface MChain {
  name: string;
  base?: NftBase;
  comment?: string;
  rules: NftRule[];
}

interface MTable {
  family: NftFamily;
  name: string;
  comment?: string;
  sets: Map<string, NftSet>;
  chains: Map<string, MChain>;
}

/** Chains a statement may jump or go to. */
export function stmtTargets(s: NftStmt): string[] {
  const fromVerdict = (v: NftVerdict | NftElement['data']): string[] => (v !== undefined && 'kind' in v && (v.kind === 'jump' || v.kind === 'goto') ? [v.chain] : []);
  if (s.kind === 'verdict') return fromVerdict(s.verdict);
  if (s.kind === 'vmap' && s.map.kind === 'anon') return s.map.elements.flatMap((e) => fromVerdict(e.data));
  return [];
}

function stmtSets(s: NftStmt): string[] {
  if ((s.kind === 'lookup' && s.set.kind === 'named') || (s.kind === 'vmap' && s.map.kind === 'named')) return [s.kind === 'lookup' ? (s.set as { name: string }).name : (s.map as { name: string }).name];
  if (s.kind === 'set-update') return [s.set];
  return [];
}

/** See the file header. */
export class Builder {
  private readonly tables = new Map<string, MTable>();
  /** Rules added inside a `table { }` block, checked when the block ends. */
  private pending: (() => void)[] | undefined;
  /** Element arrays this builder made (and may append to); the base ruleset's stay untouched. */
  private readonly ownedElements = new WeakSet<readonly NftElement[]>();

  constructor(base?: NftRuleset) {
    for (const t of base?.tables ?? []) {
      this.tables.set(`${t.family} ${t.name}`, {
        family: t.family,
        name: t.name,
        ...(t.comment !== undefined ? { comment: t.comment } : {}),
        sets: new Map(t.sets.map((s) => [s.name, s])),
        chains: new Map(t.chains.map((c) => [c.name, { ...c, rules: [...c.rules] }])),
      });
    }
  }

  addTable(family: NftFamily, name: string): void {
    const key = `${family} ${name}`;
    if (!this.tables.has(key)) this.tables.set(key, { family, name, sets: new Map(), chains: new Map() });
  }

  setTableComment(family: NftFamily, name: string, comment: string): void {
    const t = this.tables.get(`${family} ${name}`);
    if (t !== undefined) t.comment = comment;
  }

  table(cur: Cursor, family: NftFamily, name: string): MTable {
    return this.tables.get(`${family} ${name}`) ?? fail(cur, 'NFT_NO_SUCH_TABLE', `table ${family} ${name} does not exist`);
  }

  chain(cur: Cursor, family: NftFamily, table: string, name: string): MChain {
    return this.table(cur, family, table).chains.get(name) ?? fail(cur, 'NFT_NO_SUCH_CHAIN', `chain ${name} does not exist in table ${family} ${table}`);
  }

  set(cur: Cursor, family: NftFamily, table: string, name: string): NftSet {
    return this.table(cur, family, table).sets.get(name) ?? fail(cur, 'NFT_NO_SUCH_SET', `set ${name} does not exist in table ${family} ${table}`);
  }

  addChain(cur: Cursor, family: NftFamily, table: string, name: string): void {
    const t = this.table(cur, family, table);
    if (!t.chains.has(name)) t.chains.set(name, { name, rules: [] });
  }

  setBase(cur: Cursor, family: NftFamily, table: string, name: string, base: Omit<NftBase, 'policy'>): void {
    const c = this.chain(cur, family, table, name);
    c.base = { ...base, policy: c.base?.policy ?? 'accept' };
  }

  setPolicy(cur: Cursor, family: NftFamily, table: string, name: string, policy: 'accept' | 'drop'): void {
    const c = this.chain(cur, family, table, name);
    if (c.base === undefined) fail(cur, 'NFT_BAD_VALUE', `chain ${name}: only a base chain has a policy`);
    c.base = { ...c.base, policy };
  }

  setChainComment(family: NftFamily, table: string, name: string, comment: string): void {
    const c = this.tables.get(`${family} ${table}`)?.chains.get(name);
    if (c !== undefined) c.comment = comment;
  }

  addRule(cur: Cursor, family: NftFamily, table: string, chain: string, rule: NftRule, where: 'front' | 'back', checkNow: boolean): void {
    const c = this.chain(cur, family, table, chain);
    const pos = cur.pos();
    if (checkNow || this.pending === undefined) this.checkRule(cur, pos, family, table, rule);
    else this.pending.push(() => this.checkRule(cur, pos, family, table, rule));
    if (where === 'front') c.rules.unshift(rule);
    else c.rules.push(rule);
  }

  private checkRule(cur: Cursor, pos: ReturnType<Cursor['pos']>, family: NftFamily, table: string, rule: NftRule): void {
    const t = this.table(cur, family, table);
    const tok = { kind: 'word' as const, text: '', line: pos.line, col: pos.col ?? 1 };
    for (const s of rule.stmts) {
      for (const target of stmtTargets(s)) if (!t.chains.has(target)) fail(cur, 'NFT_NO_SUCH_CHAIN', `jump/goto to chain ${target}, which does not exist in table ${family} ${table}`, tok);
      for (const set of stmtSets(s)) if (!t.sets.has(set)) fail(cur, 'NFT_NO_SUCH_SET', `set @${set} does not exist in table ${family} ${table}`, tok);
    }
  }

  beginBlock(): void {
    this.pending = [];
  }

  /** Drops the checks of a block that failed to parse. */
  abandonBlock(): void {
    this.pending = undefined;
  }

  endBlock(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const check of pending) check();
  }

  addSet(cur: Cursor, family: NftFamily, table: string, set: NftSet): void {
    const t = this.table(cur, family, table);
    if (!t.sets.has(set.name)) t.sets.set(set.name, set);
  }

  addElements(cur: Cursor, family: NftFamily, table: string, name: string, elements: readonly NftElement[]): void {
    const t = this.table(cur, family, table);
    const s = this.set(cur, family, table, name);
    const tok = { ...cur.peek() };
    const check = (): void => {
      for (const e of elements) {
        const d = e.data;
        if (d !== undefined && (d.kind === 'jump' || d.kind === 'goto') && !t.chains.has(d.chain)) fail(cur, 'NFT_NO_SUCH_CHAIN', `element maps to chain ${d.chain}, which does not exist in table ${family} ${table}`, tok);
      }
    };
    if (this.pending === undefined) check();
    else this.pending.push(check);
    // Copy a set's elements once per builder, then append: adding N elements one command at a
    // time stays linear (kube-proxy adds one element per command).
    if (this.ownedElements.has(s.elements)) {
      (s.elements as NftElement[]).push(...elements);
      return;
    }
    const owned = [...s.elements, ...elements];
    this.ownedElements.add(owned);
    t.sets.set(name, { ...s, elements: owned });
  }

  flushRuleset(): void {
    this.tables.clear();
  }

  flushTable(cur: Cursor, family: NftFamily, name: string): void {
    const t = this.table(cur, family, name);
    for (const c of t.chains.values()) c.rules = [];
    for (const [k, s] of t.sets) t.sets.set(k, { ...s, elements: [] });
  }

  flushChain(cur: Cursor, family: NftFamily, table: string, name: string): void {
    this.chain(cur, family, table, name).rules = [];
  }

  flushSet(cur: Cursor, family: NftFamily, table: string, name: string): void {
    const s = this.set(cur, family, table, name);
    this.table(cur, family, table).sets.set(name, { ...s, elements: [] });
  }

  deleteTable(cur: Cursor, family: NftFamily, name: string): void {
    this.table(cur, family, name);
    this.tables.delete(`${family} ${name}`);
  }

  deleteChain(cur: Cursor, family: NftFamily, table: string, name: string): void {
    const t = this.table(cur, family, table);
    const c = this.chain(cur, family, table, name);
    if (c.rules.length > 0) fail(cur, 'NFT_BAD_VALUE', `chain ${name} is not empty (flush it first)`);
    const used = [...t.chains.values()].some((o) => o.rules.some((r) => r.stmts.some((s) => stmtTargets(s).includes(name))));
    if (used) fail(cur, 'NFT_BAD_VALUE', `chain ${name} is still jumped to`);
    t.chains.delete(name);
  }

  /** The ruleset as plain, sorted data. */
  build(): NftRuleset {
    const tables: NftTable[] = [...this.tables.values()].map((t) => ({
      family: t.family,
      name: t.name,
      ...(t.comment !== undefined ? { comment: t.comment } : {}),
      sets: [...t.sets.values()].map(finishSet),
      chains: [...t.chains.values()].map((c): NftChain => ({ name: c.name, ...(c.base !== undefined ? { base: c.base } : {}), ...(c.comment !== undefined ? { comment: c.comment } : {}), rules: [...c.rules] })),
    }));
    return { tables };
  }
}

const FLAG_ORDER = ['constant', 'dynamic', 'interval', 'timeout'] as const;

/** A set as the kernel keeps it: a default timeout implies the timeout flag; dynamic sets with one get size 65535. */
function finishSet(s: NftSet): NftSet {
  const dyn = s.flags.includes('dynamic') && s.timeout !== undefined && s.size === undefined;
  const flags = FLAG_ORDER.filter((f) => s.flags.includes(f) || (f === 'timeout' && s.timeout !== undefined));
  return { ...s, flags, ...(dyn ? { size: 65535 } : {}), elements: sortElements(s.elements, s.keyType, s.flags.includes('interval')) };
}
