/**
 * The overlay (kernel/overlay.ts) is a fast path for "trace in a copy of the world": on every
 * scenario in scenarios/, each flow traced in an overlay equals the same flow traced in a
 * `structuredClone` of the world (every random outcome, every hop, step and note), several
 * traces through one overlay equal the same traces through one clone, and the built world is
 * left exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { goldenScenarios } from '../../test/helpers/scenarios.js';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { type Endpoint, podEndpoint, serviceEndpoint } from '../cluster/lookup.js';
import { overlayWorld } from '../kernel/overlay.js';
import type { World } from '../kernel/world.js';
import { loadScenario } from '../scenario/index.js';
import { rngChooser, seededRng, simContext } from '../sim/context.js';
import { planFlow, roundTrip } from './cluster-trace.js';
import { enumerateOutcomes } from './enumerate.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function build(file: string): BuiltCluster {
  const spec = loadScenario([{ path: `scenarios/${file}`, text: readFileSync(`scenarios/${file}`, 'utf8') }]);
  const built = buildCluster(spec.value!, { cni, ctx: simContext(1) });
  return built.value!;
}

/** The first pods to the first Services and pods, and the last pod back to the first. */
function pairs(built: BuiltCluster): [Endpoint, Endpoint][] {
  const pods = built.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = built.spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  const dsts = [...svcs.slice(0, 4), ...pods.slice(0, 3), ...pods.slice(-1)];
  return pods.slice(0, 3).flatMap((src) => dsts.map((dst): [Endpoint, Endpoint] => [src, dst]));
}

/** Every outcome of every pair, each in a world from `fresh`, then all pairs in one world. */
function traceAll(built: BuiltCluster, fresh: () => World): unknown[] {
  const out: unknown[] = [];
  const shared = fresh();
  for (const [src, dst] of pairs(built)) {
    const flow = planFlow(built, { src, dst, reply: true });
    if ('problem' in flow) continue;
    out.push(enumerateOutcomes((chooser) => roundTrip(built, fresh(), flow, { chooser, reply: true })));
    out.push(roundTrip(built, shared, flow, { chooser: rngChooser(seededRng(7)), reply: true }));
  }
  return out;
}

describe('tracing in an overlay equals tracing in a structuredClone of the world', () => {
  it.each(goldenScenarios())('%s', (file) => {
    const built = build(file);
    const before = structuredClone(built.world);
    const viaClone = traceAll(built, () => structuredClone(built.world));
    const viaOverlay = traceAll(built, () => overlayWorld(built.world));
    expect(viaOverlay.length).toBeGreaterThan(0);
    expect(viaOverlay).toEqual(viaClone);
    expect(built.world).toEqual(before);
  });
});
