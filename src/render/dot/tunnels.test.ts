import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { buildCluster } from '../../cluster/assemble/cluster.js';
import { loadScenario } from '../../scenario/index.js';
import { simContext } from '../../sim/context.js';
import { clusterDot } from './cluster.js';
import { nodeDot } from './node.js';

function built(file: string) {
  const spec = loadScenario([{ path: file, text: readFileSync(`scenarios/${file}`, 'utf8') }]).value;
  if (spec === undefined) throw new Error(`${file} does not load`);
  const b = buildCluster(spec, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (b === undefined) throw new Error(`${file} does not build`);
  return b;
}

/** `node-1 node-2` for each tunnel edge of the cluster view. */
function tunnelPairs(dot: string): string[] {
  return dot
    .split('\n')
    .filter((l) => l.includes('class="tunnel"'))
    .map((l) => [...l.matchAll(/"dev:(node-\d)\//g)].map((m) => m[1]).join(' '));
}

describe('Calico in the cluster view', () => {
  const ipip = clusterDot(built('calico-ipip.yaml'), { maxPodsPerNode: 12 });

  it('draws an IPIP tunnel between every pair of tunl0 devices, from the routes via tunl0', () => {
    expect(tunnelPairs(ipip)).toEqual(['node-1 node-2', 'node-1 node-3', 'node-2 node-3']);
    expect(ipip).toContain('"dev:node-1/tunl0" -> "dev:node-2/tunl0" [style="dashed"');
    expect(ipip).toContain('label="IPIP, proto 4"');
    expect(ipip).toContain('tunl0 (ipip)\\n10.244.0.0/32');
  });

  it('draws no bridge: each pod is wired to its cali veth', () => {
    expect(ipip).not.toContain('(bridge)');
    expect(ipip).toMatch(/"pod:default\.client" -> "dev:node-1\/cali[0-9a-f]{11}"/);
  });

  // node-2's block holds its two pods and a CoreDNS pod of the DNS addon.
  it('labels each node with its blocks instead of the podCIDR calico-ipam ignores', () => {
    expect(ipip).toContain('label="node node-2\\nblock 10.244.0.64/26: 3 of 64 in use"');
    expect(ipip).not.toContain('podCIDR');
  });

  it('CrossSubnet: a VXLAN tunnel only between the racks, though Felix writes FDB entries for every VTEP', () => {
    const dot = clusterDot(built('calico-vxlan-crosssubnet.yaml'), { maxPodsPerNode: 12 });
    expect(tunnelPairs(dot)).toEqual(['node-1 node-3', 'node-2 node-3']);
    expect(dot).toContain('label="VNI 4096, udp 4789"');
  });

  it('lists borrowed addresses on the borrower and the lent count on the block owner', () => {
    const b = built('calico-pool-exhaustion.yaml');
    const dot = clusterDot(b, { maxPodsPerNode: 12 });
    expect(dot).toContain("borrowed 10.244.0.3 (default/lonely) from node-1's 10.244.0.0/26");
    expect(dot).toContain('block 10.244.0.0/26: 4 of 64 in use, 2 lent');
    const node = nodeDot(b, 'node-3', { maxPods: 12 });
    expect('dot' in node && node.dot).toContain('IPAM blocks');
  });
});
