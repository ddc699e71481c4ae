/**
 * Issue 13's parse goal alone: `node dist/bench/parse-huge.js [runs]` parses the 700,006-line
 * kube-proxy-shaped dump of bench/iptables.ts `runs` times (default 3) in one process and prints
 * each parse's CPU and wall time and their medians. Run it under `/usr/bin/time -v` for the peak
 * RSS; `npm run bench` prints the same parse as one row of its table.
 */
import { performance } from 'node:perf_hooks';
import { parseIptablesSave } from '../src/kernel/netfilter/syntax/index.js';
import { kubeServicesDump } from './iptables.js';

const runs = Number(process.argv[2] ?? 3);
const huge = kubeServicesDump(116_666);
const cpu: number[] = [];
const wall: number[] = [];
let rules = 0;
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rs = parseIptablesSave(huge, { file: 'bench' }).value;
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  rules = rs.tables.reduce((n, t) => n + t.chains.reduce((m, ch) => m + ch.rules.length, 0), 0);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (xs: number[]): string => xs.map((x) => `${Math.round(x)}`).join(', ');
process.stdout.write(`${rules} rules; CPU ms: ${fmt(cpu)} (median ${Math.round(median(cpu))}); wall ms: ${fmt(wall)} (median ${Math.round(median(wall))})\n`);
