/**
 * `netsim trace --batch FILE [--jobs J]` through the CLI, as a user runs it: the ladder's 100-node
 * cluster (bench/ladder-one.ts) written to a file, a flows file of random pod → Service flows, and
 * the built `netsim` run on it in a child process, on J (1 without --jobs), N and
 * 2N flows. Two throughputs after the build: (N − J) / (t(N) − t(J)), which counts each node's kube-proxy sync (deferred until a trace
 * first reads the node's rules) in, and N / (t(2N) − t(N)), once N random flows have run those
 * syncs (the flows files share their first N lines). The load, the build and the process start
 * cancel out of both. Times are the child's CPU time (user + system of all its threads, from
 * /proc/self/stat's cutime and cstime, Linux), which a shared machine disturbs far less than wall
 * time, and its wall time, which is what `--jobs` shortens.
 * `node dist/bench/trace-batch.js [NODES] [FLOWS] [JOBS,…]` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { seededRng } from '../src/sim/context.js';
import { ladderScenario } from './ladder-one.js';
import type { Measure } from './measure.js';

/** A flows file of `flows` random `pod-I svc-J --port 80` lines over the ladder cluster of `nodes` nodes. */
export function ladderFlows(nodes: number, flows: number, seed = 42): string {
  const rng = seededRng(seed);
  const pods = nodes * 30;
  const services = Math.min(nodes * 10, 10_000);
  const pick = (n: number): number => Math.floor(rng.next() * n);
  return Array.from({ length: flows }, () => `pod-${pick(pods)} svc-${pick(services)} --port 80\n`).join('');
}

/** CPU time (ms) of this process's waited-for children so far (cutime + cstime, at USER_HZ 100), or undefined off Linux. */
function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One run of the CLI: the child's CPU time (wall time off Linux), its wall time, and what it wrote. */
interface Run {
  readonly cpu: number;
  readonly wall: number;
  readonly out: string;
}

/**
 * Runs the CLI benchmark: `flows` flows on the ladder cluster of `nodes` nodes, once for each
 * `--jobs` of `jobsList`. With N jobs the first run has N flows (every worker builds the cluster),
 * so the differences count the traces alone. Each row is given in CPU (all threads) and wall time;
 * the outputs of every `--jobs` must be byte-identical.
 */
export function benchTraceBatch(nodes = 100, flows = 300, jobsList: readonly number[] = [1, 2]): Measure[] {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-batch-'));
  try {
    const scenario = join(dir, 'ladder.yaml');
    writeFileSync(scenario, ladderScenario(nodes));
    // The shipped `netsim` (package.json's bin): the esbuild bundle, its batch worker beside it.
    const cli = fileURLToPath(new URL('../cli/netsim.js', import.meta.url));
    const run = (n: number, jobs: number): Run => {
      const file = join(dir, `flows-${n}.txt`);
      writeFileSync(file, ladderFlows(nodes, n));
      const t0 = performance.now();
      const c0 = childrenCpuMs();
      const out = execFileSync(process.execPath, [cli, 'trace', '--batch', file, '-f', scenario, '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const wall = performance.now() - t0;
      const c1 = childrenCpuMs();
      const lines = out.trimEnd().split('\n');
      if (lines.length !== n || lines.some((l) => !l.startsWith('{"schema":"netsim.trace/v1"'))) throw new Error(`trace --batch: want ${n} traces, got ${lines.length} lines`);
      return { cpu: c0 !== undefined && c1 !== undefined ? c1 - c0 : wall, wall, out };
    };
    const n = flows.toLocaleString('en');
    const rows: Measure[] = [];
    let first: string | undefined;
    for (const jobs of jobsList) {
      const base = run(jobs, jobs);
      const many = run(flows, jobs);
      const twice = run(2 * flows, jobs);
      first ??= twice.out;
      if (twice.out !== first) throw new Error(`trace --batch --jobs ${jobs} wrote other lines than --jobs ${jobsList[0]}`);
      const label = `trace --batch --jobs ${jobs} (CLI), ladder ${nodes} nodes`;
      for (const k of ['cpu', 'wall'] as const) {
        const what = k === 'cpu' ? 'CPU' : 'wall';
        rows.push(
          { name: `${label}: load, build and ${jobs} flow${jobs === 1 ? '' : 's'} (${what})`, value: base[k], unit: 'ms' },
          { name: `${label}: ${n} random pod → Service flows (${what})`, value: many[k], unit: 'ms' },
          { name: `${label}: flows/s after the build (with the nodes' deferred kube-proxy syncs; ${what})`, value: ((flows - jobs) * 1000) / (many[k] - base[k]), unit: 'traces/s' },
          { name: `${label}: flows/s once ${n} flows ran the syncs (${what})`, value: (flows * 1000) / (twice[k] - many[k]), unit: 'traces/s' },
        );
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('trace-batch.js')) {
  const jobs = (process.argv[4] ?? '1,2').split(',').map(Number);
  process.stdout.write(`${JSON.stringify(benchTraceBatch(Number(process.argv[2] ?? '100'), Number(process.argv[3] ?? '300'), jobs), null, 1)}\n`);
}
