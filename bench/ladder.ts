/**
 * The size ladder of issue 13: the same generated cluster at growing sizes, each rung in a
 * process of its own (bench/ladder-one.ts) so that its peak resident memory is its own.
 *
 * Which rungs run: `NETSIM_BENCH_LADDER=10,100,1000` (node counts; default `10,100`, which
 * keeps `npm run bench` short). `NETSIM_BENCH_LADDER=` (empty) skips the ladder. An entry ending
 * in `.yaml` is a scenario file measured the same way (`NETSIM_BENCH_LADDER=5000,scenarios/large.yaml`:
 * issue 13's cluster written out Pod by Pod, and written as Deployments and DaemonSets).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Rung } from './ladder-one.js';
import type { Measure } from './measure.js';

/** The node counts (or scenario files) to run, from the environment. */
export function ladderSizes(env: string | undefined): (number | string)[] {
  const text = env ?? '10,100';
  const sizes: (number | string)[] = [];
  for (const s of text.split(',').map((t) => t.trim())) {
    if (s.endsWith('.yaml')) sizes.push(s);
    else if (Number.isInteger(Number(s)) && Number(s) > 0) sizes.push(Number(s));
  }
  return sizes;
}

/** Runs each rung in a child process and returns what they measured. */
export function runLadder(sizes: readonly (number | string)[], traces = 1000): Rung[] {
  const one = fileURLToPath(new URL('./ladder-one.js', import.meta.url));
  return sizes.map((n) => JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=16384', one, String(n), String(traces)], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Rung);
}

/** The ladder as a Markdown table. */
export function ladderTable(rungs: readonly Rung[]): string {
  const f = (v: number, d = 0) => v.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
  return [
    '| nodes / pods / Services | load | build (CPU) | first trace | median trace (CPU) | traces/s (per CPU s) | RSS after build | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rungs.map((r) => `| ${f(r.nodes)} / ${f(r.pods)} / ${f(r.services)}${r.scenario === undefined ? '' : ` (${r.scenario})`} | ${f(r.loadMs / 1000, 2)} s | ${f(r.buildMs / 1000, 2)} s (${f(r.buildCpuMs / 1000, 2)} s) | ${f(r.firstTraceMs, 1)} ms | ${f(r.medianTraceMs, 2)} ms${r.medianTraceCpuMs === undefined ? '' : ` (${f(r.medianTraceCpuMs, 2)} ms)`} | ${f(r.tracesPerSecond)}${r.tracesPerCpuSecond === undefined ? '' : ` (${f(r.tracesPerCpuSecond)})`} | ${r.buildRssMiB === undefined ? '–' : `${f(r.buildRssMiB)} MiB`} | ${f(r.peakRssMiB)} MiB |`),
  ].join('\n');
}

/** The ladder's rungs as rows of the bench's one table. */
export function ladderMeasures(rungs: readonly Rung[]): Measure[] {
  return rungs.flatMap((r) => {
    const size = `${r.nodes.toLocaleString('en')} nodes / ${r.pods.toLocaleString('en')} pods / ${r.services.toLocaleString('en')} Services${r.scenario === undefined ? '' : ` (${r.scenario})`}`;
    return [
      { name: `ladder ${size}: load`, value: r.loadMs, unit: 'ms' },
      { name: `ladder ${size}: build`, value: r.buildMs, unit: 'ms' },
      { name: `ladder ${size}: first trace`, value: r.firstTraceMs, unit: 'ms' },
      { name: `ladder ${size}: median trace`, value: r.medianTraceMs, unit: 'ms' },
      { name: `ladder ${size}: traces per second (library API)`, value: r.tracesPerSecond, unit: 'traces/s' },
      ...(r.medianTraceCpuMs === undefined ? [] : [{ name: `ladder ${size}: median trace, CPU`, value: r.medianTraceCpuMs, unit: 'ms' }]),
      ...(r.tracesPerCpuSecond === undefined ? [] : [{ name: `ladder ${size}: traces per CPU second`, value: r.tracesPerCpuSecond, unit: 'traces/s' }]),
      ...(r.buildRssMiB === undefined ? [] : [{ name: `ladder ${size}: RSS after build`, value: r.buildRssMiB, unit: 'MiB' }]),
      { name: `ladder ${size}: peak RSS`, value: r.peakRssMiB, unit: 'MiB' },
    ];
  });
}
