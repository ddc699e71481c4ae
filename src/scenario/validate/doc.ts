/**
 * The "Names and numbers" tables of docs/scenario-format.md, rendered from rules.ts and
 * uses.ts; doc.test.ts checks the page holds exactly this text, so the two cannot drift.
 */
import { RULES } from './rules.js';
import { INT_FIELDS, LIST_FIELDS, TEXT_FIELDS, type TextRule } from './uses.js';

/** Markdown: which field follows which rule, and the integer ranges. */
export function namesAndNumbersMarkdown(): string {
  const text = Object.entries(TEXT_FIELDS).map(([field, u]: [string, TextRule]) => {
    const how = u.normalize === undefined ? '' : ` (${u.normalize === 'lowercase' ? 'lowercased' : 'one trailing dot removed'})`;
    return `| \`${field}\` | ${u.rule}${how} | ${u.by} |`;
  });
  const lists = Object.entries(LIST_FIELDS).map(([field, r]) => `| \`${field}\` | at most ${r.max} items | ${r.by} |`);
  const rules = Object.entries(RULES).map(([name, r]) => `| ${name} | ${r.summary} | ${r.upstream} | \`${r.code}\` |`);
  const ints = Object.entries(INT_FIELDS).map(([field, r]) => {
    const unset = 'unset' in r ? ` (${r.unset}: unset)` : '';
    return `| \`${field}\` | ${r.min}–${r.max}${unset} | ${r.message} | ${r.by} |`;
  });
  return [
    '| field | rule | applied by |', '| --- | --- | --- |', ...text, '',
    '| rule | what it allows | upstream | code |', '| --- | --- | --- | --- |', ...rules, '',
    '| integer field | range | message | applied by |', '| --- | --- | --- | --- |', ...ints, '',
    '| list | limit | applied by |', '| --- | --- | --- |', ...lists, '',
  ].join('\n');
}
