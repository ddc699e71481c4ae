/**
 * A node's own service port beside its shared fragment (its twin, parsed for the settings' base:
 * proxy-base.ts): what of the twin's parse the own fragment may take as it is. A rule line's
 * parse depends on its text, its family and its table alone, so a dispatch line whose text the
 * twin holds is the twin's parsed line, and an own chain whose lines are, in order, the twin's
 * chain's lines is the twin's chain (chains are shared between nodes already: parsed rules are
 * immutable). A policy-Local port with an endpoint on the node differs from its twin in a chain
 * or two (KUBE-SVL, KUBE-EXT) and a filter line: the rest is not parsed again on every node.
 */
import type { Chain } from '../../kernel/netfilter/index.js';
import type { RuleLine } from '../../kernel/netfilter/syntax/index.js';
import { type ScannedLine, scanRuleLine } from '../../kernel/netfilter/syntax/rule-lines.js';
import type { PortFragment } from '../../proxy/index.js';

/** A parsed fragment, as proxy-parts.ts ParsedFragment has it (the part read here). */
interface TwinParse {
  readonly filter: readonly RuleLine[];
  readonly natDispatch: readonly RuleLine[];
  readonly natChains: readonly Chain[];
}

/** A fragment of the same port already parsed (a node's own port's shared fragment), whose lines it may repeat. */
export interface Twin {
  readonly fragment: PortFragment;
  readonly parsed: TwinParse;
}

/**
 * What a twin offers, read once per twin: its parsed dispatch line by text, per table; the scan
 * of each of its nat rule lines by text (null when one does not scan: nothing is taken then);
 * its nat rule texts by chain. A twin is a shared fragment, met by every node hosting an
 * endpoint of its port, so this is not read again on each of them.
 */
interface TwinIndex {
  readonly fragment: PortFragment;
  readonly filter: ReadonlyMap<string, RuleLine>;
  readonly nat: ReadonlyMap<string, RuleLine>;
  readonly scans: ReadonlyMap<string, ScannedLine> | null;
  /** The same scans in line order. */
  readonly scanList: readonly ScannedLine[] | null;
  readonly byChain: ReadonlyMap<string, readonly string[]> | null;
}

const indexes = new WeakMap<TwinParse, TwinIndex>();

function indexOf(twin: Twin): TwinIndex {
  const hit = indexes.get(twin.parsed);
  if (hit !== undefined && hit.fragment === twin.fragment) return hit;
  const f = twin.fragment;
  let scans: Map<string, ScannedLine> | null = new Map();
  let byChain: Map<string, string[]> | null = new Map();
  let scanList: ScannedLine[] | null = [];
  for (const t of f.natRules) {
    const s = scanRuleLine(t);
    if (s === undefined) {
      scans = byChain = scanList = null;
      break;
    }
    scans.set(t, s);
    scanList.push(s);
    const into = byChain.get(s.chain);
    if (into === undefined) byChain.set(s.chain, [t]);
    else into.push(t);
  }
  const lines = (texts: readonly string[], parsed: readonly RuleLine[]): Map<string, RuleLine> => new Map(texts.map((t, j) => [t, parsed[j] as RuleLine]));
  const index = { fragment: f, filter: lines(f.filter, twin.parsed.filter), nat: lines(f.natDispatch, twin.parsed.natDispatch), scans, scanList, byChain };
  indexes.set(twin.parsed, index);
  return index;
}

/**
 * The twin's parsed line of a dispatch text of one table, or undefined when the twin does not
 * hold the text. An own port writes its lines in its twin's order but for the few that differ,
 * so the twin's line at the same position `k` is tried first (a string comparison, not a hash).
 */
export function twinLine(twin: Twin | undefined, table: 'filter' | 'nat', text: string, k: number): RuleLine | undefined {
  if (twin === undefined) return undefined;
  const texts = table === 'filter' ? twin.fragment.filter : twin.fragment.natDispatch;
  if (texts[k] === text) return (table === 'filter' ? twin.parsed.filter : twin.parsed.natDispatch)[k];
  return indexOf(twin)[table].get(text);
}

/** The scan of the `k`th nat rule line, the twin's when it holds the text (a scan depends on the text alone). */
export function scanWithTwin(text: string, k: number, twin: Twin | undefined): ScannedLine | undefined {
  if (twin === undefined) return scanRuleLine(text);
  const index = indexOf(twin);
  if (index.scanList !== null && twin.fragment.natRules[k] === text) return index.scanList[k];
  return index.scans?.get(text) ?? scanRuleLine(text);
}

/**
 * The twin's nat chains that `f` (whose rule lines scan as `scanned`) writes line for line
 * alike, by name. The twin's lines are placed by their scan (what their parse gives, checked
 * when they are parsed: proxy-parts.ts); a twin line the scan cannot read leaves nothing to take.
 */
export function twinChains(f: PortFragment, scanned: readonly ScannedLine[], twin: Twin): Map<string, Chain> {
  const taken = new Map<string, Chain>();
  const theirs = indexOf(twin).byChain;
  if (theirs === null) return taken;
  const mine = new Map<string, string[]>();
  scanned.forEach((s, k) => {
    const t = f.natRules[k] as string;
    const into = mine.get(s.chain);
    if (into === undefined) mine.set(s.chain, [t]);
    else into.push(t);
  });
  for (const c of twin.parsed.natChains) {
    const a = mine.get(c.name) ?? [];
    const b = theirs.get(c.name) ?? [];
    if (f.natChains.includes(c.name) && a.length === b.length && a.every((t, i) => t === b[i])) taken.set(c.name, c);
  }
  return taken;
}
