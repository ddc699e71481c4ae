import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { buildCluster } from '../../cluster/assemble/cluster.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { clusterDot } from './cluster.js';

function defaultCluster(file = 'default.yaml') {
  const spec = loadScenario([{ path: file, text: readFileSync(`scenarios/${file}`, 'utf8') }]).value;
  if (spec === undefined) throw new Error('default scenario does not load');
  const built = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (built === undefined) throw new Error('default scenario does not build');
  return built;
}

describe('cluster view', () => {
  const built = defaultCluster();

  it('collapses pods past the limit into one box per node, with their veths', () => {
    const dot = clusterDot(built, { maxPodsPerNode: 1 });
    expect(dot).toContain('"more:node-1" [label="+2 more pods"');
    expect(dot).toContain('"more:node-2" [label="+2 more pods"');
    expect(dot.match(/"pod:/g)?.length).toBeGreaterThan(0);
    expect(dot).not.toContain('pod:default.b-1');
    expect(dot).not.toContain('veth02ba5808');
    // The Service's endpoint on the collapsed pod points at the box.
    expect(dot).toContain('"svc:default/service-b" -> "more:node-1"');
  });

  it('keeps the pods a trace crosses visible', () => {
    const hop = (ns: string) => ({ ns, label: ns, steps: [] });
    const forward = { hops: [hop('default.b-1')], ending: { disposition: 'DELIVERED' as const, ns: 'default.b-1', detail: 'x', packet: { src: 'a', dst: 'b', proto: 'tcp', ttl: 64 } } };
    const dot = clusterDot(built, { maxPodsPerNode: 1, overlay: { forward } });
    expect(dot).toContain('"pod:default.b-1" [');
    expect(dot).not.toContain('"pod:default.pod-a" [');
  });

  it('is byte-identical from run to run', () => {
    expect(clusterDot(defaultCluster(), { maxPodsPerNode: 12 })).toBe(clusterDot(built, { maxPodsPerNode: 12 }));
  });
});

describe('overlay tunnels', () => {
  it('draws one dashed VXLAN edge per pair of VTEPs, with its VNI and port', () => {
    const dot = clusterDot(defaultCluster('flannel-vxlan.yaml'), { maxPodsPerNode: 12 });
    const tunnels = dot.split('\n').filter((l) => l.includes('class="tunnel"'));
    expect(tunnels).toHaveLength(3);
    for (const t of tunnels) expect(t).toMatch(/"dev:node-\d\/flannel\.1" -> "dev:node-\d\/flannel\.1".*label="VNI 1, udp 8472"/);
  });
  it('draws none without an overlay', () => {
    expect(clusterDot(defaultCluster(), { maxPodsPerNode: 12 })).not.toContain('class="tunnel"');
  });
});
