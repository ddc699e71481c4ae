import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_CODES } from './codes.js';
import { loadScenario } from './load.js';
import { SCENARIO_CASES, portExhaustedCase } from '../../test/errors/scenario-cases.js';

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

describe('the code list', () => {
  const sources = listTs(join(import.meta.dirname)).map((f) => readFileSync(f, 'utf8')).join('\n');
  const used = new Set(sources.match(/'SCN_[A-Z_]+'/g)?.map((s) => s.slice(1, -1)));

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
