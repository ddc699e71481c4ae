/**
 * kube-proxy's deferred syncs (proxy.ts deferKubeProxySyncs, through the payload every node
 * shares: proxy-parts.ts) are a fast path for the eager build (each node's payload text,
 * restored): on every scenario in scenarios/, every namespace's every `show` section and every
 * node's payload are byte-identical to the eager build's, the rulesets equal, and traces equal; a trace runs the
 * syncs of the nodes it reads and leaves the others deferred.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenScenarios } from '../../../test/helpers/scenarios.js';
import { BUILTIN_CNI_PLUGINS } from '../../cni/builtins.js';
import { createCniRegistry } from '../../cni/registry.js';
import { hasDeferredNetfilterWrites } from '../../kernel/deferred-netfilter.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { getNetns } from '../../kernel/world.js';
import { loadScenario } from '../../scenario/index.js';
import { rngChooser, seededRng, simContext } from '../../sim/context.js';
import { planFlow, roundTrip } from '../../trace/cluster-trace.js';
import { podEndpoint, serviceEndpoint } from '../lookup.js';
import { type BuiltCluster, buildCluster } from './cluster.js';
import { rulesets, shown, traces } from '../../../test/helpers/lazy-build.js';
import { kubeRouterEnforces } from './kube-router.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function build(file: string, eager: boolean): BuiltCluster {
  const spec = loadScenario([{ path: `scenarios/${file}`, text: readFileSync(`scenarios/${file}`, 'utf8') }]);
  const built = buildCluster(spec.value!, { cni, ctx: simContext(1), eager });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.value!;
}

describe('deferred kube-proxy syncs equal the eager build', () => {
  it.each(goldenScenarios())('%s', (file) => {
    const eager = build(file, true);
    const lazy = build(file, false);
    // kube-router's controller writes its chains after kube-proxy's sync, which runs it first.
    expect(lazy.spec.nodes.some((n) => hasDeferredNetfilterWrites(getNetns(lazy.world, n.name)))).toBe(!kubeRouterEnforces(lazy.spec));
    expect(traces(lazy)).toEqual(traces(eager));
    expect(shown(lazy)).toBe(shown(eager));
    expect({ ...lazy.proxyPayloads }).toEqual({ ...eager.proxyPayloads });
    // The shared payload's parsed rules equal the text's, but for the line they were read from.
    for (const n of lazy.spec.nodes) expect(rulesets(lazy, n.name)).toEqual(rulesets(eager, n.name));
    expect(lazy.spec.nodes.filter((n) => hasDeferredNetfilterWrites(getNetns(lazy.world, n.name)))).toEqual([]);
  });
});

describe('a trace runs the syncs of the nodes it reads', () => {
  it('a pod → pod trace on one node of a three-node cluster leaves the other nodes deferred', () => {
    const built = build('workloads.yaml', false);
    const pods = built.pods.filter((p) => !p.pod.hostNetwork);
    const a = pods[0]!;
    const b = pods.find((p) => p !== a && p.pod.nodeName === a.pod.nodeName)!;
    const flow = planFlow(built, { src: podEndpoint(a)!, dst: podEndpoint(b)!, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(1)), reply: true });
    const deferred = built.spec.nodes.filter((n) => hasDeferredNetfilterWrites(getNetns(built.world, n.name))).map((n) => n.name);
    expect(deferred).not.toContain(a.pod.nodeName);
    expect(deferred.length).toBe(built.spec.nodes.length - 1);
  });

  it('a trace to a pod on another node runs those two nodes\' syncs only (the ARP broadcast that reaches every node does not)', () => {
    const built = build('workloads.yaml', false);
    const pods = built.pods.filter((p) => !p.pod.hostNetwork);
    const a = pods[0]!;
    const b = pods.find((p) => p.pod.nodeName !== a.pod.nodeName)!;
    const flow = planFlow(built, { src: podEndpoint(a)!, dst: podEndpoint(b)!, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(1)), reply: true });
    const ran = built.spec.nodes.filter((n) => !hasDeferredNetfilterWrites(getNetns(built.world, n.name))).map((n) => n.name);
    expect(ran.sort()).toEqual([a.pod.nodeName, b.pod.nodeName].sort());
    expect(built.spec.nodes.length).toBeGreaterThan(2);
  });

  it('a trace to a Service looks the node\'s nat chains up by name: the chain array is made only when something enumerates it', () => {
    const built = build('workloads.yaml', false);
    const eager = build('workloads.yaml', true);
    const a = built.pods.find((p) => !p.pod.hostNetwork)!;
    const svc = built.spec.services.map(serviceEndpoint).find((e) => e !== undefined)!;
    const flow = planFlow(built, { src: podEndpoint(a)!, dst: svc, reply: true });
    if ('problem' in flow) throw new Error(flow.problem);
    const trip = roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(1)), reply: true });
    expect(trip.forward.ending.disposition).toBe('DELIVERED');
    const nat = () => getNetns(built.world, a.pod.nodeName).netfilter.rulesets[4].tables.find((t) => t.name === 'nat')!;
    expect(Object.getOwnPropertyDescriptor(nat(), 'chains')?.get).toBeDefined();
    // A clone reads it like a value (the rules equal the text's but for the line read from).
    expect(structuredClone(nat()).chains.length).toBe(getNetns(eager.world, a.pod.nodeName).netfilter.rulesets[4].tables.find((t) => t.name === 'nat')!.chains.length);
    expect(rulesets(built, a.pod.nodeName)).toEqual(rulesets(eager, a.pod.nodeName));
    expect(Object.getOwnPropertyDescriptor(nat(), 'chains')?.get).toBeUndefined();
  });
});
