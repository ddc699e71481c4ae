/**
 * Benchmark of the whole pipeline on a large generated cluster: 100 nodes, 3,000 pods and
 * 1,000 Services (three backends each) — load the scenario, build every node and pod
 * (CNI ADD, kube-proxy sync on every node), then trace a pod → Service round trip.
 */
import { performance } from 'node:perf_hooks';
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { resolveEndpoint } from '../src/cluster/lookup.js';
import { loadScenario } from '../src/scenario/index.js';
import { rngChooser, seededRng, simContext } from '../src/sim/context.js';
import { planFlow, roundTrip } from '../src/trace/cluster-trace.js';
import type { Measure } from './measure.js';

/** A scenario with `nodes` nodes, `pods` pods spread over them and `services` Services selecting three pods each; `cni` is the `spec.cni` flow mapping (the default bridge when omitted). */
export function generatedScenario(nodes: number, pods: number, services: number, cni?: string): string {
  const docs: string[] = [
    [
      'apiVersion: netsim.dev/v1alpha1',
      'kind: Cluster',
      'metadata: {name: bench}',
      'spec:',
      '  clusterCIDR: 10.244.0.0/16',
      '  serviceCIDR: 10.96.0.0/12',
      '  nodeNetwork: 192.168.0.0/16',
      ...(cni !== undefined ? [`  cni: ${cni}`] : []),
      `  nodes: [${Array.from({ length: nodes }, (_, i) => `{name: node-${i}}`).join(', ')}]`,
    ].join('\n'),
  ];
  for (let i = 0; i < pods; i++) {
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, labels: {app: app-${i % services}}}\nspec: {nodeName: node-${i % nodes}, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}`);
  }
  for (let s = 0; s < services; s++) {
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: svc-${s}}\nspec: {selector: {app: app-${s}}, ports: [{name: http, port: 80, targetPort: http}]}`);
  }
  return `${docs.join('\n---\n')}\n`;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** Runs the cluster benchmarks: the bridge plugin, then flannel's VXLAN backend and Calico (calico.yaml's default pool: IPIP Always, /26 blocks) on the same cluster. */
export function benchCluster(): Measure[] {
  return [...benchOne(undefined), ...benchOne(FLANNEL), ...benchOne(CALICO)];
}

const FLANNEL = '{type: flannel, backend: vxlan}';
const CALICO = '{type: calico}';

function benchOne(cniSpec: string | undefined): Measure[] {
  const text = generatedScenario(100, 3000, 1000, cniSpec);
  const label = cniSpec === undefined ? '' : cniSpec === CALICO ? ' (Calico IPIP)' : ' (flannel vxlan)';
  const loaded = time(() => loadScenario([{ path: 'bench.yaml', text }]));
  const spec = loaded.value.value;
  if (spec === undefined) throw new Error(`bench scenario does not load: ${loaded.value.diagnostics[0]?.message}`);
  const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);
  const built = time(() => buildCluster(spec, { cni, ctx: simContext(1) }));
  const cluster = built.value.value;
  if (cluster === undefined) throw new Error(`bench cluster does not build: ${built.value.diagnostics[0]?.message}`);
  const src = resolveEndpoint(cluster, 'pod-0');
  const dst = resolveEndpoint(cluster, 'svc-999');
  if ('problem' in src || 'problem' in dst) throw new Error('bench endpoints not found');
  const flow = planFlow(cluster, { src: src.endpoint, dst: dst.endpoint, reply: true });
  if ('problem' in flow) throw new Error(flow.problem);
  const traced = time(() => roundTrip(cluster, cluster.world, flow, { chooser: rngChooser(seededRng(1)), reply: true }));
  if (cniSpec === CALICO) {
    return [
      { name: `load it${label}: the same scenario with \`cni: {type: calico}\` and no IPPool (the default pool)`, value: loaded.ms, unit: 'ms' },
      { name: `build it${label}: calico-ipam (one /26 block and a tunl0 address per node), calico CNI ADD (cali veths, /32 routes), BIRD's 99 routes via tunl0, Felix's iptables and ipsets, kube-proxy`, value: built.ms, unit: 'ms' },
      { name: `trace pod → Service and back in it${label} (${traced.value.forward.ending.disposition})`, value: traced.ms, unit: 'ms' },
    ];
  }
  if (cniSpec !== undefined) {
    return [
      { name: `build it${label}: flanneld on every node (flannel.1, 99 peers each), CNI ADD through flannel → bridge, kube-proxy`, value: built.ms, unit: 'ms' },
      { name: `trace pod → Service and back in it${label} (${traced.value.forward.ending.disposition})`, value: traced.ms, unit: 'ms' },
    ];
  }
  return [
    { name: 'load a 100-node, 3,000-pod, 1,000-Service scenario', value: loaded.ms, unit: 'ms' },
    { name: 'build it (CNI ADD for every pod, kube-proxy on every node)', value: built.ms, unit: 'ms' },
    { name: `trace pod → Service and back in it (${traced.value.forward.ending.disposition})`, value: traced.ms, unit: 'ms' },
  ];
}
