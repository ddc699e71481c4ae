/**
 * `COMMIT` in an iptables-restore file: a table read line by line becomes a {@link Table} in
 * print order, after the checks iptables-restore makes when it commits the batch: every jump and
 * goto names a user chain declared before the rule, and the chains nest within the kernel's jump
 * stack (nesting.ts).
 *
 * The chains are numbered once, in print order, while each jump is checked, and the nesting check
 * walks those numbers: a 700,000-line dump has 233,000 chains and as many jumps, and looking each
 * name up again (once for the check, once for the walk) was a tenth of the parse.
 */
import { type Diagnostic, InternalError, type SourcePos, error } from '../../../diag/diagnostic.js';
import type { TableName } from '../../events.js';
import type { Chain, Rule, Table, TargetSpec } from '../rule.js';
import { nestingMessage, targetColumn } from './nesting-text.js';
import { type JumpGraph, graphLoads, nestingProblem } from './nesting.js';
import { lineText } from './save-text.js';
import { BUILTIN_CHAINS, isBuiltinChain, orderByName } from './tables.js';

/** A chain while its table is read. */
export interface ChainDraft {
  readonly name: string;
  /** Line where the chain was created (0 for built-in chains): a jump must come after it. */
  readonly line: number;
  policy: 'ACCEPT' | 'DROP' | undefined;
  counters: Chain['counters'];
  rules: Rule[];
  /** Place in print order, set at COMMIT (-1 before). */
  index: number;
  /** `-j NAME` and `-g NAME` to this chain, made once by the fast reader (fast-rule.ts) for every rule that jumps here. */
  jumpTarget: TargetSpec | undefined;
  gotoTarget: TargetSpec | undefined;
  /** Place among the chains the fast reader saw declared (parts.ts FastParts.declare), -1 if none. */
  order: number;
}

/**
 * A new chain draft, every field present from the start: a field added later (the jump target,
 * the index) would give each of a dump's 233,000 drafts a second, out-of-object store.
 */
export function newChainDraft(name: string, line: number, policy: ChainDraft['policy'], counters: ChainDraft['counters']): ChainDraft {
  return { name, line, policy, counters, rules: [], index: -1, jumpTarget: undefined, gotoTarget: undefined, order: -1 };
}

/** A table while it is read (`*nat` … `COMMIT`). */
export interface TableDraft {
  readonly name: TableName;
  readonly line: number;
  readonly chains: Map<string, ChainDraft>;
}

/** Where diagnostics go, and the text to find a `-j` column in. */
export interface CommitContext {
  readonly file: string;
  readonly text: string;
  /** The COMMIT line (for a rule without a line). */
  readonly line: number;
  readonly diagnostics: Diagnostic[];
}

/** Lists longer than this grew by push (parse-save.ts `addRule`) and are copied to their exact length. */
export const SHORT_CHAIN = 8;

const NONE: readonly number[] = Object.freeze([]);

/** Checks the table's jumps and nesting and returns it in print order. */
export function commitTable(t: TableDraft, cx: CommitContext): Table {
  const drafts = orderByName(t.name, [...t.chains.values()], () => {
    throw new InternalError('a table draft holds every built-in chain');
  });
  const chains = drafts.map((c, i): Chain => {
    c.index = i;
    return chainOf(c);
  });
  // Declaration order, as the diagnostics come out; each chain's jumps in rule order, as nesting.ts numbers them.
  const targets: Array<readonly number[]> = drafts.map(() => NONE);
  let complete = true;
  for (const c of t.chains.values()) {
    let out: number[] | undefined;
    const rules = c.rules;
    for (let k = 0; k < rules.length; k++) {
      const to = checkJump(cx, t, rules[k] as Rule);
      if (to === undefined) continue;
      if (to < 0) complete = false;
      // Exactly sized for the usual one jump (an empty list grown by push takes 17 slots).
      else if (out === undefined) out = [to];
      else out.push(to);
    }
    if (out !== undefined) targets[c.index] = out;
  }
  const table: Table = { name: t.name, chains };
  const graph: JumpGraph = { names: chains.map((c) => c.name), targets };
  const bases = BUILTIN_CHAINS[t.name].map((_n, i) => i);
  // A jump to a missing chain is already an error; the full check then numbers that chain too.
  if (!complete || !graphLoads(graph, bases)) checkNesting(cx, table);
  return table;
}

/** The chain as the ruleset keeps it (key order as iptables-save prints: name, policy, counters, rules). */
function chainOf(c: ChainDraft): Chain {
  const rules = c.rules.length > SHORT_CHAIN ? c.rules.slice() : c.rules;
  if (c.policy !== undefined && c.counters !== undefined) return { name: c.name, policy: c.policy, counters: c.counters, rules };
  if (c.policy !== undefined) return { name: c.name, policy: c.policy, rules };
  if (c.counters !== undefined) return { name: c.name, counters: c.counters, rules };
  return { name: c.name, rules };
}

function rulePos(cx: CommitContext, r: Rule): SourcePos {
  const line = r.line ?? cx.line;
  const kind = r.target?.kind;
  const col = kind === 'jump' || kind === 'goto' ? targetColumn(lineText(cx.text, line)) : undefined;
  return col === undefined ? { file: cx.file, line } : { file: cx.file, line, col };
}

/**
 * A jump or goto must name a user chain of the table, declared before the rule (iptables-nft
 * resolves it when it reads the rule). The target's number in print order; -1 when the table has
 * no such chain; undefined for a rule that does not jump.
 */
function checkJump(cx: CommitContext, t: TableDraft, r: Rule): number | undefined {
  const target = r.target;
  if (target === undefined || (target.kind !== 'jump' && target.kind !== 'goto')) return undefined;
  const chain = t.chains.get(target.name);
  const opt = target.kind === 'goto' ? '-g' : '-j';
  const line = r.line ?? cx.line;
  let why: string;
  if (chain === undefined) why = `no chain ${target.name} in table ${t.name}, and no target extension of that name`;
  else if (isBuiltinChain(t.name, target.name)) why = `${target.name} is a built-in chain and cannot be a jump target`;
  else if (chain.line > line) why = `chain ${target.name} is declared on line ${chain.line}, after this rule; iptables-restore needs it declared first`;
  else return chain.index;
  cx.diagnostics.push(error('IPT_UNKNOWN_CHAIN', `${opt} ${target.name}: ${why}`, rulePos(cx, r)));
  return chain === undefined ? -1 : chain.index;
}

/** Loops and nesting past the kernel's jump stack (see nesting.ts), located at the rule that makes the table invalid. */
function checkNesting(cx: CommitContext, table: Table): void {
  const p = nestingProblem(table, (r) => r.line ?? 0);
  if (p === undefined) return;
  const [code, message] = nestingMessage(table.name, p);
  cx.diagnostics.push(error(code, message, rulePos(cx, p.rule)));
}
