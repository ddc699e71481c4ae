import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH, defaultScenarioText } from './default.js';
import { loadScenario } from './load.js';
import { goldenScenarios } from '../../test/helpers/scenarios.js';

describe('built-in and example scenarios', () => {
  it('defaultScenarioText() is scenarios/default.yaml byte for byte', () => {
    expect(defaultScenarioText()).toBe(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8'));
  });

  // The examples are goldens: each loads, with exactly the warnings it is there to show.
  const expected: Readonly<Record<string, readonly string[]>> = {
    'default.yaml': [],
    'kubectl-list.yaml': [],
    'no-endpoints.yaml': ['SCN_SELECTOR_MATCHES_NOTHING'],
  };

  it.each(goldenScenarios())('scenarios/%s loads', (name) => {
    const path = `scenarios/${name}`;
    const r = loadScenario([{ path, text: readFileSync(path, 'utf8') }]);
    expect(r.value, 'a spec').toBeDefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(expected[name] ?? []);
  });
});
