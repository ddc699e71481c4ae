/**
 * A node's kube-proxy restore as a difference from its settings' shared base, at the cost of
 * the node's own service ports rather than of every Service.
 *
 * Nodes with the same kube-proxy settings write the same payload but for a few ports (a local
 * endpoint under a traffic policy Local, topology hints: shared-payload.ts), and a fresh node's
 * tables hold the same chain names before the sync. So the restored tables are laid out alike:
 * the chains that were there, then the payload's chains in name order. The base (the payload
 * with every port's shared fragment, parsed once) fixes that layout once per settings and per
 * set of chain names already loaded; a node's tables are then the base's chain array with the
 * slots of its own ports' chains, and of any top-level chain whose rules differ, replaced. The
 * top-level chains that do not differ are the base's chain objects, with their dispatch index.
 * The name index of the new table is the layout's (state.ts setChainIndex), and the nesting
 * check is proven from the base's summary merged with the node's own ports (proxy-nesting.ts).
 *
 * Anything outside that shape (a port whose chains differ in name from its shared fragment's, a
 * payload chain already loaded under its name, a proof in doubt) answers `undefined`, and the
 * caller restores the parts in full (proxy-parts.ts), which gives the same tables:
 * lazy-proxy.test.ts and lazy-proxy.property.test.ts compare both with the text's restore.
 */
import type { Chain, Table } from '../../kernel/netfilter/index.js';
import { type NetfilterState, loadRuleset, setChainIndex } from '../../kernel/netfilter/state.js';
import { BUILTIN_CHAINS } from '../../kernel/netfilter/syntax/index.js';
import { nestingProblem } from '../../kernel/netfilter/syntax/nesting.js';
import type { PayloadMemo, PayloadParts, PortFragment } from '../../proxy/index.js';
import { type Base, type KubeTable, type TopChain, dispatchOf, dispatchText, headPlan, layoutFor, makeBase, patchedTop, sameLines } from './proxy-base.js';
import { type FragmentAggregate, type FragmentShape, aggregateFragments, loadedJumpsKey, mergeAggregates, provenLoads } from './proxy-nesting.js';
import { type ParsedFragment, chainRanks, parseOwnFragments } from './proxy-parts.js';

const TABLES: readonly KubeTable[] = ['filter', 'nat'];
const bases = new WeakMap<PayloadMemo, Map<string, Base>>();

/** Options of {@link restoreDelta}. */
export interface DeltaOptions {
  /** Told which way the restore went (for tests). */
  readonly onPath?: (path: 'delta' | 'full', why?: string) => void;
}

/**
 * `iptables-restore --noflush` of the parts into `state` as a difference from the settings'
 * base (see the module comment): true when done, false when the caller must restore the parts
 * in full (nothing was changed then).
 */
export function restoreDelta(state: NetfilterState, parts: PayloadParts, memo: PayloadMemo, opts: DeltaOptions = {}): boolean {
  const why = deltaRestore(state, parts, memo);
  opts.onPath?.(why === undefined ? 'delta' : 'full', why);
  return why === undefined;
}

function baseOf(memo: PayloadMemo, parts: PayloadParts): Base {
  const { key, fragments } = parts.shared;
  let byKey = bases.get(memo);
  if (byKey === undefined) bases.set(memo, (byKey = new Map()));
  let base = byKey.get(key);
  if (base === undefined) byKey.set(key, (base = makeBase(memo, parts, fragments)));
  return base;
}

/**
 * The node's own ports: those whose fragment is not the shared one, in port order. Only the
 * ports the memo calls node-specific can be (shared-payload.ts buildPayloadParts rebuilds those,
 * `parts.own`, and shares the fragment of every other): a policy-Local port with an endpoint on
 * the node, or a hinted one. So a node looks at its few ports, not at all 10,000.
 */
export function ownPorts(parts: PayloadParts, shared: readonly PortFragment[]): number[] {
  const mine: number[] = [];
  for (const [i, f] of parts.own) if (f !== shared[i]) mine.push(i);
  return mine;
}

/** Restores the parts as a delta, or says why it cannot. */
function deltaRestore(state: NetfilterState, parts: PayloadParts, memo: PayloadMemo): string | undefined {
  const base = baseOf(memo, parts);
  if (base.aggregate === null) return 'a fragment the proof cannot summarise';
  const mine = ownPorts(parts, base.fragments);
  const parsed = new Map<number, ParsedFragment>();
  // The node's own ports repeat most of their shared fragment's dispatch lines: those are not parsed again.
  const twins = mine.map((i) => ({ fragment: base.fragments[i] as PortFragment, parsed: base.parsed[i] as ParsedFragment }));
  // No closure here may capture `parts`: the chains' closures below live as long as the node, and
  // V8 would keep the function's context, and the node's parts with it, alive with them.
  const mineFragments: PortFragment[] = [];
  for (const i of mine) mineFragments.push(parts.own.get(i) as PortFragment);
  const mineParsed = parseOwnFragments(mineFragments, memo.family, twins);
  for (let k = 0; k < mine.length; k++) {
    const p = mineParsed[k] as ParsedFragment;
    if (p.shape === null) return 'a node-specific fragment the proof cannot summarise';
    parsed.set(mine[k] as number, p);
  }
  const tables: Table[] = [];
  const index: Array<(t: Table) => void> = [];
  for (const table of TABLES) {
    const plan = headPlan(base, memo, table, table === 'filter' ? parts.filterHead : parts.natHead, table === 'filter' ? parts.filterTail : parts.natTail);
    if (plan === null) return 'other top-level chains';
    const own = plan.own;
    // Top-level chains whose rules differ from the base's: the node's own lines (the plan's), or a port's.
    const byPorts = new Set<string>();
    for (const i of mine) {
      if (sameLines(dispatchText(parts.own.get(i) as PortFragment, table), dispatchText(base.fragments[i] as PortFragment, table))) continue;
      for (const l of dispatchOf(parsed.get(i) as ParsedFragment, table)) byPorts.add(l.chain);
      for (const l of dispatchOf(base.parsed[i] as ParsedFragment, table)) byPorts.add(l.chain);
    }
    const changed = new Set<string>([...plan.changed, ...byPorts]);
    const fresh = new Map<string, Chain>();
    for (const c of changed) {
      const t = base.tops[table].get(c);
      // A chain no own port writes to is the plan's, shared by the nodes writing the same lines.
      if (t !== undefined) fresh.set(c, byPorts.has(c) ? patchedTop(t, own, mine, parsed, table) : (plan.fresh.get(c) as Chain));
    }
    const top = (name: string): Chain => fresh.get(name) ?? (base.tops[table].get(name) as TopChain).chain;
    const existing = state.rulesets[memo.family].tables.find((t) => t.name === table);
    const loaded: readonly Chain[] = existing?.chains ?? BUILTIN_CHAINS[table].map((name): Chain => ({ name, policy: 'ACCEPT', rules: [] }));
    const layout = layoutFor(base, table, loaded);
    if (layout === null) return 'a chain already loaded under a payload name';
    const rank = chainRanks(memo);
    const proof = (agg: FragmentAggregate): boolean => provenLoads({ table, tops: own.all, fragments: agg, existing, payloadName: (c) => rank.has(c) });
    let proven: boolean;
    if (mine.length > 0) proven = proof(mergeAggregates(base.aggregate[table], aggregateFragments([...parsed.values()].map((p) => p.shape as FragmentShape), table)));
    else {
      // Without own ports the proof reads the plan's lines, the base and what the loaded table jumps to.
      const key = loadedJumpsKey(existing);
      const known = plan.proven.get(key);
      proven = known ?? proof(base.aggregate[table]);
      if (known === undefined) plan.proven.set(key, proven);
    }
    const front = [...loaded];
    for (const [at, name] of layout.replaced) front[at] = top(name);
    const frontIndex = new Map(front.map((c, i) => [c.name, i]));
    // The payload's other chains: the base's, with the node's own in their places.
    const replace = new Map<number, Chain>();
    for (const name of changed) {
      const at = layout.position.get(name);
      if (at !== undefined) replace.set(at, top(name));
    }
    const extra: Chain[] = [];
    const dropped = new Set<number>();
    if (table === 'nat') {
      for (const [i, p] of parsed) {
        const names = new Set<string>();
        const twin = (base.parsed[i] as ParsedFragment).natChains;
        for (const c of p.natChains) {
          names.add(c.name);
          // A chain taken from the twin is the base's own chain, in its place already (layoutFor
          // refuses a table holding one of the base's chains before the restore).
          if (twin.includes(c)) continue;
          const at = layout.position.get(c.name);
          if (at !== undefined) replace.set(at, c);
          else if (!rank.has(c.name) || frontIndex.has(c.name)) return 'a port chain outside the layout';
          else extra.push(c);
        }
        for (const c of (base.parsed[i] as ParsedFragment).natChains) {
          const at = layout.position.get(c.name);
          if (!names.has(c.name) && at !== undefined) dropped.add(at);
        }
      }
    }
    // The chain array (a copy of the base's 50,000 with the node's own in place) is made when
    // something enumerates the table (iptables-save, a diagram); a trace looks chains up by name.
    const result = lazyChains(table, () => spliced(front, layout.appended, { replace, dropped, extra }, rank));
    // A table the proof leaves in doubt gets the kernel's own walk, as restoreParsed does.
    if (!proven && nestingProblem(result, () => 0) !== undefined) return 'the kernel would refuse the table';
    tables.push(result);
    // The loaded chains are few: indexed here; the others are the node's own or the base's.
    const changes = new Map<string, Chain | null>();
    for (const at of dropped) changes.set((layout.appended[at] as Chain).name, null);
    for (const [at, c] of replace) changes.set((layout.appended[at] as Chain).name, c);
    for (const c of extra) changes.set(c.name, c);
    index.push((t) =>
      setChainIndex(t, {
        get: (name) => {
          const i = frontIndex.get(name);
          if (i !== undefined) return front[i];
          const changed = changes.get(name);
          if (changed !== undefined) return changed ?? undefined;
          const j = layout.position.get(name);
          return j === undefined ? undefined : layout.appended[j];
        },
      }),
    );
  }
  loadRuleset(state, { family: memo.family, tables });
  tables.forEach((t, i) => index[i]?.(t));
  return undefined;
}

/**
 * A table whose `chains` are made on first read, then kept as a plain property (the object
 * keeps its identity, so the caches keyed by it stay valid). Its own enumerable `chains` is a
 * getter until then, which `structuredClone` and spreads read like a value.
 */
function lazyChains(name: KubeTable, make: () => Chain[]): Table {
  const table = { name } as { name: KubeTable; chains: readonly Chain[] };
  return Object.defineProperty(table, 'chains', {
    enumerable: true,
    configurable: true,
    get(): readonly Chain[] {
      const chains = make();
      Object.defineProperty(table, 'chains', { value: chains, enumerable: true, configurable: true, writable: true });
      return chains;
    },
  });
}

/**
 * The loaded chains (`front`), then the base's with some replaced in place, some dropped, and
 * `extra` (not in the base) inserted in name order: what orderChains gives for the node's set.
 * A plain copy when nothing moves.
 */
function spliced(front: readonly Chain[], base: readonly Chain[], edits: { readonly replace: ReadonlyMap<number, Chain>; readonly dropped: ReadonlySet<number>; readonly extra: readonly Chain[] }, rank: ReadonlyMap<string, number>): Chain[] {
  const { replace, dropped, extra } = edits;
  // One copy of 50,000 chains per node, not two: the front and the base together.
  const out = front.concat(base);
  const skip = front.length;
  for (const [at, c] of replace) out[skip + at] = c;
  if (dropped.size === 0 && extra.length === 0) return out;
  const rankOf = (name: string): number => rank.get(name) as number;
  // Where each extra chain goes: before the first base chain ranked after it (base is in rank order).
  const before = (r: number): number => {
    let lo = 0;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rankOf((base[mid] as Chain).name) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // One pass over the base: at each position the chains inserted there (in rising rank, before
  // the base chain ranked after them), then the base chain unless dropped. Splicing each edit into
  // the 50,000-chain array instead costs a move of the array per edit.
  const inserts = extra.map((c) => ({ chain: c, rank: rankOf(c.name), at: 0 }));
  for (const x of inserts) x.at = before(x.rank);
  inserts.sort((x, y) => x.at - y.at || x.rank - y.rank);
  const cuts = [...new Set([...dropped, ...inserts.map((x) => x.at)])].sort((x, y) => x - y);
  const merged: Chain[] = new Array<Chain>(out.length - dropped.size + inserts.length);
  let n = 0;
  const copy = (from: number, to: number): void => {
    for (let i = skip + from; i < skip + to; i++) merged[n++] = out[i] as Chain;
  };
  copy(-skip, 0); // the loaded chains
  let from = 0;
  let next = 0;
  for (const at of cuts) {
    copy(from, at);
    while (next < inserts.length && (inserts[next] as { at: number }).at === at) merged[n++] = (inserts[next++] as { chain: Chain }).chain;
    from = dropped.has(at) ? at + 1 : at;
  }
  copy(from, base.length);
  return merged;
}
