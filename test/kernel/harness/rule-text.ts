/**
 * Just enough of the iptables-save rule syntax to name a rule's target, so that the kernel's
 * low-level verdicts (`ACCEPT` for a DNAT, `CONTINUE` for a MARK, `DROP` for a REJECT, `0xfffffffb`
 * for a RETURN) can be put in netsim's vocabulary (`DNAT`, `MARK`, `REJECT`, `RETURN`).
 */

/** Splits a rule into words the way iptables-save quotes them (`"…"` with `\"` inside). */
export function ruleWords(rule: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < rule.length; i++) {
    const c = rule[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < rule.length) cur += rule[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The rule's `-j NAME` / `-g NAME`, or undefined for a rule without a target. */
export function ruleTarget(rule: string): { readonly kind: 'jump' | 'goto'; readonly name: string } | undefined {
  const w = ruleWords(rule);
  for (let i = 0; i < w.length - 1; i++) {
    if (w[i] === '-j' || w[i] === '--jump') return { kind: 'jump', name: w[i + 1] as string };
    if (w[i] === '-g' || w[i] === '--goto') return { kind: 'goto', name: w[i + 1] as string };
  }
  return undefined;
}

/** nf_tables verdict codes that xtables-monitor 1.8.9 prints as numbers (include/uapi/linux/netfilter/nf_tables.h). */
const NUMERIC_VERDICTS: Readonly<Record<string, string>> = {
  '0xffffffff': 'CONTINUE', // NFT_CONTINUE (-1)
  '0xfffffffe': 'BREAK', // NFT_BREAK (-2)
  '0xfffffffd': 'JUMP', // NFT_JUMP (-3), normally printed as JUMP:<chain>
  '0xfffffffc': 'GOTO', // NFT_GOTO (-4), normally printed as GOTO:<chain>
  '0xfffffffb': 'RETURN', // NFT_RETURN (-5)
};

/** The kernel's verdict word with numeric codes replaced by their names. */
export function kernelVerdictName(raw: string): string {
  return NUMERIC_VERDICTS[raw.toLowerCase()] ?? raw;
}

/** Verdicts of the built-in targets that are not extension modules. */
const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/**
 * The step verdict netsim uses for a rule, from the rule text and the kernel's verdict:
 * jumps and gotos keep the kernel's `JUMP:X`/`GOTO:X`; built-in targets keep their name; an
 * extension target is named (`DNAT`, `MARK`, `REJECT`, …); a rule without a target is `CONTINUE`.
 */
export function netsimVerdict(rule: string, kernelVerdict: string): string {
  const k = kernelVerdictName(kernelVerdict);
  if (k.startsWith('JUMP:') || k.startsWith('GOTO:')) return k;
  const t = ruleTarget(rule);
  if (t === undefined) return 'CONTINUE';
  if (t.kind === 'goto') return `GOTO:${t.name}`;
  if (BUILTIN_TARGETS.has(t.name)) return t.name;
  return t.name;
}

/**
 * Whether the kernel's verdict is what the target should produce (a sanity check of the
 * parser, not of netsim): extension targets answer ACCEPT, DROP or CONTINUE; built-ins
 * answer with their own name.
 */
export function verdictConsistent(rule: string, kernelVerdict: string): boolean {
  const k = kernelVerdictName(kernelVerdict);
  const t = ruleTarget(rule);
  if (t === undefined) return k === 'CONTINUE';
  if (t.kind === 'goto') return k === `GOTO:${t.name}`;
  if (BUILTIN_TARGETS.has(t.name)) return k === t.name;
  if (k.startsWith('JUMP:')) return k === `JUMP:${t.name}`;
  return k === 'ACCEPT' || k === 'DROP' || k === 'CONTINUE';
}
