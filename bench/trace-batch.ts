/**
 * `netsim trace --batch FILE` through the CLI, as a user runs it: the ladder's 100-node cluster
 * (bench/ladder-one.ts) written to a file, a flows file of random pod → Service flows, and the
 * built `netsim` run on it in a child process, on 1, N and 2N flows. Two throughputs after the
 * build: (N − 1) / (t(N) − t(1)), which counts each node's kube-proxy sync (deferred until a trace
 * first reads the node's rules) in, and N / (t(2N) − t(N)), once N random flows have run those
 * syncs (the flows files share their first N lines). The load, the build and the process start
 * cancel out of both. Times are the child's CPU time (user + system, from /proc/self/stat's
 * cutime and cstime, Linux), which a shared machine disturbs far less than wall time; elsewhere
 * wall time.
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

/** Runs the CLI benchmark: `flows` flows on the ladder cluster of `nodes` nodes. */
export function benchTraceBatch(nodes = 100, flows = 300): Measure[] {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-batch-'));
  try {
    const scenario = join(dir, 'ladder.yaml');
    writeFileSync(scenario, ladderScenario(nodes));
    const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
    const run = (n: number): number => {
      const file = join(dir, `flows-${n}.txt`);
      writeFileSync(file, ladderFlows(nodes, n));
      const t0 = performance.now();
      const c0 = childrenCpuMs();
      const out = execFileSync(process.execPath, [cli, 'trace', '--batch', file, '-f', scenario], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const c1 = childrenCpuMs();
      const ms = c0 !== undefined && c1 !== undefined ? c1 - c0 : performance.now() - t0;
      const lines = out.trimEnd().split('\n');
      if (lines.length !== n || lines.some((l) => !l.startsWith('{"schema":"netsim.trace/v1"'))) throw new Error(`trace --batch: want ${n} traces, got ${lines.length} lines`);
      return ms;
    };
    const one = run(1);
    const many = run(flows);
    const twice = run(2 * flows);
    const n = flows.toLocaleString('en');
    return [
      { name: `trace --batch (CLI), ladder ${nodes} nodes: load, build and 1 flow (CPU)`, value: one, unit: 'ms' },
      { name: `trace --batch (CLI), ladder ${nodes} nodes: ${n} random pod → Service flows (CPU)`, value: many, unit: 'ms' },
      { name: `trace --batch (CLI), ladder ${nodes} nodes: flows/s after the build (with the nodes' deferred kube-proxy syncs)`, value: ((flows - 1) * 1000) / (many - one), unit: 'traces/s' },
      { name: `trace --batch (CLI), ladder ${nodes} nodes: flows/s once ${n} flows ran the syncs`, value: (flows * 1000) / (twice - many), unit: 'traces/s' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('trace-batch.js')) {
  process.stdout.write(`${JSON.stringify(benchTraceBatch(Number(process.argv[2] ?? '100'), Number(process.argv[3] ?? '300')))}\n`);
}
