/**
 * The fast YAML reader (src/scenario/fast-yaml) against yaml on every YAML file the project
 * ships or tests with: scenarios/, test/fixtures, test/golden, one example per scenario
 * diagnostic (test/errors/scenario-cases.ts) and the bench's shapes, well-formed and hostile.
 * Each must read the same both ways: values, diagnostics, the position of every path, and the
 * whole loader's result. The property test beside the reader covers random texts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_SHAPES } from '../../bench/scenario-size.js';
import { VALID_SHAPES } from '../../bench/validate-shapes.js';
import { readersDiffer, readsFast } from '../../src/scenario/fast-yaml/compare.js';
import { loadScenario } from '../../src/scenario/load.js';
import { portExhaustedCase, SCENARIO_CASES } from '../errors/scenario-cases.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function same(path: string, text: string): void {
  const files = [{ path, text }];
  expect(readersDiffer(files)).toBeUndefined();
  expect(loadScenario(files)).toStrictEqual(loadScenario(files, { yamlReader: 'library' }));
}

describe('fast and library YAML readers agree on every fixture', () => {
  // yaml's Parser reads process.env once per token (see src/cli/main.ts).
  process.env = { ...process.env };
  const files = [...yamlFiles('scenarios'), ...yamlFiles('test/fixtures'), ...yamlFiles('test/golden')];
  it.each(files)('%s', (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    same(path, text);
    // The shipped scenarios are what the fast path is for: it must read them itself.
    if (path.startsWith('scenarios/')) expect(readsFast(text)).toBe(true);
  }, 300_000);

  it.each(SCENARIO_CASES.map(([code, text]) => [code, text.replace('«', '')]))('diagnostic example %s', (code, text) => same(`${code}.yaml`, text));
  it('SCN_PORT_EXHAUSTED', () => same('ports.yaml', portExhaustedCase().replace('«', '')));

  it.each(Object.entries({ ...VALID_SHAPES, ...HOSTILE_SHAPES }))('bench shape %s (60 KB)', (_name, make) => same('shape.yaml', make(60_000)));
});
