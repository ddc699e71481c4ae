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
