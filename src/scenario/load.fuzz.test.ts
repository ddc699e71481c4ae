/**
 * Fuzzing the scenario loader from the example scenarios (mutation fuzzing with fast-check).
 * Invariants for every input: nothing is thrown, every diagnostic has a listed code and a
 * position inside the file (line and column), and each input finishes in bounded time. A
 * scenario that loads without errors must also build (app/ composes loader and builder; the
 * test reaches up a layer for that one call). `npm test` runs a small budget, `npm run fuzz`
 * (FUZZ=1) a large one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAndBuild } from '../app/scenario.js';
import { hasErrors } from '../diag/diagnostic.js';
import { applyEdits, editArb, fuzzRuns, fuzzTimeout } from '../../test/helpers/mutate.js';
import { goldenScenarios } from '../../test/helpers/scenarios.js';
import { SCENARIO_CODES } from './codes.js';
import { loadScenario } from './load.js';

const dir = join(import.meta.dirname, '../../scenarios');
// scenarios/large.yaml (no-golden, 5,000 nodes) is for the bench: mutating it would time every draw out.
const SEEDS = goldenScenarios(dir).map((n) => readFileSync(join(dir, n), 'utf8'));

/** Per input, far above the few milliseconds a scenario takes: a hang, not a slow machine. */
const BOUND_MS = 5_000;

/** Inputs the fuzzer (or a person) once found to break the loader; each stays a test. */
const FOUND: readonly (readonly [string, string])[] = [
  ['100,000 document separators (quadratic diagnostics printing)', '---\n'.repeat(100_000)],
  ['nesting past the engine stack', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
  ['a complex key (Node.js warning)', '? [a, b]\n: c\n'],
  ['an undefined alias', 'a: *nope\n'],
  ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`],
  ['a tag on a document', '!!python/object:os.system\napiVersion: v1\n'],
  ['a lone surrogate', 'a: \ud800\n'],
  ['%YAML 2.0', '%YAML 2.0\n---\na: 1\n'],
];

/** Checks the invariants for one input; returns the loader's result for further checks. */
function check(text: string): void {
  const t0 = performance.now();
  const { diagnostics } = loadScenario([{ path: 's.yaml', text }]);
  const lines = text.split('\n').length;
  for (const d of diagnostics) {
    expect(SCENARIO_CODES[d.code], `unlisted code ${d.code}: ${d.message}`).toBeDefined();
    expect(d.pos, `${d.code} has no position: ${d.message}`).toBeDefined();
    expect(d.pos?.line, `${d.code} line`).toBeGreaterThanOrEqual(1);
    expect(d.pos?.line, `${d.code} line`).toBeLessThanOrEqual(lines);
    expect(d.pos?.col, `${d.code} column`).toBeGreaterThanOrEqual(1);
  }
  if (!hasErrors(diagnostics)) loadAndBuild([{ path: 's.yaml', text }]);
  expect(performance.now() - t0, 'milliseconds for one input').toBeLessThan(BOUND_MS);
}

describe('scenario loader fuzzing', () => {
  it.each(FOUND)('regression: %s', (_what, text) => check(text));

  it('mutated example scenarios: no throw, every refusal coded and located, bounded time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SEEDS.length - 1 }), fc.array(editArb, { minLength: 1, maxLength: 8 }), (seed, edits) => {
        check(applyEdits(SEEDS[seed] ?? '', edits));
      }),
      { numRuns: fuzzRuns(150, 20_000) },
    );
  }, fuzzTimeout());

  it('random JSON values as documents: no throw, every refusal coded and located', () => {
    const doc = fc.record({ apiVersion: fc.constantFrom('v1', 'netsim.dev/v1alpha1', 'discovery.k8s.io/v1'), kind: fc.constantFrom('Cluster', 'Pod', 'Service', 'Node', 'Namespace', 'EndpointSlice', 'List'), metadata: fc.jsonValue({ maxDepth: 3 }), spec: fc.jsonValue({ maxDepth: 4 }), status: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['apiVersion', 'kind'] });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 4 }), (docs) => {
        check([SEEDS[0] ?? '', ...docs.map((d) => JSON.stringify(d))].join('\n---\n'));
      }),
      { numRuns: fuzzRuns(100, 10_000) },
    );
  }, fuzzTimeout());
});
