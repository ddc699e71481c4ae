/** A tiny timing helper for `npm run bench` (benchmarks only; tests are never timed). */
import { performance } from 'node:perf_hooks';

/** One figure. */
export interface Measure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Runs `fn` once to warm up, then `runs` times, and reports the median in milliseconds. */
export function measure(name: string, runs: number, fn: () => unknown, opts: { unit: string }): Measure {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { name, value: times[Math.floor(times.length / 2)] ?? 0, unit: opts.unit };
}

/** Formats figures as a Markdown table. */
export function table(rows: readonly Measure[]): string {
  const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(2));
  return ['| benchmark | value | unit |', '|---|---:|---|', ...rows.map((r) => `| ${r.name} | ${fmt(r.value)} | ${r.unit} |`)].join('\n');
}
