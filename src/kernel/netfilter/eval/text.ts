/**
 * The iptables-save text of a rule, for `nf-rule` events: the engine's single import of canonical
 * rule text, from the syntax module's printer. Texts are cached per rule object (only matched
 * rules are printed, but a hot rule matches for every packet).
 */
import type { Rule } from '../rule.js';
import { printRule } from '../syntax/index.js';

const cache = new WeakMap<Rule, { chain: string; text: string }>();

/** `-A CHAIN …` exactly as iptables-save prints the rule. */
export function ruleText(chain: string, rule: Rule): string {
  const hit = cache.get(rule);
  if (hit !== undefined && hit.chain === chain) return hit.text;
  const text = printRule(chain, rule);
  cache.set(rule, { chain, text });
  return text;
}
