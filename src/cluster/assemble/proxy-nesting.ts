/**
 * The kernel's nesting check (kernel/netfilter/syntax/nesting.ts: no loop, no chain deeper
 * than 15 jumps below a base chain, at most MAX_CHAIN_ENTRIES chain entries from one) proven
 * for a shared kube-proxy restore (proxy-parts.ts) without walking its 150,000 rules again on
 * every node.
 *
 * Each service port's chains jump only among themselves and to top-level chains without jumps
 * of their own (KUBE-MARK-MASQ), so their heights and entry counts are the same on every node
 * and are computed once per fragment. On a node, what is left to walk is small: the top-level
 * chains (summarised by what the fragments add to them), the chains already in the table that
 * the payload does not replace, and the built-in chains' jumps. The proof holds only when
 * nothing jumps from an old chain into the payload but a built-in chain, and any doubt (a loop,
 * a path too deep, a name it cannot place) leaves the decision to the full check: this answers
 * "certainly loads" or "don't know", never "refused". nesting.property.test.ts compares it with
 * the full check.
 */
import type { Chain, Rule, Table } from '../../kernel/netfilter/index.js';
import { isBuiltinChain } from '../../kernel/netfilter/syntax/index.js';
import { MAX_CHAIN_ENTRIES, MAX_JUMP_DEPTH } from '../../kernel/netfilter/syntax/nesting.js';
import type { RuleLine } from '../../kernel/netfilter/syntax/index.js';

/** The longest jump path below a chain and the chain entries of a full walk from it. */
interface Shape {
  readonly height: number;
  readonly entries: number;
}

/** What one top-level chain receives from a fragment's dispatch rules. */
interface Contribution {
  height: number;
  entries: number;
  /** Top-level chains its rules jump to (one per rule). */
  readonly tops: string[];
}

/** A fragment's part of the walk, or null when it cannot be summarised. */
export interface FragmentShape {
  readonly exits: ReadonlySet<string>;
  readonly filter: ReadonlyMap<string, Contribution>;
  readonly nat: ReadonlyMap<string, Contribution>;
}

const cap = (n: number): number => Math.min(n, MAX_CHAIN_ENTRIES + 1);

/** A chain without jumps (or one the table lacks: the kernel walk treats it so). */
const LEAF: Shape = { height: 0, entries: 1 };

/** The chains a chain's rules jump or go to, in rule order. */
function targetsOf(chain: Chain): string[] {
  const out: string[] = [];
  for (const r of chain.rules) {
    const t = jumpTarget(r);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/**
 * A chain's shape from those of its targets (`below`, null on a loop or anything the proof
 * cannot place), starting from `start`, and recorded in `memo` as the walk leaves the chain.
 */
function combine(name: string, targets: readonly string[], below: (t: string) => Shape | null, start: Shape, walk: { onStack: Set<string>; memo: Map<string, Shape> }): Shape | null {
  walk.onStack.add(name);
  let { height, entries } = start;
  for (const t of targets) {
    const s = below(t);
    if (s === null) return null;
    height = Math.max(height, s.height + 1);
    entries = cap(entries + s.entries);
  }
  walk.onStack.delete(name);
  const shape = { height, entries };
  walk.memo.set(name, shape);
  return shape;
}

function jumpTarget(r: Rule): string | undefined {
  const t = r.target;
  return t !== undefined && (t.kind === 'jump' || t.kind === 'goto') ? t.name : undefined;
}

/**
 * The shapes of a fragment's own chains, with `tops` (every top-level chain name kube-proxy
 * declares) as leaves of height 0: null when a chain loops or jumps to a name it does not own.
 * `targets` gives a chain's jumps in rule order (read from its rules unless told).
 */
export function fragmentShape(own: readonly Chain[], dispatch: { filter: readonly RuleLine[]; nat: readonly RuleLine[] }, tops: ReadonlySet<string>, targets: (c: Chain) => readonly string[] = targetsOf): FragmentShape | null {
  const byName = new Map(own.map((c) => [c.name, c]));
  const shapes = new Map<string, Shape>();
  const exits = new Set<string>();
  const onStack = new Set<string>();
  const shapeOf = (name: string): Shape | null => {
    const known = shapes.get(name);
    if (known !== undefined) return known;
    const chain = byName.get(name);
    if (chain === undefined) {
      if (!tops.has(name)) return null;
      exits.add(name);
      return LEAF;
    }
    if (onStack.has(name)) return null;
    return combine(name, targets(chain), shapeOf, LEAF, { onStack, memo: shapes });
  };
  for (const c of own) if (shapeOf(c.name) === null) return null;
  const contributions = (lines: readonly RuleLine[]): Map<string, Contribution> | null => {
    const out = new Map<string, Contribution>();
    for (const l of lines) {
      for (const r of l.rules) {
        const t = jumpTarget(r);
        if (t === undefined) continue;
        let c = out.get(l.chain);
        if (c === undefined) out.set(l.chain, (c = { height: 0, entries: 0, tops: [] }));
        if (tops.has(t)) {
          c.tops.push(t);
          continue;
        }
        const s = byName.get(t) === undefined ? null : shapeOf(t);
        if (s === null) return null;
        c.height = Math.max(c.height, s.height + 1);
        c.entries = cap(c.entries + s.entries);
      }
    }
    return out;
  };
  const filter = contributions(dispatch.filter);
  const nat = contributions(dispatch.nat);
  return filter === null || nat === null ? null : { exits, filter, nat };
}

/**
 * What the fragments of one table add up to, for the proof: each top-level chain's tallest
 * and total descent into the ports' own chains, the top-level chains the fragments' dispatch
 * rules jump to (with how many rules jump there: each jump is walked, so each counts its
 * entries), and the fragments' exits. Summed once for the ports every node shares; a node's
 * own ports are merged on top ({@link mergeAggregates}), which can only overstate.
 */
export interface FragmentAggregate {
  readonly height: ReadonlyMap<string, number>;
  readonly entries: ReadonlyMap<string, number>;
  readonly edges: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly exits: ReadonlySet<string>;
}

function addEdge(edges: Map<string, Map<string, number>>, from: string, to: string, times = 1): void {
  let into = edges.get(from);
  if (into === undefined) edges.set(from, (into = new Map()));
  into.set(to, (into.get(to) ?? 0) + times);
}

/** The fragments' part of one table, summed. */
export function aggregateFragments(fragments: readonly FragmentShape[], table: 'filter' | 'nat'): FragmentAggregate {
  const height = new Map<string, number>();
  const entries = new Map<string, number>();
  const edges = new Map<string, Map<string, number>>();
  const exits = new Set<string>();
  for (const f of fragments) {
    for (const e of f.exits) exits.add(e);
    for (const [t, c] of table === 'nat' ? f.nat : f.filter) {
      if (!edges.has(t)) edges.set(t, new Map());
      for (const u of c.tops) addEdge(edges, t, u);
      if (c.entries > 0) {
        height.set(t, Math.max(height.get(t) ?? 0, c.height));
        entries.set(t, cap((entries.get(t) ?? 0) + c.entries));
      }
    }
  }
  return { height, entries, edges, exits };
}

/**
 * Both aggregates at once: heights at their maximum, entries and jumps summed, exits united.
 * Every walk of the merged tables is then at most as tall and as long as this says, so a proof
 * from it holds for a node whose ports are the base's with some of them replaced.
 */
export function mergeAggregates(a: FragmentAggregate, b: FragmentAggregate): FragmentAggregate {
  const height = new Map(a.height);
  for (const [t, h] of b.height) height.set(t, Math.max(height.get(t) ?? 0, h));
  const entries = new Map(a.entries);
  for (const [t, n] of b.entries) entries.set(t, cap((entries.get(t) ?? 0) + n));
  const edges = new Map<string, Map<string, number>>();
  for (const agg of [a, b]) for (const [t, us] of agg.edges) {
    if (!edges.has(t)) edges.set(t, new Map());
    for (const [u, n] of us) addEdge(edges, t, u, n);
  }
  return { height, entries, edges, exits: new Set([...a.exits, ...b.exits]) };
}

/** One table of the restore, as the proof sees it. */
export interface NestingInput {
  readonly table: 'filter' | 'nat';
  /** The top-level chains the payload declares, with the rules the node's own lines put there. */
  readonly tops: ReadonlyMap<string, readonly RuleLine[]>;
  /** The ports' fragments, summed ({@link aggregateFragments}). */
  readonly fragments: FragmentAggregate;
  /** The table as it is before the restore. */
  readonly existing: Table | undefined;
  /** True for any chain name the payload may declare on some node (used to stay conservative). */
  readonly payloadName: (name: string) => boolean;
}

/** True when the table after the restore certainly passes the kernel's nesting check. */
export function provenLoads(input: NestingInput): boolean {
  const { tops } = input;
  // The top-level chains: what the fragments add, and jumps among themselves.
  const fragHeight = input.fragments.height;
  const fragEntries = input.fragments.entries;
  const edges = new Map<string, Map<string, number>>([...tops.keys()].map((t) => [t, new Map()]));
  for (const [t, lines] of tops) {
    for (const l of lines) for (const r of l.rules) {
      const u = jumpTarget(r);
      if (u === undefined) continue;
      if (!tops.has(u)) return false;
      addEdge(edges, t, u);
    }
  }
  const exits = input.fragments.exits;
  for (const [t, us] of input.fragments.edges) {
    if (!edges.has(t)) return false;
    for (const [u, n] of us) {
      if (!tops.has(u)) return false;
      addEdge(edges, t, u, n);
    }
  }
  // A fragment's exit was summarised as a leaf: it must be one here.
  if (input.table === 'nat') {
    for (const e of exits) if (!tops.has(e) || fragHeight.has(e) || (edges.get(e)?.size ?? 0) > 0) return false;
  }
  const topShape = new Map<string, Shape>();
  const onStack = new Set<string>();
  const shapeOfTop = (t: string): Shape | null => {
    const known = topShape.get(t);
    if (known !== undefined) return known;
    if (onStack.has(t)) return null;
    onStack.add(t);
    let height = fragHeight.get(t) ?? 0;
    let entries = cap(1 + (fragEntries.get(t) ?? 0));
    // Each jump is walked: a target jumped to n times counts its entries n times.
    for (const [u, n] of edges.get(t) ?? []) {
      const s = shapeOfTop(u);
      if (s === null) return null;
      height = Math.max(height, s.height + 1);
      entries = cap(entries + n * s.entries);
    }
    onStack.delete(t);
    const shape = { height, entries };
    topShape.set(t, shape);
    return shape;
  };
  for (const t of tops.keys()) if (shapeOfTop(t) === null) return false;
  return existingPasses(input, topShape);
}

/**
 * What {@link provenLoads} reads of the table as it is before the restore, as text: each
 * chain's name and the targets of its jumps in rule order (existingPasses reads nothing else).
 * Two tables with the same key get the same answer from the same payload.
 */
export function loadedJumpsKey(existing: Table | undefined): string {
  if (existing === undefined) return '';
  let key = '';
  for (const c of existing.chains) {
    key += `${c.name}\u0001`;
    for (const r of c.rules) {
      const t = jumpTarget(r);
      if (t !== undefined) key += `${t}\u0001`;
    }
    key += '\u0000';
  }
  return key;
}

/**
 * The chains already loaded: those the payload does not replace must not jump into it (a
 * built-in chain may, at depth 1), and the walk from each built-in chain, with the top-level
 * chains as summarised leaves, must stay within the kernel's limits.
 */
function existingPasses(input: NestingInput, topShape: ReadonlyMap<string, Shape>): boolean {
  const old = new Map<string, Chain>();
  const bases: Chain[] = [];
  for (const c of input.existing?.chains ?? []) {
    if (isBuiltinChain(input.table, c.name)) bases.push(c);
    else if (input.tops.has(c.name)) continue; // replaced by the payload's
    else if (input.payloadName(c.name)) return false;
    else old.set(c.name, c);
  }
  for (const c of old.values()) {
    for (const r of c.rules) {
      const t = jumpTarget(r);
      if (t !== undefined && (input.tops.has(t) || input.payloadName(t))) return false;
    }
  }
  const shapes = new Map<string, Shape>();
  const onStack = new Set<string>();
  // Depth-first as the kernel walks: `depth` is the chain's own depth below the base chain.
  const walk = (name: string, depth: number): Shape | null => {
    const top = topShape.get(name);
    if (top !== undefined) return depth + top.height <= MAX_JUMP_DEPTH ? top : null;
    if (depth > MAX_JUMP_DEPTH || onStack.has(name)) return null;
    const known = shapes.get(name);
    if (known !== undefined && depth + known.height <= MAX_JUMP_DEPTH) return known;
    const chain = old.get(name);
    if (chain === undefined) return input.payloadName(name) ? null : LEAF;
    return combine(name, targetsOf(chain), (t) => walk(t, depth + 1), LEAF, { onStack, memo: shapes });
  };
  for (const base of bases) {
    let entries = 1;
    for (const r of base.rules) {
      const t = jumpTarget(r);
      if (t === undefined) continue;
      if (!input.tops.has(t) && input.payloadName(t)) return false;
      const below = walk(t, 1);
      if (below === null) return false;
      entries = cap(entries + below.entries);
    }
    if (entries > MAX_CHAIN_ENTRIES) return false;
  }
  return true;
}
