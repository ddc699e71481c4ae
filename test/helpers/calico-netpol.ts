/** Build a calico cluster from scenario text and trace through it, for the NetworkPolicy datapath tests. */
import { BUILTIN_CNI_PLUGINS } from '../../src/cni/builtins.js';
import { createCniRegistry } from '../../src/cni/registry.js';
import { type BuiltCluster, buildCluster } from '../../src/cluster/assemble/cluster.js';
import { loadScenario } from '../../src/scenario/load.js';
import { simContext } from '../../src/sim/context.js';
import { runTrace } from '../../src/app/trace.js';
import type { RoundTrip } from '../../src/trace/cluster-trace.js';

/** The built cluster, or throws with the diagnostics. */
export function buildText(text: string): BuiltCluster {
  const spec = loadScenario([{ path: 'np.yaml', text }]);
  if (spec.value === undefined) throw new Error(spec.diagnostics.map((d) => d.message).join('; '));
  const built = buildCluster(spec.value, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
  if (built === undefined) throw new Error('cluster did not build');
  return built;
}

/** One round trip; throws when the query is wrong. */
export function trip(built: BuiltCluster, src: string, dst: string, opts: { port?: number; protocol?: 'tcp' | 'udp' | 'sctp' } = {}): RoundTrip {
  const r = runTrace(built, { src, dst, seed: 1, ...opts });
  if ('problem' in r) throw new Error(r.problem);
  return r.trips[0] as RoundTrip;
}

/** The notes of a trace, in order. */
export function notes(t: RoundTrip['forward']): string[] {
  return t.hops.flatMap((h) => h.steps.flatMap((s) => (s.type === 'note' ? [s.text] : [])));
}

/** The pods of {@link fourPodScenario}, as `namespace/name`. */
export const FOUR_PODS = ['x/a', 'x/b', 'y/a', 'y/b'];

/**
 * A two-node calico cluster with pods x/a, x/b, y/a, y/b (namespace x labelled tier=web), each
 * declaring ports 80 and 81 in the given protocols: the world of the policy property tests.
 */
export function fourPodScenario(opts: { readonly protocols: readonly string[]; readonly extraNamespaces?: readonly string[] }): string {
  const ports = [80, 81].flatMap((p) => opts.protocols.map((proto) => `{containerPort: ${p}, protocol: ${proto}, name: serve-${p}-${proto.toLowerCase()}}`)).join(', ');
  const pod = (ns: string, name: string, node: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {pod: ${name}}}\nspec:\n  nodeName: ${node}\n  containers: [{name: c, ports: [${ports}]}]\n`;
  const namespace = (name: string, labels = '') => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${labels}}\n`;
  return `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: p}
spec:
  clusterCIDR: 10.244.0.0/16
  serviceCIDR: 10.96.0.0/12
  nodeNetwork: 192.168.56.0/24
  cni: {type: calico}
  nodes: [{name: node-1}, {name: node-2}]
${namespace('x', ', labels: {tier: web}')}${namespace('y')}${(opts.extraNamespaces ?? []).map((n) => namespace(n)).join('')}${pod('x', 'a', 'node-1')}${pod('x', 'b', 'node-2')}${pod('y', 'a', 'node-2')}${pod('y', 'b', 'node-1')}`;
}
