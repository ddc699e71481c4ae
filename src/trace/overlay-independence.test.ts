/**
 * Traces are independent of each other: a trace in a fresh overlay of the built world, made
 * after many other traces (each in its own overlay), equals the same trace made first, and the
 * same trace in a separately built cluster. So nothing a trace leaves behind — in the built
 * world or in a memo the tracer keeps (a packet's JSON, a route's text) — changes a later one.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { type Endpoint, podEndpoint, serviceEndpoint } from '../cluster/lookup.js';
import { overlayWorld } from '../kernel/overlay.js';
import { loadScenario } from '../scenario/index.js';
import { rngChooser, seededRng, simContext } from '../sim/context.js';
import { planFlow, roundTrip } from './cluster-trace.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function build(file: string): BuiltCluster {
  const spec = loadScenario([{ path: `scenarios/${file}`, text: readFileSync(`scenarios/${file}`, 'utf8') }]);
  return buildCluster(spec.value!, { cni, ctx: simContext(1) }).value!;
}

function endpoints(built: BuiltCluster): { srcs: Endpoint[]; dsts: Endpoint[] } {
  const pods = built.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = built.spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  return { srcs: pods, dsts: [...svcs, ...pods] };
}

/** One round trip in a fresh overlay of `built`'s world (undefined when the flow cannot be planned). */
function trace(built: BuiltCluster, src: Endpoint, dst: Endpoint, seed: number): unknown {
  const flow = planFlow(built, { src, dst, reply: true });
  if ('problem' in flow) return flow.problem;
  return roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(seed)), reply: true });
}

describe('a trace after many others equals the same trace on a fresh world', () => {
  it.each(['default.yaml', 'flannel-vxlan.yaml', 'calico-ipip.yaml'])('%s', (file) => {
    const built = build(file);
    const { srcs, dsts } = endpoints(built);
    const pick = fc.record({ src: fc.nat(srcs.length - 1), dst: fc.nat(dsts.length - 1), seed: fc.nat(5) });
    fc.assert(
      fc.property(pick, fc.array(pick, { minLength: 1, maxLength: 30 }), (probe, others) => {
        const fresh = build(file);
        const onFresh = trace(fresh, srcs[probe.src]!, dsts[probe.dst]!, probe.seed);
        const first = trace(built, srcs[probe.src]!, dsts[probe.dst]!, probe.seed);
        for (const o of others) trace(built, srcs[o.src]!, dsts[o.dst]!, o.seed);
        const after = trace(built, srcs[probe.src]!, dsts[probe.dst]!, probe.seed);
        expect(after).toEqual(first);
        expect(after).toEqual(onFresh);
      }),
      { numRuns: 8 },
    );
  });
});
