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

/** The jumps and gotos of a table: chain → rules that jump from it, with their targets. */
type Graph = ReadonlyMap<string, readonly Rule[]>;

function jumpsOf(table: Table, included: (r: Rule) => boolean): Graph {
  const g = new Map<string, Rule[]>();
  for (const c of table.chains) {
    const out = c.rules.filter((r) => (r.target?.kind === 'jump' || r.target?.kind === 'goto') && included(r));
    if (out.length > 0) g.set(c.name, out);
  }
  return g;
}

interface Walk {
  readonly graph: Graph;
  /** Longest jump count below a chain already checked. */
  readonly height: Map<string, number>;
  readonly stack: string[];
}

/**
 * Depth-first from one chain at `depth` jumps below a base chain: the longest path below it, or
 * the problem. Recursion stops at MAX_JUMP_DEPTH + 1 frames, so a long unreferenced chain of
 * chains costs no stack.
 */
function walk(w: Walk, chain: string, depth: number): number | Omit<NestingProblem, 'rule'> {
  if (w.stack.includes(chain)) return { kind: 'loop', path: [...w.stack, chain] };
  w.stack.push(chain);
  if (depth > MAX_JUMP_DEPTH) return { kind: 'too-deep', path: [...w.stack] };
  const known = w.height.get(chain);
  let height = 0;
  if (known !== undefined && depth + known <= MAX_JUMP_DEPTH) {
    height = known;
  } else {
    for (const r of w.graph.get(chain) ?? []) {
      const below = walk(w, (r.target as { name: string }).name, depth + 1);
      if (typeof below !== 'number') return below;
      height = Math.max(height, below + 1);
    }
    w.height.set(chain, height);
  }
  w.stack.pop();
  return height;
}

/**
 * Chain entries of a full walk from `chain` (itself, plus those of every jump and goto in it),
 * capped just past the limit. Called on a loop-free graph at most MAX_JUMP_DEPTH deep.
 */
function entries(graph: Graph, chain: string, memo: Map<string, number>): number {
  const known = memo.get(chain);
  if (known !== undefined) return known;
  let n = 1;
  for (const r of graph.get(chain) ?? []) n = Math.min(MAX_CHAIN_ENTRIES + 1, n + entries(graph, (r.target as { name: string }).name, memo));
  memo.set(chain, n);
  return n;
}

/** The problem of a table holding only the rules `included` lets through, or undefined when it loads. */
function check(table: Table, included: (r: Rule) => boolean): Omit<NestingProblem, 'rule'> | undefined {
  const w: Walk = { graph: jumpsOf(table, included), height: new Map(), stack: [] };
  const bases = table.chains.filter((c) => isBuiltinChain(table.name, c.name)).map((c) => c.name);
  for (const base of bases) {
    const r = walk(w, base, 0);
    if (typeof r !== 'number') return r;
  }
  const memo = new Map<string, number>();
  const crowded = bases.find((b) => entries(w.graph, b, memo) > MAX_CHAIN_ENTRIES);
  return crowded === undefined ? undefined : { kind: 'too-many-entries', path: [crowded] };
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
