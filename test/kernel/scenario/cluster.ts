/**
 * The scenarios under test, built as the CLI builds them (src/cli/cluster-input.ts): the
 * built-in default scenario, every file in `scenarios/` and this test's own in
 * `test/fixtures/kernel-scenario/`, each with its `-f` argument for the
 * netsim side. A scenario that does not build is reported with its diagnostics, not tested.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CNI_PLUGINS } from '../../../src/cni/builtins.js';
import { createCniRegistry } from '../../../src/cni/registry.js';
import { type BuiltCluster, buildCluster } from '../../../src/cluster/assemble/cluster.js';
import { DEFAULT_SCENARIO_PATH, defaultScenarioText, loadScenario } from '../../../src/scenario/index.js';
import { simContext } from '../../../src/sim/context.js';
import { isNoGolden } from '../../helpers/scenarios.js';

const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
/** Scenarios of this test's own, for options the examples leave at their defaults. */
const FIXTURES = fileURLToPath(new URL('../../fixtures/kernel-scenario/', import.meta.url));

/** One scenario: its name, the `-f` arguments the CLI needs, and its text. */
export interface ScenarioSource {
  readonly name: string;
  /** `[]` for the built-in scenario, `['-f', path]` for a file. */
  readonly fileArgs: readonly string[];
  readonly path: string;
  readonly text: string;
}

function yamlFiles(dir: string, label: string): ScenarioSource[] {
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n) && !isNoGolden(`${dir}${n}`))
    .sort()
    .map((n) => ({ name: `${label}${n}`, fileArgs: ['-f', `${dir}${n}`], path: `${dir}${n}`, text: readFileSync(`${dir}${n}`, 'utf8') }));
}

/** The built-in scenario, then `scenarios/*.yaml` and `test/fixtures/kernel-scenario/*.yaml` in name order. */
export function scenarioSources(): ScenarioSource[] {
  const builtIn = { name: 'built-in default', fileArgs: [], path: DEFAULT_SCENARIO_PATH, text: defaultScenarioText() };
  return [builtIn, ...yamlFiles(SCENARIOS, 'scenarios/'), ...yamlFiles(FIXTURES, 'test/fixtures/kernel-scenario/')];
}

const CNI_PLUGINS = createCniRegistry(BUILTIN_CNI_PLUGINS);

/** Loads and builds a scenario as `netsim` does (seed 1), or says why it does not build. */
export function buildScenario(src: ScenarioSource): { built: BuiltCluster } | { problem: string } {
  try {
    return buildOrSay(src);
  } catch (e) {
    return { problem: `netsim threw while building it: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function buildOrSay(src: ScenarioSource): { built: BuiltCluster } | { problem: string } {
  const parsed = loadScenario([{ path: src.path, text: src.text }]);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (parsed.value === undefined || errors.length > 0) return { problem: `does not load: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}` };
  const built = buildCluster(parsed.value, { cni: CNI_PLUGINS, ctx: simContext(1) });
  const berr = built.diagnostics.filter((d) => d.severity === 'error');
  if (built.value === undefined || berr.length > 0) return { problem: `does not build: ${berr.map((d) => `${d.code} ${d.message}`).join('; ')}` };
  return { built: built.value };
}
