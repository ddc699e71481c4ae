import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../load.js';
import { readSources } from '../read-sources.js';
import { resolveCluster } from './cluster.js';
import { resolveNodes } from './nodes.js';
import { resolvePods, resolvePodsByName } from './pods.js';
import { resolveWorkloads } from './workloads.js';

/** load.ts's steps up to the pods, with the pods resolved by `resolve`: the pods and every diagnostic. */
function podsOf(text: string, resolve: typeof resolvePods): { names: string[]; diags: string[] } {
  const files = [{ path: 's.yaml', text }];
  const { raw, read } = readSources(files);
  const cluster = resolveCluster(raw.clusters, files, read);
  const rawCluster = raw.clusters[0];
  if (cluster === undefined || rawCluster === undefined) throw new Error('no cluster');
  const nodes = resolveNodes(raw.nodes, cluster, rawCluster);
  const made = resolveWorkloads(raw.workloads, nodes, raw.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`));
  const pods = resolve(raw.pods, nodes, cluster.cni, made);
  return { names: pods.map((p) => `${p.namespace}/${p.name}@${p.nodeName}:${p.owner?.kind ?? '-'}`), diags: read.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.code} ${d.message}`) };
}

const cluster = (mask: number, nodes: number): string => `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  clusterCIDR: 10.244.0.0/16
  nodeCIDRMaskSize: ${mask}
  cni: {type: bridge}
  nodes:
${Array.from({ length: nodes }, (_, i) => `    - {name: n${i + 1}}`).join('\n')}
`;

const workload = fc.record({
  kind: fc.constantFrom('Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'),
  name: fc.constantFrom('web', 'api', 'db', 'web-a'),
  namespace: fc.constantFrom('default', 'a'),
  replicas: fc.integer({ min: 0, max: 4 }),
});
type W = typeof workload extends fc.Arbitrary<infer T> ? T : never;

const workloadDoc = (w: W): string => `---
apiVersion: apps/v1
kind: ${w.kind}
metadata: {name: ${w.name}, namespace: ${w.namespace}}
spec:
${w.kind === 'DaemonSet' ? '' : `  replicas: ${w.replicas}\n`}  selector: {matchLabels: {app: ${w.name}}}
  template:
    metadata: {labels: {app: ${w.name}}}
    spec:
      containers: [{name: c}]
`;

/** A written Pod: named as the `pick`-th pod the workloads make without it (so it takes that name first), or by a fixed name. */
const written = fc.record({
  pick: fc.oneof(fc.nat(40), fc.constantFrom('db-0', 'db-1', 'web-client')),
  namespace: fc.constantFrom('default', 'a'),
  node: fc.option(fc.constantFrom('n1', 'n2', 'n9')),
  podIP: fc.option(fc.constantFrom('10.244.0.2', '10.244.0.3', '10.244.1.2')),
});
type P = typeof written extends fc.Arbitrary<infer T> ? T : never;

const podDoc = (p: P, name: string): string => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${p.namespace}}
spec:
${p.node === null ? '' : `  nodeName: ${p.node}\n`}  containers: [{name: c}]
${p.podIP === null ? '' : `status: {podIP: ${p.podIP}}\n`}`;

describe('resolvePods = resolvePodsByName', () => {
  it('for random workloads and written Pods that take names the workloads would draw', () => {
    fc.assert(fc.property(fc.constantFrom(26, 28, 29), fc.integer({ min: 1, max: 3 }), fc.array(workload, { maxLength: 6 }), fc.array(written, { maxLength: 6 }), (mask, nodes, ws, ps) => {
      const base = cluster(mask, nodes) + ws.map(workloadDoc).join('');
      const drawn = (loadScenario([{ path: 's.yaml', text: base }]).value?.pods ?? []).map((p) => p.name);
      const text = base + ps.map((p) => podDoc(p, typeof p.pick === 'string' ? p.pick : (drawn[p.pick % Math.max(1, drawn.length)] ?? 'x'))).join('');
      expect(podsOf(text, resolvePods)).toEqual(podsOf(text, resolvePodsByName));
    }), { numRuns: 400 });
  });
});
