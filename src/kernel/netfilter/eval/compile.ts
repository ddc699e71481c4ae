/**
 * Rules compiled to closures, once per rule object: the option lists are read when a rule is
 * first evaluated and the result is kept in a module-level WeakMap keyed by the Rule. State stays
 * plain data (a structuredClone'd ruleset simply compiles again), and a 20,000-rule chain costs
 * a few numeric comparisons per rule per packet.
 *
 * Order follows the kernel: the IP header part first, then the `-m` matches in rule order (so a
 * statistic or recent match with effects runs only when everything before it matched).
 */
import type { Rule } from '../rule.js';
import type { EvalCtx } from './ctx.js';
import { baseMatchers } from './match/base.js';
import { compileMatch } from './match/registry.js';
import type { Matcher } from './match/types.js';
import { compileTarget } from './target/registry.js';
import type { CompiledTarget } from './target/types.js';

/** A rule ready to evaluate. */
export interface CompiledRule {
  readonly matches: (c: EvalCtx) => boolean;
  readonly target: CompiledTarget;
}

const cache = new WeakMap<Rule, CompiledRule>();

function all(ms: readonly Matcher[]): (c: EvalCtx) => boolean {
  if (ms.length === 0) return () => true;
  if (ms.length === 1) return ms[0] as Matcher;
  return (c) => {
    for (const m of ms) if (!m(c)) return false;
    return true;
  };
}

/** The compiled form of a rule (compiled on first use). */
export function compiled(rule: Rule): CompiledRule {
  let c = cache.get(rule);
  if (c === undefined) {
    const ms = baseMatchers(rule);
    for (const spec of rule.matches) {
      const m = compileMatch(spec);
      if (m !== undefined) ms.push(m);
    }
    c = { matches: all(ms), target: compileTarget(rule.target) };
    cache.set(rule, c);
  }
  return c;
}
