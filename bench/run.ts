/**
 * `npm run bench`: speed and memory figures, printed as a Markdown table to paste into
 * docs/performance.md. Never part of `npm test`: timings depend on the machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchBgp } from './bgp.js';
import { benchCluster } from './cluster.js';
import { benchIptables } from './iptables.js';
import { ladderMeasures, ladderSizes, ladderTable, runLadder } from './ladder.js';
import { ladderSvg } from './ladder-plot.js';
import { type Measure, table } from './measure.js';
import { benchNetpol } from './netpol.js';
import { benchPolicyMatrix } from './policy-matrix.js';
import { benchRoutes } from './route.js';
import { benchScenarioSize } from './scenario-size.js';

const rungs = runLadder(ladderSizes(process.env.NETSIM_BENCH_LADDER));
const rows: Measure[] = [...ladderMeasures(rungs), ...benchRoutes(), ...benchIptables(), ...benchCluster(), ...benchScenarioSize(), ...benchNetpol(), ...benchPolicyMatrix()];
rows.push(...(await (await import('./diagram.js')).benchDiagram()));
rows.push(...benchBgp());
// Issue 13's ≥ 1,000 traces/s through `netsim trace --batch FILE` (the built CLI, in a child process).
rows.push(...(await import('./trace-batch.js')).benchTraceBatch());
rows.push(...(await import('./kube-proxy-modes.js')).benchKubeProxyModes());
// Issue 13's ratio: generation against the kernel's own iptables-restore (root only; skipped with the reason otherwise).
rows.push(...(await import('./kube-proxy-ratio.js')).benchKubeProxyRatio());
// maxRSS is the process's peak resident set, in KiB (getrusage).
rows.push({ name: 'peak resident memory of the benchmark process', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' });
process.stdout.write(`${table(rows)}\n\n${ladderTable(rungs)}\n`);
// The same figures as JSON, one file per run (bench/results/ is where docs/performance.md's figures come from).
const results = new URL('./results/', new URL('../../bench/', import.meta.url));
mkdirSync(results, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(new URL(`bench-${stamp}.json`, results), `${JSON.stringify({ node: process.version, ladder: rungs, rows }, null, 1)}\n`);
// The ladder's chart beside it; NETSIM_BENCH_DOCS=1 also replaces the one docs/performance.md shows.
if (rungs.length > 0) {
  writeFileSync(new URL(`ladder-${stamp}.svg`, results), ladderSvg(rungs));
  if (process.env.NETSIM_BENCH_DOCS === '1') writeFileSync(new URL('../../docs/img/ladder.svg', import.meta.url), ladderSvg(rungs));
}
