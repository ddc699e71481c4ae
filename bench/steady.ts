/**
 * Steady-state traces on the ladder cluster (bench/ladder-one.ts): what a trace costs once the
 * nodes it reads are built. `K` random pod → Service round trips are each traced once, which runs
 * the deferred build of their nodes (pod sandboxes, kube-proxy's sync), then `W` rounds more
 * unmeasured, then `R` measured; the figure is the CPU time per trace of those R × K. The
 * ladder's median trace counts the nodes' first builds in; this one isolates the packet path
 * (ARP/ND, forks, routing, netfilter).
 *
 * Two costs that are not the packet path's are kept out, because both grow with the cluster and
 * made the figure look as if a trace did (docs/performance.md, issue 13, "what a steady trace
 * costs"): the JIT's tier-up, whose compiler threads count in the process's CPU time for the
 * first ten or so rounds (`W`), and what follows the forced `gc()`: V8's concurrent sweep of the
 * whole heap, charged to whatever runs next (about 6 ms a trace over the next 30 traces at 5,000
 * nodes, 2 ms at 1,000, none at 10), then scavenges whose cost grows with the heap while the
 * young generation regrows. With W > 0 the `gc()` comes before the warm-up rounds and sweeps
 * before it returns (`--no-concurrent-sweeping` for its duration). `warmupCpuMs` is the CPU per
 * trace of the W rounds; W = 0 gives the measurement as it was before.
 *
 * `npm run build && node --expose-gc [--max-old-space-size=16384] dist/bench/steady.js [NODES=1000] [K=30] [R=3] [W=10]`
 * prints one JSON object.
 */
import { setFlagsFromString } from 'node:v8';
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { type Endpoint, podEndpoint, serviceEndpoint } from '../src/cluster/lookup.js';
import { overlayWorld } from '../src/kernel/overlay.js';
import { loadScenario } from '../src/scenario/index.js';
import { rngChooser, seededRng, simContext } from '../src/sim/context.js';
import { planFlow, roundTrip } from '../src/trace/cluster-trace.js';
import { ladderScenario } from './ladder-one.js';

/** What {@link steadyTraces} measured. */
export interface Steady {
  readonly nodes: number;
  readonly flows: number;
  readonly rounds: number;
  /** CPU milliseconds (user + system) of a first trace, which builds its nodes, on average. */
  readonly firstCpuMs: number;
  /** Warm-up rounds run before the measured ones. */
  readonly warmup: number;
  /** CPU milliseconds per trace of the warm-up rounds (JIT tier-up included); NaN without any. */
  readonly warmupCpuMs: number;
  /** CPU milliseconds of a trace whose nodes are built and whose code is warm, on average. */
  readonly steadyCpuMs: number;
}

const cpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Builds the ladder cluster of `nodes` nodes and measures `flows` random round trips, `rounds` times over after the first and `warmup` more. */
export function steadyTraces(nodes: number, flows = 30, rounds = 3, warmup = 10): Steady {
  const spec = loadScenario([{ path: 'ladder.yaml', text: ladderScenario(nodes) }]).value;
  if (spec === undefined) throw new Error('ladder scenario does not load');
  const cluster = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (cluster === undefined) throw new Error('ladder cluster does not build');
  const pods = cluster.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  const rng = seededRng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
  const pairs: Array<{ src: Endpoint; dst: Endpoint }> = Array.from({ length: flows }, () => ({ src: pick(pods), dst: pick(svcs) }));
  const one = ({ src, dst }: { src: Endpoint; dst: Endpoint }): void => {
    const flow = planFlow(cluster, { src, dst, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    const trip = roundTrip(cluster, overlayWorld(cluster.world), flow, { chooser: rngChooser(seededRng(1)), reply: true });
    if (trip.forward.ending.disposition !== 'DELIVERED') throw new Error(`ladder trace not delivered: ${trip.forward.ending.disposition}`);
  };
  const round = (): void => {
    for (const p of pairs) one(p);
  };
  const c0 = cpu();
  round();
  const c1 = cpu();
  const gc = (globalThis as { gc?: () => void }).gc;
  // With warm-up rounds, the collection comes before them: they absorb what follows it (the
  // young generation regrowing, scavenges that cost more on a larger heap), and it sweeps before
  // it returns rather than on concurrent threads while traces run.
  if (gc !== undefined && warmup > 0) {
    setFlagsFromString('--no-concurrent-sweeping');
    gc();
    setFlagsFromString('--concurrent-sweeping');
  }
  const c2 = cpu();
  for (let r = 0; r < warmup; r++) round();
  if (gc !== undefined && warmup === 0) gc();
  const c3 = cpu();
  for (let r = 0; r < rounds; r++) round();
  const c4 = cpu();
  return { nodes, flows, rounds, firstCpuMs: (c1 - c0) / flows, warmup, warmupCpuMs: (c3 - c2) / (flows * warmup), steadyCpuMs: (c4 - c3) / (flows * rounds) };
}

if (process.argv[1]?.endsWith('steady.js')) {
  const [nodes, flows, rounds, warmup] = [process.argv[2] ?? '1000', process.argv[3] ?? '30', process.argv[4] ?? '3', process.argv[5] ?? '10'].map(Number);
  process.stdout.write(`${JSON.stringify(steadyTraces(nodes as number, flows, rounds, warmup))}\n`);
}
