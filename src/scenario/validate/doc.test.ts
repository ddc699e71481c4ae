import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namesAndNumbersMarkdown } from './doc.js';

describe('docs/scenario-format.md', () => {
  it('holds the names-and-numbers tables the rules generate', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/scenario-format.md'), 'utf8');
    const begin = '<!-- names-and-numbers:begin -->\n';
    const start = doc.indexOf(begin);
    const end = doc.indexOf('<!-- names-and-numbers:end -->');
    expect(start, 'begin marker').toBeGreaterThan(0);
    expect(doc.slice(start + begin.length, end)).toBe(namesAndNumbersMarkdown());
  });
});
