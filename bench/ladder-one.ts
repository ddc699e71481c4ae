/**
 * One rung of the size ladder (bench/ladder.ts), run in a process of its own so that its peak
 * resident memory is its own: `node dist/bench/ladder-one.js NODES` prints one JSON object.
 *
 * The cluster: NODES nodes, 30 pods a node, min(10 × NODES, 10,000) Services of three
 * endpoints each, a third ClusterIP, a third NodePort, a third NodePort with
 * `externalTrafficPolicy: Local`. Traces go from a random pod to a random Service and back,
 * through the library API (planFlow + roundTrip in an overlay of the built world; with
 * LADDER_CLONE=1 in a structuredClone of it, as before the overlay, for comparison). Each node's
 * kube-proxy sync runs when a trace first reads its rules (LADDER_EAGER=1: all in the build).
 * LADDER_SERVICES=N caps the Services at N.
 *
 * `node dist/bench/ladder-one.js FILE.yaml [TRACES]` measures a scenario file the same way
 * instead: `scenarios/large.yaml` is issue 13's cluster as a person writes it (5,000 nodes,
 * 10,000 Deployments of 3 replicas behind 10,000 Services, 24 DaemonSets: 149,940 pods), where
 * the generated ladder writes every Pod out (150,000 documents, about 20 MB of YAML).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { podEndpoint, serviceEndpoint } from '../src/cluster/lookup.js';
import { overlayWorld } from '../src/kernel/overlay.js';
import { loadScenario } from '../src/scenario/index.js';
import { rngChooser, seededRng, simContext } from '../src/sim/context.js';
import { planFlow, roundTrip } from '../src/trace/cluster-trace.js';

/** What one rung measured (times in ms, memory in MiB). */
export interface Rung {
  readonly nodes: number;
  readonly pods: number;
  readonly services: number;
  readonly loadMs: number;
  readonly buildMs: number;
  /** CPU time (user + system) of the build: less sensitive than wall time to a shared machine. */
  readonly buildCpuMs: number;
  readonly firstTraceMs: number;
  /** The first trace's CPU time (user + system): it pays for the kube-proxy syncs of the nodes it reads. */
  readonly firstTraceCpuMs?: number;
  readonly medianTraceMs: number;
  readonly tracesPerSecond: number;
  readonly peakRssMiB: number;
  /** The median trace's CPU time (user + system), and traces per CPU second: what a shared machine disturbs least. */
  readonly medianTraceCpuMs?: number;
  readonly tracesPerCpuSecond?: number;
  /** Peak resident memory when the build returned, before any trace (MiB). */
  readonly buildRssMiB?: number;
  /** The scenario file measured, when not the generated ladder. */
  readonly scenario?: string;
}

/** The ladder's scenario text for `nodes` nodes. */
export function ladderScenario(nodes: number, maxServices = 10_000): string {
  const pods = nodes * 30;
  const services = Math.min(nodes * 10, maxServices);
  const out: string[] = [
    'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ladder}\nspec:\n  clusterCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 24\n  serviceCIDR: 172.16.0.0/12\n  nodeNetwork: 192.168.0.0/16',
    `  nodes: [${Array.from({ length: nodes }, (_, i) => `{name: node-${i}}`).join(', ')}]\n`,
  ];
  // Two Services in three are NodePorts: past 4,152 Services they outgrow the default range
  // (30000-32767, 2,768 ports), and the API server would refuse the rest (SCN_PORT_EXHAUSTED),
  // so the 1,000- and 5,000-node rungs widen it, as `--service-node-port-range` does.
  if (services - Math.ceil(services / 3) > 2768) out[0] += '\n  serviceNodePortRange: 30000-39999';
  // Three endpoints per Service, as issue 13 sets the cluster: pod i serves Service i mod
  // services while i < 3 × services; the pods past that (at 5,000 nodes, 120,000 of 150,000)
  // back no Service (before, their labels cycled on, giving each Service 15 endpoints there).
  for (let i = 0; i < pods; i++) {
    const app = i < 3 * services ? `app-${i % services}` : 'idle';
    out.push(`---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, labels: {app: ${app}}}\nspec: {nodeName: node-${i % nodes}, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\n`);
  }
  for (let s = 0; s < services; s++) {
    const type = s % 3 === 0 ? '' : s % 3 === 1 ? ', type: NodePort' : ', type: NodePort, externalTrafficPolicy: Local';
    out.push(`---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-${s}}\nspec: {selector: {app: app-${s}}${type}, ports: [{name: http, port: 80, targetPort: http}]}\n`);
  }
  return out.join('\n');
}

function time<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

/** Loads, builds and traces the ladder cluster of `nodes` nodes. */
export function runRung(nodes: number, traces = 1000): Rung {
  // LADDER_SERVICES=N caps the Services (to build 1,000+ nodes eagerly and see how the
  // steady-state trace grows with the node count alone).
  return runScenario('ladder.yaml', ladderScenario(nodes, Number(process.env.LADDER_SERVICES ?? '10000')), traces);
}

/** Loads, builds and traces the scenario `text` (random pod → random Service and back). */
export function runScenario(path: string, text: string, traces = 1000): Rung {
  const loaded = time(() => loadScenario([{ path, text }]));
  const spec = loaded.value.value;
  // A scenario with errors loads partly (the readers go on to report more): never measure one.
  const refused = loaded.value.diagnostics.find((d) => d.severity === 'error');
  if (spec === undefined || refused !== undefined) throw new Error(`ladder scenario does not load: ${(refused ?? loaded.value.diagnostics[0])?.message}`);
  // kube-proxy's syncs run when a node's rules are first read (the first traces pay for theirs);
  // LADDER_EAGER=1 runs them all in the build, as before, for comparison.
  const built = time(() => buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1), eager: process.env.LADDER_EAGER === '1' }));
  const cluster = built.value.value;
  if (cluster === undefined) throw new Error(`ladder cluster does not build: ${built.value.diagnostics[0]?.message}`);
  const buildRssMiB = process.resourceUsage().maxRSS / 1024;
  const pods = cluster.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  const rng = seededRng(42);
  const cpuTimes: number[] = [];
  const one = (): number => {
    const c0 = process.cpuUsage();
    const src = pods[Math.floor(rng.next() * pods.length)];
    const dst = svcs[Math.floor(rng.next() * svcs.length)];
    if (src === undefined || dst === undefined) throw new Error('ladder endpoints missing');
    const t0 = performance.now();
    const flow = planFlow(cluster, { src, dst, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    const world = process.env.LADDER_CLONE === '1' ? structuredClone(cluster.world) : overlayWorld(cluster.world);
    const trip = roundTrip(cluster, world, flow, { chooser: rngChooser(seededRng(1)), reply: true });
    if (trip.forward.ending.disposition !== 'DELIVERED') throw new Error(`ladder trace not delivered: ${trip.forward.ending.disposition}`);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    return performance.now() - t0;
  };
  const firstTraceMs = one();
  const firstTraceCpuMs = cpuTimes[0] ?? 0;
  cpuTimes.length = 0;
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < traces; i++) times.push(one());
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  const cpuTotal = cpuTimes.reduce((a, b) => a + b, 0);
  cpuTimes.sort((a, b) => a - b);
  return {
    ...(path === 'ladder.yaml' ? {} : { scenario: path }),
    nodes: spec.nodes.length,
    pods: spec.pods.length,
    services: spec.services.length,
    loadMs: loaded.ms,
    buildMs: built.ms,
    buildCpuMs: built.cpuMs,
    firstTraceMs,
    firstTraceCpuMs,
    medianTraceMs: times[Math.floor(times.length / 2)] ?? 0,
    tracesPerSecond: (traces * 1000) / total,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    medianTraceCpuMs: cpuTimes[Math.floor(cpuTimes.length / 2)] ?? 0,
    tracesPerCpuSecond: cpuTotal > 0 ? (traces * 1000) / cpuTotal : 0,
    buildRssMiB,
  };
}

if (process.argv[1]?.endsWith('ladder-one.js')) {
  const what = process.argv[2] ?? '10';
  const traces = Number(process.argv[3] ?? '1000');
  const rung = what.endsWith('.yaml') ? runScenario(basename(what), readFileSync(what, 'utf8'), traces) : runRung(Number(what), traces);
  process.stdout.write(`${JSON.stringify(rung)}\n`);
}
