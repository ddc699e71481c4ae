/**
 * One nft base chain at its hook (`nft_do_chain()`, net/netfilter/nf_tables_core.c): rules in
 * order; `jump` pushes a return point, `goto` does not; `return` or the end of a regular chain
 * pops; with nothing to pop the base chain's policy decides. Every rule that matched to its end
 * or gave a verdict is reported, as `nft monitor trace` reports it (a rule that did not match is
 * not), and so is the policy when it decides.
 */
import { InternalError } from '../../../diag/diagnostic.js';
import type { NftCtx } from './ctx.js';
import { runRule } from './eval-stmt.js';
import type { NftChain, NftRule, NftTable } from './model.js';
import { formatRule, formatVerdict } from './print-rule.js';

/** The verdict of a base chain, and where it was decided (`ip kube-proxy/chain#2`, `…:policy`). */
export interface NftChainVerdict {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly rejectWith?: string;
  readonly decidedBy: string;
}

/** Nesting bound: the kernel refuses rulesets deeper than NFT_JUMP_STACK_SIZE (16) jumps; loops are refused at load. */
const MAX_STEPS = 100_000;

/** Chains by name, built once per table value (tables are immutable): jumps are O(1), as in the kernel. */
const CHAINS = new WeakMap<NftTable, ReadonlyMap<string, NftChain>>();

function chainsOf(t: NftTable): ReadonlyMap<string, NftChain> {
  let m = CHAINS.get(t);
  if (m === undefined) {
    m = new Map(t.chains.map((ch) => [ch.name, ch]));
    CHAINS.set(t, m);
  }
  return m;
}

/** Runs `base` (a base chain of `c.table`). */
export function runBaseChain(base: NftChain, c: NftCtx): NftChainVerdict {
  const t = c.table;
  const where = `${t.family} ${t.name}`;
  const chains = chainsOf(t);
  const devs = { ...(c.env.inDev !== undefined ? { inDev: c.env.inDev } : {}), ...(c.env.outDev !== undefined ? { outDev: c.env.outDev } : {}) };
  c.env.emit({ kind: 'nft-hook', ns: c.env.ns, hook: c.hook, family: t.family, table: t.name, chain: base.name, packet: c.packet, ...devs });
  const stack: { chain: NftChain; next: number }[] = [];
  let chain = base;
  let i = 0;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    if (i >= chain.rules.length) {
      const back = stack.pop();
      if (back === undefined) break;
      chain = back.chain;
      i = back.next;
      continue;
    }
    const rule = chain.rules[i] as NftRule;
    c.chain = chain.name;
    c.position = i + 1;
    const out = runRule(rule, c);
    i++;
    if (out.kind === 'break') continue;
    const v = out.kind === 'continue' ? { kind: 'continue' as const } : out.verdict;
    const label = v.kind === 'reject' ? 'drop' : formatVerdict(v);
    c.env.emit({ kind: 'nft-rule', ns: c.env.ns, hook: c.hook, family: t.family, table: t.name, chain: chain.name, position: c.position, rule: formatRule(rule), verdict: label });
    const decidedBy = `${where}/${chain.name}#${c.position}`;
    switch (v.kind) {
      case 'continue':
        continue;
      case 'accept':
        return { verdict: 'ACCEPT', decidedBy };
      case 'drop':
        return { verdict: 'DROP', decidedBy };
      case 'reject':
        return { verdict: 'REJECT', rejectWith: v.with, decidedBy };
      case 'return': {
        // Back to the caller; from the base chain itself, on to the policy.
        const back = stack.pop() ?? { chain: base, next: base.rules.length };
        chain = back.chain;
        i = back.next;
        break;
      }
      case 'jump':
      case 'goto': {
        const next = chains.get(v.chain);
        if (next === undefined) throw new InternalError(`nft ${where}: ${v.kind} to missing chain ${v.chain}`);
        if (v.kind === 'jump') stack.push({ chain, next: i });
        chain = next;
        i = 0;
        break;
      }
      default: {
        const never: never = v;
        return never;
      }
    }
  }
  const policy = base.base?.policy ?? 'accept';
  c.env.emit({ kind: 'nft-policy', ns: c.env.ns, hook: c.hook, family: t.family, table: t.name, chain: base.name, policy, mark: c.mark });
  return { verdict: policy === 'accept' ? 'ACCEPT' : 'DROP', decidedBy: `${where}/${base.name}:policy` };
}
