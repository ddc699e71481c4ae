import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namesAndNumbersMarkdown } from './doc.js';

const PAGE = join(import.meta.dirname, '../../../docs/scenario-format.md');
const BEGIN = '<!-- names-and-numbers:begin -->\n';
const END = '<!-- names-and-numbers:end -->';

describe('docs/scenario-format.md', () => {
  it('holds the names-and-numbers tables the rules generate (NETSIM_WRITE_DOCS=1 rewrites them)', () => {
    const doc = readFileSync(PAGE, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, 'begin marker').toBeGreaterThan(0);
    expect(end, 'end marker').toBeGreaterThan(start);
    const want = namesAndNumbersMarkdown();
    if (process.env['NETSIM_WRITE_DOCS'] === '1') writeFileSync(PAGE, doc.slice(0, start + BEGIN.length) + want + doc.slice(end));
    else expect(doc.slice(start + BEGIN.length, end)).toBe(want);
  });
});
