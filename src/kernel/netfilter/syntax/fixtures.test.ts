/**
 * Golden tests against the kernel: every `test/fixtures/iptables/NAME.rules` was loaded into a
 * namespace with iptables-restore and `NAME.save` is what iptables-save printed back
 * (scripts/regen-iptables-fixtures.sh). Parsing the input and printing must give the kernel's
 * bytes, and the kernel's output must survive parse∘print unchanged. No root needed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, printRuleset } from './index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/iptables');
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.rules'))
  .map((f) => f.slice(0, -'.rules'.length));

function family(name: string): 4 | 6 {
  return name.endsWith('-v6') ? 6 : 4;
}

describe('iptables fixtures (kernel output, iptables v1.8.9 nf_tables)', () => {
  it('has fixtures', () => expect(NAMES.length).toBeGreaterThan(10));

  it.each(NAMES)('%s: parse(rules) prints exactly what the kernel saved', (name) => {
    const input = readFileSync(join(DIR, `${name}.rules`), 'utf8');
    const want = readFileSync(join(DIR, `${name}.save`), 'utf8');
    const parsed = parseIptablesSave(input, { file: `${name}.rules`, family: family(name) });
    expect(parsed.diagnostics).toEqual([]);
    expect(printRuleset(parsed.value)).toBe(want);
  });

  it.each(NAMES)('%s: parse(save) → print is the identity', (name) => {
    const save = readFileSync(join(DIR, `${name}.save`), 'utf8');
    const parsed = parseIptablesSave(save, { file: `${name}.save`, family: family(name) });
    expect(parsed.diagnostics).toEqual([]);
    expect(printRuleset(parsed.value)).toBe(save);
  });
});
