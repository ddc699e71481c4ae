import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cliDir = join(import.meta.dirname, '../../src/cli');
const sources = readdirSync(cliDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => readFileSync(join(cliDir, f), 'utf8'))
  .join('\n');
const doc = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');

describe("the CLI's diagnostic codes", () => {
  const used = [...new Set(sources.match(/'FILE_[A-Z_0-9]+'/g)?.map((s) => s.slice(1, -1)))].sort();

  it('are the three file codes', () => {
    expect(used).toEqual(['FILE_NOT_UTF8', 'FILE_UNREADABLE', 'FILE_UNWRITABLE']);
  });

  it.each(used)('%s is documented in docs/errors.md', (code) => {
    expect(doc).toMatch(new RegExp(`### \`${code}\` \\(error\\)`));
  });
});
