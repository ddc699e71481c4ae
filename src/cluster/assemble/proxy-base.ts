/**
 * The shared base of kube-proxy's delta restores (proxy-delta.ts): for one memo and one node
 * setting, every port's shared fragment parsed, the top-level chains they make (with where each
 * port's rules begin, so that a node's own ports can be spliced in), the payload's chains in
 * order, the nesting proof's summary, and the layout of the restored table for each set of
 * chain names a node holds before the restore.
 */
import { type Chain, type DispatchPiece, type Rule, spliceDispatch } from '../../kernel/netfilter/index.js';
import { BUILTIN_CHAINS, type RuleLine, isBuiltinChain } from '../../kernel/netfilter/syntax/index.js';
import type { PayloadMemo, PayloadParts, PortFragment } from '../../proxy/index.js';
import { type FragmentAggregate, type FragmentShape, aggregateFragments } from './proxy-nesting.js';
import { type ParsedFragment, chainRanks, ordered, parseFragments, parseLine } from './proxy-parts.js';

/** The tables kube-proxy's iptables payload writes. */
export type KubeTable = 'filter' | 'nat';
const ZERO = { packets: 0n, bytes: 0n } as const;

/** Where each chain of one table goes, for one set of chain names already loaded. */
export interface Layout {
  /** The payload's chains that the table did not hold, in the base's order (payload order). */
  readonly appended: readonly Chain[];
  readonly position: ReadonlyMap<string, number>;
  /** Positions in the loaded table of the top-level chains the payload replaces there. */
  readonly replaced: readonly (readonly [number, string])[];
}

/** One settings' base: every port's shared fragment, parsed, and the tables they make. */
export interface Base {
  readonly fragments: readonly PortFragment[];
  readonly parsed: readonly ParsedFragment[];
  /** Head and tail lines of the node the base was made on, by top-level chain. */
  readonly own: Readonly<Record<KubeTable, ReadonlyMap<string, readonly RuleLine[]>>>;
  readonly tops: Readonly<Record<KubeTable, ReadonlyMap<string, TopChain>>>;
  /** The payload's non-built-in chains in order (orderChains' order). */
  readonly chains: Readonly<Record<KubeTable, readonly Chain[]>>;
  readonly aggregate: Readonly<Record<KubeTable, FragmentAggregate>> | null;
  readonly layouts: Record<KubeTable, Map<string, Layout | null>>;
  /** What each node's head and tail lines make of the top-level chains, by the lines' text ({@link headPlan}). */
  readonly heads: Record<KubeTable, Map<string, HeadPlan | null>>;
}

/**
 * What a node's head and tail lines of one table make of the base's top-level chains: a
 * function of their text, so the nodes writing the same lines (most of a cluster, whose nodes
 * differ in no setting the fixed rules read) share it, and the chains it makes.
 */
export interface HeadPlan {
  readonly own: OwnLines;
  /** The top-level chains whose rules from these lines differ from the base's. */
  readonly changed: readonly string[];
  /** Those chains with these lines in place and every port's shared rules. */
  readonly fresh: ReadonlyMap<string, Chain>;
  /** Whether provenLoads holds for a node without own ports, by the loaded table's loadedJumpsKey (proxy-nesting.ts). */
  readonly proven: Map<string, boolean>;
}

/**
 * The plan of a node's head and tail lines of one table, made once per text; null when the
 * head declares other top-level chains than the base's.
 */
export function headPlan(base: Base, memo: PayloadMemo, table: KubeTable, head: PayloadParts['natHead'], tail: readonly string[]): HeadPlan | null {
  const key = `${head.chains.join('\n')}\u0000${head.rules.join('\n')}\u0000${tail.join('\n')}`;
  const plans = base.heads[table];
  const hit = plans.get(key);
  if (hit !== undefined) return hit;
  let plan: HeadPlan | null = null;
  const tops = base.tops[table];
  if (sameLines(head.chains, [...tops.keys()])) {
    const own = ownLines(memo, table, head.chains, head.rules, tail);
    const changed = head.chains.filter((c) => !sameLines(own.all.get(c), base.own[table].get(c)));
    const fresh = new Map(changed.map((c) => [c, patchedTop(tops.get(c) as TopChain, own, [], new Map(), table)]));
    plan = { own, changed, fresh, proven: new Map() };
  }
  plans.set(key, plan);
  return plan;
}

const lineCaches = new WeakMap<PayloadMemo, Map<string, RuleLine>>();

/** A head or tail line, parsed once per memo (nodes write the same ones): equal texts give the same object. */
export function cachedLine(memo: PayloadMemo, text: string, table: KubeTable): RuleLine {
  let cache = lineCaches.get(memo);
  if (cache === undefined) lineCaches.set(memo, (cache = new Map()));
  const key = `${table}\u0000${text}`;
  let line = cache.get(key);
  if (line === undefined) cache.set(key, (line = parseLine(text, memo.family, table)));
  return line;
}

/** A node's own lines of one table (its head's and its tail's), by top-level chain. */
export interface OwnLines {
  readonly head: ReadonlyMap<string, readonly RuleLine[]>;
  readonly tail: ReadonlyMap<string, readonly RuleLine[]>;
  /** All of them in order, for the proof. */
  readonly all: ReadonlyMap<string, readonly RuleLine[]>;
}

export function ownLines(memo: PayloadMemo, table: KubeTable, chains: readonly string[], head: readonly string[], tail: readonly string[]): OwnLines {
  const group = (texts: readonly string[]): Map<string, RuleLine[]> => {
    const out = new Map<string, RuleLine[]>();
    for (const t of texts) {
      const l = cachedLine(memo, t, table);
      const into = out.get(l.chain);
      if (into === undefined) out.set(l.chain, [l]);
      else into.push(l);
    }
    return out;
  };
  const h = group(head);
  const t = group(tail);
  const all = new Map<string, RuleLine[]>(chains.map((c) => [c, [...(h.get(c) ?? []), ...(t.get(c) ?? [])]]));
  return { head: h, tail: t, all };
}

/** Equal arrays, element by element (`===`). */
export function sameLines(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** A fragment's dispatch lines of one table. */
export const dispatchOf = (p: ParsedFragment, table: KubeTable): readonly RuleLine[] => (table === 'filter' ? p.filter : p.natDispatch);
export const dispatchText = (f: PortFragment, table: KubeTable): readonly string[] => (table === 'filter' ? f.filter : f.natDispatch);

/** A top-level chain of the base, with where each port's rules begin in it. */
export interface TopChain {
  readonly chain: Chain;
  /** `starts[i]`: the index of port i's first rule (`starts[ports]`: the tail's first). */
  readonly starts: Int32Array;
}

/**
 * The base's top-level chains of one table: the head's rules, every port's dispatch lines in
 * port order, the tail's (what the text's restore appends to each declared chain).
 */
export function topChains(names: readonly string[], own: OwnLines, ports: readonly ParsedFragment[], table: KubeTable): Map<string, TopChain> {
  const rules = new Map<string, { rules: Rule[]; starts: Int32Array }>(names.map((n) => [n, { rules: (own.head.get(n) ?? []).flatMap((l) => l.rules), starts: new Int32Array(ports.length + 1) }]));
  const all = [...rules.values()];
  ports.forEach((p, i) => {
    for (const c of all) c.starts[i] = c.rules.length;
    for (const l of dispatchOf(p, table)) {
      const into = rules.get(l.chain)?.rules;
      if (into !== undefined) for (const r of l.rules) into.push(r);
    }
  });
  for (const [n, c] of rules) {
    c.starts[ports.length] = c.rules.length;
    for (const l of own.tail.get(n) ?? []) for (const r of l.rules) c.rules.push(r);
  }
  return new Map([...rules].map(([name, c]) => [name, { chain: { name, counters: ZERO, rules: c.rules }, starts: c.starts }]));
}

/**
 * A base top-level chain with the node's own rules in place: its head and tail lines, and the
 * dispatch lines of its own ports (`mine`, ascending), between the base's runs of rules.
 */
export function patchedTop(top: TopChain, own: OwnLines, mine: readonly number[], parsed: ReadonlyMap<number, ParsedFragment>, table: KubeTable): Chain {
  const { chain, starts } = top;
  const name = chain.name;
  const lines = (ls: readonly RuleLine[] | undefined): DispatchPiece => ({ rules: (ls ?? []).filter((l) => l.chain === name).flatMap((l) => l.rules) });
  const pieces: DispatchPiece[] = [lines(own.head.get(name))];
  let at = starts[0] as number;
  for (const i of mine) {
    pieces.push({ chain, from: at, to: starts[i] as number }, lines(dispatchOf(parsed.get(i) as ParsedFragment, table)));
    at = starts[i + 1] as number;
  }
  pieces.push({ chain, from: at, to: starts[starts.length - 1] as number }, lines(own.tail.get(name)));
  // One copy of the base's runs (thousands of rules in KUBE-EXTERNAL-SERVICES), not a slice of each and a concatenation.
  let length = 0;
  for (const p of pieces) length += 'rules' in p ? p.rules.length : p.to - p.from;
  const copy = new Array<Rule>(length);
  let n = 0;
  for (const p of pieces) {
    if ('rules' in p) for (const r of p.rules) copy[n++] = r;
    else for (let j = p.from; j < p.to; j++) copy[n++] = chain.rules[j] as Rule;
  }
  const patched: Chain = { name, counters: ZERO, rules: copy };
  // Its index, when a packet first walks it, is copied from the base chain's.
  spliceDispatch(patched, pieces);
  return patched;
}

/** The base for the memo's shared `fragments`, on the node whose `parts` these are (its head and tail lines). */
export function makeBase(memo: PayloadMemo, parts: PayloadParts, fragments: readonly PortFragment[]): Base {
  const parsed = parseFragments(fragments, memo.family);
  const own = {
    filter: ownLines(memo, 'filter', parts.filterHead.chains, parts.filterHead.rules, parts.filterTail),
    nat: ownLines(memo, 'nat', parts.natHead.chains, parts.natHead.rules, parts.natTail),
  };
  const tops = {
    filter: topChains(parts.filterHead.chains, own.filter, parsed, 'filter'),
    nat: topChains(parts.natHead.chains, own.nat, parsed, 'nat'),
  };
  const rank = chainRanks(memo);
  const withoutBuiltins = (table: KubeTable, chains: Chain[]): Chain[] => ordered(table, chains, rank).filter((c) => !isBuiltinChain(table, c.name));
  const shapes = parsed.map((p) => p.shape);
  const all = shapes.includes(null) ? null : (shapes as FragmentShape[]);
  return {
    fragments,
    parsed,
    own: { filter: own.filter.all, nat: own.nat.all },
    tops,
    chains: {
      filter: withoutBuiltins('filter', [...tops.filter.values()].map((t) => t.chain)),
      nat: withoutBuiltins('nat', [...[...tops.nat.values()].map((t) => t.chain), ...parsed.flatMap((p) => p.natChains)]),
    },
    aggregate: all === null ? null : { filter: aggregateFragments(all, 'filter'), nat: aggregateFragments(all, 'nat') },
    layouts: { filter: new Map(), nat: new Map() },
    heads: { filter: new Map(), nat: new Map() },
  };
}

/**
 * The layout of one table for the chain names it holds before the restore (mergeTable's
 * result: the loaded chains in place, the payload's replacing its own top-level chains there,
 * then the payload's other chains in its order), or null when the base cannot say: a built-in
 * chain missing, or a loaded chain with the name of a port's chain.
 */
export function layoutFor(base: Base, table: KubeTable, loaded: readonly Chain[]): Layout | null {
  const key = loaded.map((c) => c.name).join('\n');
  const hit = base.layouts[table].get(key);
  if (hit !== undefined) return hit;
  const names = new Set(loaded.map((c) => c.name));
  let layout: Layout | null = null;
  if (BUILTIN_CHAINS[table].every((b) => names.has(b))) {
    const tops = base.tops[table];
    const payload = new Set(base.chains[table].map((c) => c.name));
    const replaced: (readonly [number, string])[] = [];
    let clash = false;
    loaded.forEach((c, i) => {
      if (tops.has(c.name)) replaced.push([i, c.name]);
      else if (payload.has(c.name)) clash = true;
    });
    if (!clash) {
      const appended = base.chains[table].filter((c) => !names.has(c.name));
      layout = { appended, position: new Map(appended.map((c, i) => [c.name, i])), replaced };
    }
  }
  base.layouts[table].set(key, layout);
  return layout;
}

