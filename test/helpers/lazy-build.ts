/**
 * What a lazy or shared build must give exactly as the eager build does: every namespace's
 * `show` output, every node's rulesets (without the payload lines rules were read from), and
 * traces from the first pod (lazy-proxy.test.ts and its property test).
 */
import { getNetns } from '../../src/kernel/world.js';
import { overlayWorld } from '../../src/kernel/overlay.js';
import { allSections, renderSections } from '../../src/render/netns-state.js';
import { rngChooser, seededRng } from '../../src/sim/context.js';
import { planFlow, roundTrip } from '../../src/trace/cluster-trace.js';
import { podEndpoint, serviceEndpoint } from '../../src/cluster/lookup.js';
import type { BuiltCluster } from '../../src/cluster/assemble/cluster.js';

/** Every namespace as `netsim show NS all` prints it, in name order. */
export function shown(built: BuiltCluster): string {
  const names = Object.keys(built.world.netns).sort();
  return names.map((n) => { const ns = getNetns(built.world, n); return `## ${n}\n${renderSections(built.world, ns, allSections(ns))}`; }).join('\n');
}

/** A node's iptables and ip6tables state as data, without the payload lines the rules were read from. */
export function rulesets(built: BuiltCluster, node: string): unknown {
  const { rulesets } = getNetns(built.world, node).netfilter;
  return JSON.parse(JSON.stringify(rulesets, (k, v: unknown) => (k === 'line' ? undefined : typeof v === 'bigint' ? String(v) : v)));
}

/** The first pod to the first Services and the last `lastPods` pods, traced with one seed. */
export function traces(built: BuiltCluster, lastPods = 1): unknown[] {
  const pods = built.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = built.spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  const src = pods[0];
  if (src === undefined) return [];
  const out: unknown[] = [];
  for (const dst of [...svcs.slice(0, 3), ...pods.slice(-lastPods)]) {
    const flow = planFlow(built, { src, dst, reply: true });
    if ('problem' in flow) continue;
    out.push(roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(3)), reply: true }));
  }
  return out;
}

