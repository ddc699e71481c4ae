/**
 * The "Names and numbers" tables of docs/scenario-format.md, rendered from rules.ts and
 * uses.ts; doc.test.ts checks the page holds exactly this text, so the two cannot drift.
 */
import { RULES } from './rules.js';
import { INT_FIELDS, TEXT_FIELDS } from './uses.js';

/** Markdown: which field follows which rule, and the integer ranges. */
export function namesAndNumbersMarkdown(): string {
  const text = Object.entries(TEXT_FIELDS).map(([field, u]) => `| \`${field}\` | ${u.rule} | ${u.by} |`);
  const rules = Object.entries(RULES).map(([name, r]) => `| ${name} | ${r.summary} | ${r.upstream} | \`${r.code}\` |`);
  const ints = Object.entries(INT_FIELDS).map(([field, r]) => {
    const unset = 'unset' in r ? ` (${r.unset}: unset)` : '';
    return `| \`${field}\` | ${r.min}–${r.max}${unset} | ${r.message} | ${r.by} |`;
  });
  return [
    '| field | rule | applied by |', '| --- | --- | --- |', ...text, '',
    '| rule | what it allows | upstream | code |', '| --- | --- | --- | --- |', ...rules, '',
    '| integer field | range | message | applied by |', '| --- | --- | --- | --- |', ...ints, '',
  ].join('\n');
}
