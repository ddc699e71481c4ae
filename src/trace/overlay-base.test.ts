/**
 * Tracing never changes the built world, and a trace's fork of a namespace shares what the packet
 * path does not write (kernel/overlay.ts, kernel/cow.ts). On scenarios that learn into bridge and
 * VXLAN FDBs, resolve neighbours, open client sockets, fill conntrack, NAT, `-m recent` lists
 * (sessions) and nftables state: round trips each in a fresh overlay, all in one overlay, and
 * sessions (which also delete pods and wait), then the built world deep-equals a
 * `structuredClone` taken before, device and FDB order included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { createCniRegistry } from '../cni/registry.js';
import { type BuiltCluster, buildCluster } from '../cluster/assemble/cluster.js';
import { type Endpoint, podEndpoint, resolveEndpoint, serviceEndpoint } from '../cluster/lookup.js';
import type { Netns } from '../kernel/netns.js';
import { overlayWorld, peekNetns } from '../kernel/overlay.js';
import type { World } from '../kernel/world.js';
import { loadScenario } from '../scenario/index.js';
import { manualClock } from '../sim/clock.js';
import { rngChooser, seededRng, simContext } from '../sim/context.js';
import { planFlow, roundTrip } from './cluster-trace.js';
import { type SessionFlow, runSession } from './session/run.js';
import { type SessionStep, parseStep } from './session/steps.js';

const cni = createCniRegistry(BUILTIN_CNI_PLUGINS);

function build(file: string): BuiltCluster {
  const spec = loadScenario([{ path: `scenarios/${file}`, text: readFileSync(`scenarios/${file}`, 'utf8') }]);
  return buildCluster(spec.value!, { cni, ctx: simContext(1) }).value!;
}

/** The world as plain data, with the orders renderers follow (devices, FDB tables) spelled out. */
function frozen(w: World): unknown {
  const order = Object.fromEntries(
    Object.entries(w.netns).map(([name, ns]) => [name, { links: Object.keys(ns.links), fdb: [...ns.fdb.bridge.keys(), '|', ...ns.fdb.vxlan.keys()] }]),
  );
  return { world: structuredClone(w), order };
}

function pairs(built: BuiltCluster): [Endpoint, Endpoint][] {
  const pods = built.pods.map(podEndpoint).filter((e) => e !== undefined);
  const svcs = built.spec.services.map(serviceEndpoint).filter((e) => e !== undefined);
  const dsts = [...svcs.slice(0, 6), ...pods.slice(0, 3), ...pods.slice(-3)];
  return [...pods.slice(0, 3), ...pods.slice(-1)].flatMap((src) => dsts.map((dst): [Endpoint, Endpoint] => [src, dst]));
}

/** The sessions of scenarios/sessions.yaml's header: affinity, conntrack, deleted pods, waits. */
const SESSIONS: readonly (readonly [string, string, readonly string[]])[] = [
  ['client', 'sticky', ['again', 'wait 61s', 'again']],
  ['client', 'web', ['send', 'retransmit', 'reply']],
  ['client', 'web', ['wait 121s', 'retransmit']],
  ['client', 'web', ['send', 'delete pod web-2', 'send']],
  ['client', 'dns', ['delete pod dns-2', 'send']],
];

function session(built: BuiltCluster, src: string, dst: string, steps: readonly string[]): void {
  const plan = (c: BuiltCluster, s: string, d: string): SessionFlow | { problem: string } => {
    const a = resolveEndpoint(c, s);
    const b = resolveEndpoint(c, d);
    if ('problem' in a) return a;
    if ('problem' in b) return b;
    const flow = planFlow(c, { src: a.endpoint, dst: b.endpoint, reply: true, ...(d === 'dns' ? { protocol: 'udp' as const } : {}) });
    return 'problem' in flow ? flow : { flow, srcLabel: a.endpoint.label, dstLabel: b.endpoint.label, srcName: s };
  };
  const first = plan(built, src, dst);
  if ('problem' in first) throw new Error(first.problem);
  const r = runSession(built, first, steps.map((t) => parseStep(t) as SessionStep), {
    chooser: rngChooser(seededRng(1)),
    clock: manualClock(),
    reply: true,
    plan: (c, s, d, last) => plan(c, s ?? last.srcName, d),
  });
  if ('problem' in r) throw new Error(r.problem);
}

/** The namespaces `overlay` forked from `base` (read without forking more). */
function forks(base: World, overlay: World): [Netns, Netns][] {
  const seen = peekNetns(overlay.netns);
  return Object.keys(base.netns).flatMap((name) => {
    const f = seen[name];
    const b = base.netns[name];
    return f !== undefined && b !== undefined && f !== b ? [[f, b] as [Netns, Netns]] : [];
  });
}

describe('tracing through overlays leaves the built world as it was', () => {
  it.each(['default.yaml', 'two-racks.yaml', 'flannel-vxlan.yaml', 'calico-vxlan-crosssubnet.yaml', 'nftables.yaml', 'sessions.yaml'])('%s', (file) => {
    const built = build(file);
    // A built world that has already seen traffic (learned FDB entries, neighbours, conntrack), so that
    // the traces below write into lists the base holds, not only into ones they create.
    for (const [src, dst] of pairs(built).slice(0, 4)) {
      const flow = planFlow(built, { src, dst, reply: true });
      if (!('problem' in flow)) roundTrip(built, built.world, flow, { chooser: rngChooser(seededRng(1)), reply: true });
    }
    const before = frozen(built.world);
    const shared = overlayWorld(built.world);
    let traced = 0;
    for (const [src, dst] of pairs(built)) {
      const flow = planFlow(built, { src, dst, reply: true });
      if ('problem' in flow) continue;
      roundTrip(built, overlayWorld(built.world), flow, { chooser: rngChooser(seededRng(3)), reply: true });
      roundTrip(built, shared, flow, { chooser: rngChooser(seededRng(5)), reply: true });
      traced++;
    }
    if (file === 'sessions.yaml') for (const [src, dst, steps] of SESSIONS) session(built, src, dst, steps);
    expect(traced).toBeGreaterThan(0);
    expect(frozen(built.world)).toStrictEqual(before);
    // The packet path writes no device, address, route, rule or sysctl: a fork shares them all.
    const forked = forks(built.world, shared);
    expect(forked.length).toBeGreaterThan(1);
    for (const [f, b] of forked) {
      expect([f.name, f.links === b.links, f.addrs === b.addrs, f.tables === b.tables, f.sysctl === b.sysctl]).toEqual([b.name, true, true, true, true]);
    }
  });
});
