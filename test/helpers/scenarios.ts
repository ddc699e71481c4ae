/**
 * The example scenarios the golden loops run over: every scenarios/*.yaml except those whose
 * first line is `# netsim: no-golden` (scenarios/large.yaml, 5,000 nodes, is for `npm run bench`:
 * too large to build in a test, and to bundle into the playground).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The first line of a scenario kept out of the golden loops and the playground menu. */
export const NO_GOLDEN = '# netsim: no-golden';

/** True when the scenario file is marked out of the golden loops. */
export function isNoGolden(path: string): boolean {
  return readFileSync(path, 'utf8').slice(0, NO_GOLDEN.length) === NO_GOLDEN;
}

/** The scenario file names (`default.yaml`, …) in `dir`, sorted, without the no-golden ones. */
export function goldenScenarios(dir = 'scenarios'): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && !isNoGolden(join(dir, f))).sort();
}
