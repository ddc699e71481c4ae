/**
 * The first kube-proxy sync of the ladder cluster (bench/ladder-one.ts), alone: what the first
 * trace pays for kube-proxy (the memo, every port's fragment, the shared base, the node's
 * delta), then the next ten nodes' syncs. `node --expose-gc dist/bench/first-sync.js NODES`
 * prints CPU (user + system, with the GC threads) and wall time, the time in scavenges and
 * full collections during the first sync, and the heap it leaves behind.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { getNetns } from '../src/kernel/world.js';
import { loadScenario } from '../src/scenario/index.js';
import { simContext } from '../src/sim/context.js';
import { ladderScenario } from './ladder-one.js';

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

function timed(fn: () => void): { cpuMs: number; ms: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, ms: performance.now() - t0 };
}

async function main(nodes: number): Promise<void> {
  const spec = loadScenario([{ path: 'ladder.yaml', text: ladderScenario(nodes) }]).value;
  const cluster = spec === undefined ? undefined : buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (cluster === undefined) throw new Error('the ladder cluster does not build');
  gc();
  const gcMs = { scavenge: 0, full: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === 1) gcMs.scavenge += e.duration;
      else gcMs.full += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const heap0 = process.memoryUsage().heapUsed;
  const first = timed(() => void getNetns(cluster.world, 'node-0').netfilter);
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  gc();
  const retainedMiB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const next = timed(() => {
    for (let i = 1; i <= 10; i++) void getNetns(cluster.world, `node-${i}`).netfilter;
  });
  const out = { nodes, firstSync: first, gcDuringFirstMs: gcMs, retainedMiB, nextTenNodes: next, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1]?.endsWith('first-sync.js')) void main(Number(process.argv[2] ?? '1000'));
