/**
 * Benchmark of `netsim diagram` on a generated 100-node cluster (3,000 pods, 100 Services):
 * the cluster view's DOT with pods collapsed past 12 per node, then its SVG layout through
 * Graphviz-wasm (the first SVG call includes instantiating the wasm module).
 */
import { performance } from 'node:perf_hooks';
import { BUILTIN_CNI_PLUGINS } from '../src/cni/builtins.js';
import { createCniRegistry } from '../src/cni/registry.js';
import { buildCluster } from '../src/cluster/assemble/cluster.js';
import { clusterDot, dotToSvg } from '../src/render/dot/index.js';
import { loadScenario } from '../src/scenario/index.js';
import { simContext } from '../src/sim/context.js';
import { generatedScenario } from './cluster.js';
import type { Measure } from './measure.js';

/** Runs the diagram benchmark. */
export async function benchDiagram(): Promise<Measure[]> {
  const spec = loadScenario([{ path: 'bench.yaml', text: generatedScenario(100, 3000, 100) }]).value;
  if (spec === undefined) throw new Error('bench scenario does not load');
  const cluster = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (cluster === undefined) throw new Error('bench cluster does not build');
  let t0 = performance.now();
  const dot = clusterDot(cluster, { maxPodsPerNode: 12 });
  const dotMs = performance.now() - t0;
  t0 = performance.now();
  const svg = await dotToSvg(dot);
  const svgMs = performance.now() - t0;
  return [
    { name: 'diagram: cluster DOT, 100 nodes / 3,000 pods (12 drawn per node) / 100 Services', value: dotMs, unit: 'ms' },
    { name: '  DOT size', value: dot.length / 1024, unit: 'KiB' },
    { name: 'diagram: SVG layout of that DOT (Graphviz-wasm, first call)', value: svgMs, unit: 'ms' },
    { name: '  SVG size', value: svg.length / 1024, unit: 'KiB' },
  ];
}
