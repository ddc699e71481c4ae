/**
 * Counts work without a clock: V8's precise coverage (the inspector's
 * `Profiler.takePreciseCoverage` with call counts) says how many times each function of
 * netsim's sources and the yaml library was called (yaml's lexer and parser call a function
 * per token, our readers one per field). The sum is an operation count that does not depend on the machine or its load, so a test can compare it
 * between an input and one four times larger: about 4× when the work is linear, 16× when it is
 * quadratic.
 */
import { Session } from 'node:inspector/promises';

/** Whose code is counted: netsim's sources and the YAML parser it drives. */
const COUNTED = /\/src\/|\/node_modules\/yaml\//;

/** Function calls while `fn` runs, over the scripts whose URL `counted` matches (default {@link COUNTED}). */
export async function countWork(fn: () => unknown, counted: RegExp = COUNTED): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage'); // resets the counts
    fn();
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.stopPreciseCoverage');
    let total = 0;
    for (const script of result) {
      if (!counted.test(script.url)) continue;
      for (const f of script.functions) total += f.ranges[0]?.count ?? 0;
    }
    return total;
  } finally {
    session.disconnect();
  }
}
