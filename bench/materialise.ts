/**
 * What one node's deferred build costs (cluster/assemble/lazy-pods.ts): the CPU time of the first
 * read of a node's namespace in the lazily built ladder cluster (bench/ladder-one.ts), averaged
 * over fresh nodes, with a breakdown measured on copies of the same nodes as they stood before
 * their work ran: `ip netns add` + CNI ADD per pod, host-gw routes, the node's and the pods'
 * listening sockets; what is left of the total is kube-proxy's deferral and the accessors. Then
 * the first read of the node's netfilter state, which runs kube-proxy's deferred syncs (proxyMs):
 * a trace reads both.
 *
 * `npm run build && node --expose-gc dist/bench/materialise.js [NODES=1000] [SAMPLES=50]`
 * prints one JSON object (CPU milliseconds).
 */
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { cniHost, createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { addPod } from '../src/cluster/assemble/pods.js';
import { installHostGwRoutesOn } from '../src/cluster/assemble/routes.js';
import { openNodeListeners, openPodListeners } from '../src/cluster/assemble/sockets.js';
import { hasDeferredNetns, peekDeferred } from '../src/kernel/deferred-netns.js';
import type { World } from '../src/kernel/world.js';
import { loadScenario } from '../src/scenario/index.js';
import { simContext } from '../src/sim/context.js';
import { ladderScenario } from './ladder-one.js';

const cpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Per-node CPU milliseconds, averaged. */
export interface Materialisation {
  readonly nodes: number;
  readonly samples: number;
  readonly podsPerNode: number;
  /** The first read of the node's namespace in the built cluster: everything the node defers. */
  readonly totalMs: number;
  /** On a copy: `ip netns add` + CNI ADD for each pod, and one ADD. */
  readonly cniMs: number;
  readonly cniAddMs: number;
  readonly hostGwMs: number;
  readonly listenersMs: number;
  /** totalMs less the parts (kube-proxy's deferral, accessors, checks against the plan). */
  readonly restMs: number;
  /** The first read of the node's netfilter state after its namespace: kube-proxy's syncs (proxy-delta.ts). */
  readonly proxyMs: number;
}

/** Measures `samples` fresh nodes of the `nodes`-node ladder (the first few warm up and are not counted). */
export function measureMaterialisation(nodes: number, samples: number): Materialisation {
  const loaded = loadScenario([{ path: 'ladder.yaml', text: ladderScenario(nodes) }]);
  const spec = loaded.value;
  if (spec === undefined) throw new Error(`ladder scenario does not load: ${loaded.diagnostics[0]?.message}`);
  const registry = createCniRegistry(BUILTIN_CNI_PLUGINS);
  const built = buildCluster(spec, { cni: registry, ctx: simContext(1) });
  const cluster = built.value;
  if (cluster === undefined) throw new Error(`ladder cluster does not build: ${built.diagnostics[0]?.message}`);
  const warm = 5;
  const sum = { total: 0, cni: 0, hostGw: 0, listeners: 0, pods: 0, proxy: 0 };
  const step = Math.max(1, Math.floor(spec.nodes.length / (samples + warm)));
  let counted = 0;
  for (let i = 0; counted < samples && i * step < spec.nodes.length; i++) {
    const node = spec.nodes[i * step];
    if (node === undefined || !hasDeferredNetns(cluster.world, node.name)) continue;
    const before = peekDeferred(cluster.world.netns, node.name)?.ns;
    if (before === undefined) throw new Error(`node ${node.name} has no namespace`);
    const copy: World = { netns: { [node.name]: structuredClone(before) } };
    const pods = cluster.pods.filter((p) => p.pod.nodeName === node.name && !p.pod.hostNetwork);
    const host = cniHost({ world: copy, hostNs: node.name, registry, store: {}, api: cluster.api, ctx: simContext(1) });
    const t0 = cpu();
    for (const p of pods) addPod(copy, { cluster: spec.cluster, node, pod: p.pod, planned: p.ips, host, plugins: registry });
    const t1 = cpu();
    installHostGwRoutesOn(copy, node, spec.nodes);
    const t2 = cpu();
    openNodeListeners(copy, spec, node, cluster.endpointSlices);
    openPodListeners(copy, pods);
    const t3 = cpu();
    const ns = cluster.world.netns[node.name];
    const t4 = cpu();
    void ns?.netfilter;
    const t5 = cpu();
    if (i < warm) continue;
    counted++;
    sum.cni += t1 - t0;
    sum.hostGw += t2 - t1;
    sum.listeners += t3 - t2;
    sum.total += t4 - t3;
    sum.proxy += t5 - t4;
    sum.pods += pods.length;
  }
  const per = (v: number): number => Math.round((v / counted) * 1000) / 1000;
  return {
    nodes,
    samples: counted,
    podsPerNode: sum.pods / counted,
    totalMs: per(sum.total),
    cniMs: per(sum.cni),
    cniAddMs: Math.round((sum.cni / sum.pods) * 10000) / 10000,
    hostGwMs: per(sum.hostGw),
    listenersMs: per(sum.listeners),
    restMs: per(sum.total - sum.cni - sum.hostGw - sum.listeners),
    proxyMs: per(sum.proxy),
  };
}

if (process.argv[1]?.endsWith('materialise.js') === true) {
  console.log(JSON.stringify(measureMaterialisation(Number(process.argv[2] ?? '1000'), Number(process.argv[3] ?? '50'))));
}
