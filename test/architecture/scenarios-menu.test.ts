/** Every scenario in scenarios/ is in the playground's menu (but those marked no-golden: too large to bundle), so the page offers what the CLI ships. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { isNoGolden } from '../helpers/scenarios.js';

const ROOT = resolve(import.meta.dirname, '../..');

it('web/builtins.ts lists every scenarios/*.yaml', () => {
  const menu = readFileSync(join(ROOT, 'web/builtins.ts'), 'utf8');
  const missing = readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml') && !isNoGolden(join(ROOT, 'scenarios', f)))
    .filter((f) => !menu.includes(`'../scenarios/${f}'`) || !menu.includes(`path: 'scenarios/${f}'`));
  expect(missing).toEqual([]);
});

it("README's table of example scenarios names every scenarios/*.yaml", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const missing = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml') && !readme.includes(`\`${f}\``));
  expect(missing).toEqual([]);
});
