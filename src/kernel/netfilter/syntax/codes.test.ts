/** Every diagnostic code the syntax and ipset layers can emit is documented in docs/errors.md. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

it('documents every IPT_ and IPSET_ code', () => {
  const docs = readFileSync(join(HERE, '../../../../docs/errors.md'), 'utf8');
  const codes = new Set(
    [...sources(HERE), ...sources(join(HERE, '../ipset'))].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'((?:IPT|IPSET)_[A-Z_]+)'/g)].map((m) => m[1] as string)),
  );
  expect(codes.size).toBeGreaterThan(15);
  const missing = [...codes].filter((c) => !docs.includes(`### \`${c}\``));
  expect(missing, 'codes without a docs/errors.md entry').toEqual([]);
});
