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

/** The twin's parsed line of each of its dispatch texts of one table. */
export function twinLines(twin: Twin | undefined, table: 'filter' | 'nat'): Map<string, RuleLine> | undefined {
  if (twin === undefined) return undefined;
  const texts = table === 'filter' ? twin.fragment.filter : twin.fragment.natDispatch;
  const lines = table === 'filter' ? twin.parsed.filter : twin.parsed.natDispatch;
  return new Map(texts.map((t, j) => [t, lines[j] as RuleLine]));
}

/**
 * The twin's nat chains that `f` (whose rule lines scan as `scanned`) writes line for line
 * alike, by name. A twin line is placed by the scan (what its parse gives, checked when it is
 * parsed: proxy-parts.ts), read from `f`'s scan of the same text when `f` has it; a twin line
 * the scan cannot read leaves nothing to take.
 */
export function twinChains(f: PortFragment, scanned: readonly ScannedLine[], twin: Twin): Map<string, Chain> {
  const taken = new Map<string, Chain>();
  const chainOf = new Map<string, string>();
  const mine = new Map<string, string[]>();
  scanned.forEach((s, k) => {
    const t = f.natRules[k] as string;
    chainOf.set(t, s.chain);
    const into = mine.get(s.chain);
    if (into === undefined) mine.set(s.chain, [t]);
    else into.push(t);
  });
  const theirs = new Map<string, string[]>();
  for (const t of twin.fragment.natRules) {
    const chain = chainOf.get(t) ?? scanRuleLine(t)?.chain;
    if (chain === undefined) return taken;
    const into = theirs.get(chain);
    if (into === undefined) theirs.set(chain, [t]);
    else into.push(t);
  }
  for (const c of twin.parsed.natChains) {
    const a = mine.get(c.name) ?? [];
    const b = theirs.get(c.name) ?? [];
    if (f.natChains.includes(c.name) && a.length === b.length && a.every((t, i) => t === b[i])) taken.set(c.name, c);
  }
  return taken;
}
