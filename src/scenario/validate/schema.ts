/**
 * The JSON Schema form of a rule, for the editor schema (src/scenario/schema.ts): rules made
 * of a length limit and one whole-string pattern become `pattern` and `maxLength` (characters,
 * which is bytes for the ASCII the patterns allow). Other rules have no such form.
 */
import { RULES, type RuleName, type RuleTest } from './rules.js';
import { TEXT_FIELDS, type TextField } from './uses.js';

/** `pattern` and `maxLength` of a rule, or undefined when it is not one pattern and a length. */
export function ruleSchema(rule: RuleName): { readonly pattern: string; readonly maxLength: number } | undefined {
  const tests: readonly RuleTest[] = RULES[rule].tests;
  const [limit, whole, ...rest] = tests;
  if (limit?.kind !== 'maxBytes' || whole?.kind !== 'whole' || rest.length > 0) return undefined;
  return { pattern: `^(?:${whole.format})$`, maxLength: limit.max };
}

/** The schema form of a text field's rule (see ruleSchema). */
export function textFieldSchema(use: TextField): { readonly pattern: string; readonly maxLength: number } | undefined {
  return ruleSchema(TEXT_FIELDS[use].rule);
}
