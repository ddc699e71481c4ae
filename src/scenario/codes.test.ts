import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_CODES } from './codes.js';
import { loadScenario } from './load.js';
import { CLUSTER, SCENARIO_CASES, portExhaustedCase } from '../../test/errors/scenario-cases.js';

/**
 * Loads `text` in which `«` marks where the diagnostic must point, and returns the marker's
 * `file:line:col` and every diagnostic as `CODE@file:line:col`.
 */
function locate(text: string): { want: string; got: string[] } {
  const at = text.indexOf('«');
  const clean = text.replace('«', '');
  const before = clean.slice(0, at).split('\n');
  const want = `s.yaml:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
  const { diagnostics } = loadScenario([{ path: 's.yaml', text: clean }]);
  return { want, got: diagnostics.map((d) => `${d.code}@${d.pos?.file}:${d.pos?.line}:${d.pos?.col}`) };
}

const CASES = SCENARIO_CASES;

describe('every scenario code, at its file:line:col', () => {
  it.each(CASES.filter(([, text]) => text !== ''))('%s', (code, text) => {
    const { want, got } = locate(text);
    expect(got, `want ${code}@${want}`).toContain(`${code}@${want}`);
  });

  it('SCN_PORT_EXHAUSTED when every node port is taken', () => {
    const { want, got } = locate(portExhaustedCase());
    expect(got).toContain(`SCN_PORT_EXHAUSTED@${want}`);
  });

  it('lists every code the cases cover', () => {
    expect(CASES.map(([c]) => c).sort()).toEqual(Object.keys(SCENARIO_CODES).sort());
  });
});

/** Positions that once pointed elsewhere (issue 9): each must be at the offending token. */
const POSITION_CASES: readonly (readonly [string, string, string])[] = [
  ['an unclosed quote, at its opening quote', 'SCN_YAML_SYNTAX', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeName: «"n1\n  containers: []\n${'x: y\n'.repeat(50)}`],
  ['an unclosed single quote, at its opening quote', 'SCN_YAML_SYNTAX', `${CLUSTER}---\nkind: Pod\nmetadata: {name: «'p}\n`],
  ['an undefined alias, at the alias', 'SCN_YAML_SYNTAX', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: «*nope}\nspec: {containers: []}\n`],
  ['nodes: [] at the empty list', 'SCN_NO_NODES', CLUSTER.replace('nodes: [{name: n1}, {name: n2}]', 'nodes: «[]')],
  ['no nodes list at the spec key', 'SCN_NO_NODES', CLUSTER.replace('spec:\n  nodes: [{name: n1}, {name: n2}]', '«spec:\n  clusterCIDR: 10.244.0.0/16')],
  ['a local tag at the tag', 'SCN_YAML_TAG', `${CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: «!foo &x b}}\n`],
  ['too deep block nesting at the first level too many', 'SCN_TOO_DEEP', `${CLUSTER}---\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')}\n${' '.repeat(100)}«k: v\n`],
  ['an alias bomb, at its first alias', 'SCN_YAML_SYNTAX', `${CLUSTER}---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [«*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`],
  ['a DEL character', 'SCN_BAD_CHARACTER', `${CLUSTER}# fine\n# «\u007f\n`],
];

describe('positions at the offending token', () => {
  it.each(POSITION_CASES)('%s', (_what, code, text) => {
    const { want, got } = locate(text);
    expect(got, `want ${code}@${want}`).toContain(`${code}@${want}`);
  });
});

describe('the code list', () => {
  const sources = listTs(join(import.meta.dirname)).map((f) => readFileSync(f, 'utf8')).join('\n');
  const used = new Set(sources.match(/'SCN_[A-Z0-9_]+'/g)?.map((s) => s.slice(1, -1)));

  it('has every code the loader emits, and only those', () => {
    expect([...used].sort()).toEqual(Object.keys(SCENARIO_CODES).sort());
  });

  it('is documented in docs/errors.md with the right severity', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');
    for (const [code, { severity }] of Object.entries(SCENARIO_CODES)) {
      expect(doc, code).toMatch(new RegExp(`### \`${code}\` \\(${severity}\\)`));
    }
  });

  it('has the severity each emitted diagnostic carries', () => {
    for (const [, text] of CASES) {
      for (const d of loadScenario([{ path: 's.yaml', text: text.replace('«', '') }]).diagnostics) {
        expect(d.severity, d.code).toBe(SCENARIO_CODES[d.code]?.severity);
      }
    }
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}
