/**
 * Golden tests against the kernel: every `test/fixtures/nftables/NAME.nft` was loaded into a
 * namespace with `nft -f` (nft 1.0.6, Linux 6.18) and `NAME.list` is what `nft list ruleset`
 * printed back. Parsing the input and printing must give the kernel's bytes, and the kernel's
 * output must survive parse∘print unchanged. No root needed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNft } from './parse.js';
import { printNft } from './print.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/nftables');
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.nft'))
  .map((f) => f.slice(0, -'.nft'.length));

describe('nft fixtures (kernel output, nft 1.0.6)', () => {
  it('has fixtures', () => expect(NAMES.length).toBeGreaterThan(0));

  it.each(NAMES)('%s: parse(input) prints exactly what the kernel listed', (name) => {
    const input = readFileSync(join(DIR, `${name}.nft`), 'utf8');
    const want = readFileSync(join(DIR, `${name}.list`), 'utf8');
    const parsed = parseNft(input, { file: `${name}.nft` });
    expect(parsed.diagnostics).toEqual([]);
    expect(printNft(parsed.value)).toBe(want);
  });

  it.each(NAMES)('%s: parse(list) → print is the identity', (name) => {
    const list = readFileSync(join(DIR, `${name}.list`), 'utf8');
    const parsed = parseNft(list, { file: `${name}.list` });
    expect(parsed.diagnostics).toEqual([]);
    expect(printNft(parsed.value)).toBe(list);
  });
});
