/**
 * Chain loops and nesting depth, refused when a table is loaded, as the kernel refuses them.
 *
 * With the nf_tables backend (iptables 1.8.9 here) the kernel validates a table by walking every
 * jump and goto from each base chain (`nft_table_validate` → `nft_chain_validate`, with the
 * level compared against `NFT_JUMP_STACK_SIZE`, 16): a chain reached by 16 jumps is refused with
 * EMLINK, which iptables-restore prints as `RULE_APPEND failed (Too many links)` and exit 4.
 * A loop reachable from a base chain is refused the same way, because its depth has no end;
 * the rules' matches are not looked at (`-p tcp -j B` in A and `-p udp -j A` in B is refused).
 * Chains that no base chain reaches are not walked, so a loop among them loads.
 * Checked on a namespace with iptables v1.8.9 (nf_tables), kernel 6.18: 15 jumps from a base
 * chain load, 16 do not; goto counts like jump. (The legacy x_tables backend differs: its
 * `mark_source_chains` refuses a reachable loop too, with exit 1, but has no depth limit;
 * netsim follows nf_tables, what iptables 1.8 uses by default.)
 *
 * The kernel checks the table as the batch leaves it (a rule flushed later in the same payload
 * does not count), and when it refuses, it names the first rule, in file order, after which the
 * table is invalid. {@link nestingProblem} finds the same rule.
 */
import type { Rule, Table } from '../rule.js';
import { isBuiltinChain } from './tables.js';

/** The deepest a chain may sit below a base chain, in jumps (`NFT_JUMP_STACK_SIZE` - 1). */
export const MAX_JUMP_DEPTH = 15;

/**
 * How many times a packet may enter chains in one table at one hook, every rule matching (the
 * tracer's bound, see eval/check.ts). The kernel has no such limit, but a lattice of chains that
 * each jump to many others is walked an exponential number of times: netsim refuses such a table
 * as not modelled rather than give up mid-trace. Real dumps stay far below: kube-proxy's full
 * walk is about one entry per service and endpoint chain.
 */
export const MAX_CHAIN_ENTRIES = 1_000_000;

/**
 * What is wrong: a loop (the chains around it), a path too deep (from the base chain), or more
 * chain entries than netsim traces (the path is the base chain).
 */
export interface NestingProblem {
  readonly kind: 'loop' | 'too-deep' | 'too-many-entries';
  /** Chain names from the base chain to the chain that cannot be entered (for a loop, one already on the path). */
  readonly path: readonly string[];
  /** The rule, first in load order, after which the table is refused. */
  readonly rule: Rule;
}

/**
 * The jumps and gotos of a table as numbers: for chain i, the index of each jump's target.
 * Names are looked up once, here: a 700,000-line dump has 233,000 chains, and the walks below
 * visit each of them.
 */
export interface JumpGraph {
  readonly names: readonly string[];
  readonly targets: ReadonlyArray<readonly number[]>;
}

type Graph = JumpGraph;

const NONE: readonly never[] = [];

function jumpsOf(table: Table, included: (r: Rule) => boolean): Graph {
  const index = new Map<string, number>();
  const names = table.chains.map((c, i) => {
    index.set(c.name, i);
    return c.name;
  });
  const missing: string[] = [];
  const targets: Array<readonly number[]> = [];
  for (const c of table.chains) {
    let out: Rule[] | undefined;
    for (const r of c.rules) {
      const kind = r.target?.kind;
      if ((kind === 'jump' || kind === 'goto') && included(r)) (out ??= []).push(r);
    }
    targets.push(out === undefined ? NONE : out.map((r) => node((r.target as { name: string }).name)));
  }
  // A jump to a chain the table lacks (reported elsewhere) is a node without jumps of its own.
  function node(name: string): number {
    let i = index.get(name);
    if (i === undefined) {
      i = names.length;
      index.set(name, i);
      names.push(name);
      missing.push(name);
    }
    return i;
  }
  for (let k = 0; k < missing.length; k++) targets.push(NONE);
  return { names, targets };
}

interface Walk {
  readonly graph: Graph;
  /** Longest jump count below a chain already checked (-1: not yet). */
  readonly height: Int32Array;
  readonly onStack: Uint8Array;
  readonly stack: number[];
}

/** The chain names on the stack, then `last`. */
function path(w: Walk, last?: number): string[] {
  const names = w.stack.map((i) => w.graph.names[i] as string);
  if (last !== undefined) names.push(w.graph.names[last] as string);
  return names;
}

/**
 * Depth-first from one chain at `depth` jumps below a base chain: the longest path below it, or
 * the problem. Recursion stops at MAX_JUMP_DEPTH + 1 frames, so a long unreferenced chain of
 * chains costs no stack.
 */
function walk(w: Walk, chain: number, depth: number): number | Omit<NestingProblem, 'rule'> {
  if (w.onStack[chain] === 1) return { kind: 'loop', path: path(w, chain) };
  w.stack.push(chain);
  w.onStack[chain] = 1;
  if (depth > MAX_JUMP_DEPTH) return { kind: 'too-deep', path: path(w) };
  const known = w.height[chain] as number;
  let height = 0;
  if (known >= 0 && depth + known <= MAX_JUMP_DEPTH) {
    height = known;
  } else {
    // Indexed, not for-of: a recursive function's array iterator is not optimised away (233,000 chains).
    const targets = w.graph.targets[chain] ?? NONE;
    for (let k = 0; k < targets.length; k++) {
      const below = walk(w, targets[k] as number, depth + 1);
      if (typeof below !== 'number') return below;
      height = Math.max(height, below + 1);
    }
    w.height[chain] = height;
  }
  w.stack.pop();
  w.onStack[chain] = 0;
  return height;
}

/**
 * Chain entries of a full walk from `chain` (itself, plus those of every jump and goto in it),
 * capped just past the limit. Called on a loop-free graph at most MAX_JUMP_DEPTH deep.
 */
function entries(graph: Graph, chain: number, memo: Float64Array): number {
  const known = memo[chain] as number;
  if (known > 0) return known;
  let n = 1;
  const targets = graph.targets[chain] ?? NONE;
  for (let k = 0; k < targets.length; k++) n = Math.min(MAX_CHAIN_ENTRIES + 1, n + entries(graph, targets[k] as number, memo));
  memo[chain] = n;
  return n;
}

/** The problem of a table holding only the rules `included` lets through, or undefined when it loads. */
function check(table: Table, included: (r: Rule) => boolean): Omit<NestingProblem, 'rule'> | undefined {
  const bases: number[] = [];
  table.chains.forEach((c, i) => {
    if (isBuiltinChain(table.name, c.name)) bases.push(i);
  });
  return checkGraph(jumpsOf(table, included), bases);
}

/**
 * True when a table whose jumps are `graph` (chain i of the table is node i, as `jumpsOf`
 * numbers them) loads: no loop, nothing too deep, not too many entries from the base chains
 * `bases`. The iptables-save reader numbers the chains itself while it checks each jump, and asks
 * {@link nestingProblem} for the rule to blame only when this says no.
 */
export function graphLoads(graph: JumpGraph, bases: readonly number[]): boolean {
  return checkGraph(graph, bases) === undefined;
}

function checkGraph(graph: Graph, bases: readonly number[]): Omit<NestingProblem, 'rule'> | undefined {
  const n = graph.names.length;
  const w: Walk = { graph, height: new Int32Array(n).fill(-1), onStack: new Uint8Array(n), stack: [] };
  for (const base of bases) {
    const r = walk(w, base, 0);
    if (typeof r !== 'number') return r;
  }
  const memo = new Float64Array(n);
  const crowded = bases.find((b) => entries(graph, b, memo) > MAX_CHAIN_ENTRIES);
  return crowded === undefined ? undefined : { kind: 'too-many-entries', path: [graph.names[crowded] as string] };
}

/**
 * Why the kernel would refuse `table`, or undefined. `order` gives each rule's place in the
 * payload (its line; rules already loaded before the payload come first, at 0). The rule named
 * is found by bisection over that order: adding rules only adds jumps, so once refused, every
 * longer prefix is refused too.
 */
export function nestingProblem(table: Table, order: (r: Rule) => number): NestingProblem | undefined {
  if (check(table, () => true) === undefined) return undefined;
  const jumps = table.chains.flatMap((c) => c.rules.filter((r) => r.target?.kind === 'jump' || r.target?.kind === 'goto'));
  jumps.sort((a, b) => order(a) - order(b));
  let lo = 0;
  let hi = jumps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const limit = order(jumps[mid] as Rule);
    if (check(table, (r) => order(r) <= limit) !== undefined) hi = mid;
    else lo = mid + 1;
  }
  const rule = jumps[lo] as Rule;
  const limit = order(rule);
  const found = check(table, (r) => order(r) <= limit);
  return found === undefined ? undefined : { ...found, rule };
}
