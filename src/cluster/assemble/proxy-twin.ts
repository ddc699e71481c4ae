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
  readonly scans?: readonly ScannedLine[];
}

/** A fragment of the same port already parsed (a node's own port's shared fragment), whose lines it may repeat. */
export interface Twin {
  readonly fragment: PortFragment;
  readonly parsed: TwinParse;
}

/**
 * The twin's parsed line of a dispatch text of one table, or undefined when the twin does not
 * hold the text. An own port writes its lines in its twin's order but for the few that differ,
 * so the twin's line at the same position `k` is tried first (a string comparison, not a hash).
 */
export function twinLine(twin: Twin | undefined, table: 'filter' | 'nat', text: string, k: number): RuleLine | undefined {
  if (twin === undefined) return undefined;
  const texts = table === 'filter' ? twin.fragment.filter : twin.fragment.natDispatch;
  const lines = table === 'filter' ? twin.parsed.filter : twin.parsed.natDispatch;
  const at = texts[k] === text ? k : texts.indexOf(text);
  return at < 0 ? undefined : lines[at];
}

/** The twin's scans of its nat rule lines: those it kept when it was parsed, else scanned now; undefined when one does not scan. */
function twinScans(twin: Twin): readonly ScannedLine[] | undefined {
  if (twin.parsed.scans !== undefined) return twin.parsed.scans;
  const out: ScannedLine[] = [];
  for (const t of twin.fragment.natRules) {
    const s = scanRuleLine(t);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** The scan of the `k`th nat rule line: the twin's when its `k`th line is the same text (a scan depends on the text alone). */
export function scanWithTwin(text: string, k: number, twin: Twin | undefined): ScannedLine | undefined {
  const scans = twin?.parsed.scans;
  return scans !== undefined && twin?.fragment.natRules[k] === text ? scans[k] : scanRuleLine(text);
}

/**
 * The twin's nat chains that `f` (whose rule lines scan as `scanned`) writes line for line
 * alike, by name. The twin's lines are placed by their scan (what their parse gives, checked
 * when they are parsed: proxy-parts.ts); a twin line the scan cannot read leaves nothing to take.
 */
export function twinChains(f: PortFragment, scanned: readonly ScannedLine[], twin: Twin): Map<string, Chain> {
  const taken = new Map<string, Chain>();
  const scans = twinScans(twin);
  if (scans === undefined) return taken;
  const group = (texts: readonly string[], by: readonly ScannedLine[]): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    texts.forEach((t, k) => {
      const chain = (by[k] as ScannedLine).chain;
      const into = out.get(chain);
      if (into === undefined) out.set(chain, [t]);
      else into.push(t);
    });
    return out;
  };
  const mine = group(f.natRules, scanned);
  const theirs = group(twin.fragment.natRules, scans);
  for (const c of twin.parsed.natChains) {
    const a = mine.get(c.name) ?? [];
    const b = theirs.get(c.name) ?? [];
    if (f.natChains.includes(c.name) && a.length === b.length && a.every((t, i) => t === b[i])) taken.set(c.name, c);
  }
  return taken;
}
