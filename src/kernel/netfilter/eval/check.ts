/**
 * Traversal of one table at one hook, after `ipt_do_table()` (net/ipv4/netfilter/ip_tables.c),
 * in three small steps: `check` walks chains with a return stack, `checkChain` walks the rules
 * of one chain, `checkRule` matches one rule and runs its target.
 *
 * - A jump (`-j CHAIN`) pushes the position after the rule; a goto (`-g CHAIN`) does not, so a
 *   RETURN from the chain gone to resumes in the chain that jumped to the goto's caller.
 * - RETURN, or the end of a user chain, pops; with nothing to pop (a built-in chain), the
 *   chain's policy decides.
 * - Non-terminating targets (MARK, CONNMARK, LOG, NOTRACK, no target) continue with the next rule.
 *
 * Events: `nf-hook` when the table's built-in chain is entered, `nf-rule` for every rule that
 * matched, `nf-policy` when a built-in chain's policy decides.
 */
import { assertNever, InternalError } from '../../../diag/diagnostic.js';
import type { Chain, Rule, Table } from '../rule.js';
import { findChain } from '../state.js';
import { MAX_CHAIN_ENTRIES } from '../syntax/nesting.js';
import { type CompiledRule, compiled, compiledChain, matchRule } from './compile.js';
import type { EvalCtx } from './ctx.js';
import { bucketFor, dispatchOf, lowerBound } from './dispatch.js';
import type { Outcome } from './target/types.js';
import { ruleText } from './text.js';

/** The verdict of a table. */
export interface TableVerdict {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly rejectWith?: string;
  /** `table/chain#position` or `table/chain:policy`. */
  readonly decidedBy?: string;
}

type ChainExit =
  | { readonly kind: 'verdict'; readonly verdict: TableVerdict }
  | { readonly kind: 'return' }
  | { readonly kind: 'jump'; readonly chain: string; readonly resume: number }
  | { readonly kind: 'goto'; readonly chain: string };

/**
 * A bound on chain steps (entering a chain, or resuming one after a RETURN). Loops, nesting past
 * the kernel's limit and tables whose full walk enters chains more than MAX_CHAIN_ENTRIES times
 * are refused at load (syntax/nesting.ts); each entry costs at most two steps, so reaching this
 * is a bug.
 */
const MAX_STEPS = 2 * MAX_CHAIN_ENTRIES;

/** Matches one rule; on a match, runs its target and reports the rule. Undefined when it does not match. */
function checkRule(c: EvalCtx, cr: CompiledRule, rule: Rule): Outcome | undefined {
  if (!matchRule(cr, c)) return undefined;
  const out = cr.target.run(c);
  c.env.emit({ kind: 'nf-rule', ns: c.env.ns, hook: c.hook, table: c.table, chain: c.chain, position: c.position, rule: ruleText(c.chain, rule), verdict: cr.target.label });
  return out;
}

/**
 * Walks the rules of one chain from index `start`. A long chain with an index (dispatch.ts)
 * evaluates only the rules that can match the packet, in chain order: the same rules match, in
 * the same order, as in the linear scan.
 */
function checkChain(c: EvalCtx, chain: Chain, start: number): ChainExit {
  c.chain = chain.name;
  const d = dispatchOf(chain);
  if (d === undefined) {
    const rules = compiledChain(chain);
    for (let i = start; i < rules.length; i++) {
      const exit = checkAt(c, chain, rules[i] as CompiledRule, i);
      if (exit !== undefined) return exit;
    }
    return { kind: 'return' };
  }
  const bucket = bucketFor(d, c.pkt);
  const others = d.others;
  let a = lowerBound(bucket, start);
  let b = lowerBound(others, start);
  while (a < bucket.length || b < others.length) {
    const ia = a < bucket.length ? (bucket[a] as number) : Number.POSITIVE_INFINITY;
    const ib = b < others.length ? (others[b] as number) : Number.POSITIVE_INFINITY;
    const i = ia < ib ? ia : ib;
    if (ia < ib) a++;
    else b++;
    // Only the rules the index leaves are compiled (a node's own long chains are new Chain objects).
    const exit = checkAt(c, chain, compiled(chain.rules[i] as Rule), i);
    if (exit !== undefined) return exit;
  }
  return { kind: 'return' };
}

/** Rule `i` of the chain: how the chain is left, or undefined to go on with the next rule. */
function checkAt(c: EvalCtx, chain: Chain, cr: CompiledRule, i: number): ChainExit | undefined {
  c.position = i + 1;
  const out = checkRule(c, cr, chain.rules[i] as Rule);
  if (out === undefined) return undefined;
  const decidedBy = `${c.table}/${chain.name}#${i + 1}`;
  switch (out.kind) {
    case 'continue':
      return undefined;
    case 'accept':
      return { kind: 'verdict', verdict: { verdict: 'ACCEPT', decidedBy } };
    case 'drop':
      return { kind: 'verdict', verdict: { verdict: 'DROP', decidedBy } };
    case 'reject':
      return { kind: 'verdict', verdict: { verdict: 'REJECT', rejectWith: out.with, decidedBy } };
    case 'return':
      return { kind: 'return' };
    case 'jump':
      return { kind: 'jump', chain: out.chain, resume: i + 1 };
    case 'goto':
      return { kind: 'goto', chain: out.chain };
    default:
      return assertNever(out, 'target outcome');
  }
}

function chainOf(table: Table, name: string): Chain {
  const chain = findChain(table, name);
  if (chain === undefined) throw new InternalError(`${table.name}: jump to missing chain ${name}`);
  return chain;
}

function policy(c: EvalCtx, base: Chain): TableVerdict {
  const p = base.policy ?? 'ACCEPT';
  c.env.emit({ kind: 'nf-policy', ns: c.env.ns, hook: c.hook, table: c.table, chain: base.name, policy: p });
  return { verdict: p, decidedBy: `${c.table}/${base.name}:policy` };
}

/** Runs the built-in chain of `c.hook` in `table`. A table without that chain accepts silently. */
export function check(table: Table, c: EvalCtx): TableVerdict {
  const base = findChain(table, c.hook);
  if (base === undefined) return { verdict: 'ACCEPT' };
  c.env.emit({ kind: 'nf-hook', ns: c.env.ns, hook: c.hook, table: c.table, family: c.family });
  const stack: { chain: Chain; next: number }[] = [];
  let frame = { chain: base, next: 0 };
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const exit = checkChain(c, frame.chain, frame.next);
    switch (exit.kind) {
      case 'verdict':
        return exit.verdict;
      case 'jump':
        stack.push({ chain: frame.chain, next: exit.resume });
        frame = { chain: chainOf(table, exit.chain), next: 0 };
        break;
      case 'goto':
        frame = { chain: chainOf(table, exit.chain), next: 0 };
        break;
      case 'return': {
        const back = stack.pop();
        if (back === undefined) return policy(c, base);
        frame = back;
        break;
      }
      default:
        return assertNever(exit, 'chain exit');
    }
  }
  throw new InternalError(`${table.name}/${c.hook}: rule loop (more than ${MAX_STEPS} chain steps)`);
}
