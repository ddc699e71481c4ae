/**
 * The tracer: drives the kernel model's `step()` from a starting location until every copy of
 * the packet is delivered, dropped or gone, records what happened as hops, and ends the trace in
 * one disposition. It owns loop detection (the same packet at the same place twice, TTL aside)
 * and the choice of the path to report when a flood makes copies. It never decides anything
 * about the packet itself: that is the kernel model's job.
 */
import { InternalError } from '../diag/diagnostic.js';
import type { KernelEvent } from '../kernel/events.js';
import { type Location, type StepResult, step } from '../kernel/stack/step.js';
import type { World } from '../kernel/world.js';
import { flowKey, flowOf } from '../packet/flow.js';
import type { Packet } from '../packet/packet.js';
import { packetJson } from '../packet/json.js';
import type { SimContext } from '../sim/context.js';
import { hopsOf } from './hops.js';
import { DISPOSITION_OF_DROP, type Ending, type Trace } from './types.js';

/** Upper bound on namespaces visited by one packet; beyond it the trace ends in LOOP. */
export const MAX_STEPS = 512;

/** How to trace. */
export interface TraceEnv {
  readonly ctx: SimContext;
  /** Names a namespace for people (`pod default/pod-a`). */
  readonly label: (ns: string) => string;
}

/** A finished branch: its events and how it ended. */
interface Branch {
  readonly events: readonly KernelEvent[];
  readonly ending: Ending;
  /** The packet where the branch ended (as delivered, or as dropped). */
  readonly packet: Packet;
  /** Copies that reached a device whose MAC was not theirs: pruned, not reported. */
  readonly pruned: boolean;
}

/** Traces one packet from `start` through the world (which it mutates: conntrack, FDB, neighbours). */
export function tracePacket(world: World, start: Location, env: TraceEnv): Trace {
  return tracePacketRun(world, start, env).trace;
}

/** Like {@link tracePacket}, also returning the packet as it ended (to build the reply from). */
export function tracePacketRun(world: World, start: Location, env: TraceEnv): { trace: Trace; packet: Packet } {
  const branches: Branch[] = [];
  walk(world, start, env, [], new Set(), branches);
  const chosen = pickBranch(branches);
  return { trace: { hops: hopsOf(chosen.events, env.label), ending: chosen.pruned ? floodedAway(chosen.ending) : chosen.ending }, packet: chosen.packet };
}

/** Depth-first over the copies of the packet, in the order the kernel produced them. */
function walk(world: World, loc: Location, env: TraceEnv, events: KernelEvent[], seen: Set<string>, out: Branch[]): void {
  let here = loc;
  for (let n = 0; ; n++) {
    const packet = here.at === 'rx' ? here.frame.packet : here.packet;
    const key = placeKey(here, packet);
    if (seen.has(key) || n >= MAX_STEPS) {
      const detail = n >= MAX_STEPS ? `more than ${MAX_STEPS} hops` : `the packet came back to ${here.ns}${here.at === 'rx' ? ` ${here.dev}` : ''} unchanged`;
      out.push({ events, ending: { disposition: 'LOOP', ns: here.ns, detail, packet: packetJson(packet) }, packet, pruned: false });
      return;
    }
    seen.add(key);
    const result: StepResult = step(world, here, { ctx: env.ctx, emit: (e) => events.push(e) });
    if (result.kind !== 'next') {
      out.push(finish(result, events));
      return;
    }
    const [first, ...rest] = result.next;
    if (first === undefined) {
      out.push({ events, ending: { disposition: 'DROPPED', ns: here.ns, detail: 'no copy of the packet went anywhere', packet: packetJson(packet) }, packet, pruned: false });
      return;
    }
    for (const other of rest) walk(world, other, env, [...events], new Set(seen), out);
    here = first;
  }
}

/** The ending of a terminal step result. */
function finish(r: Exclude<StepResult, { kind: 'next' }>, events: KernelEvent[]): Branch {
  switch (r.kind) {
    case 'delivered':
      return { events, ending: { disposition: 'DELIVERED', ns: r.ns, detail: `delivered to a socket in ${r.ns} via ${r.dev}`, packet: packetJson(r.packet) }, packet: r.packet, pruned: false };
    case 'exits':
      return { events, ending: { disposition: 'EXITS_NETWORK', ns: r.ns, detail: `left the modelled network through ${r.ns} ${r.dev}`, packet: packetJson(r.packet) }, packet: r.packet, pruned: false };
    case 'dropped':
      return {
        events,
        ending: { disposition: DISPOSITION_OF_DROP[r.reason], ns: r.ns, reason: r.reason, detail: r.detail, packet: packetJson(r.packet) },
        packet: r.packet,
        pruned: r.reason === 'OTHERHOST',
      };
  }
}

/**
 * The ending when every copy was pruned: a frame to a MAC no device owns any more (a neighbour
 * entry that outlived its pod) is flooded by the bridges and discarded by every receiver as
 * PACKET_OTHERHOST, so the packet is lost; the ending says so rather than blame one receiver.
 */
function floodedAway(e: Ending): Ending {
  return { ...e, detail: `no device owns the frame's destination MAC: every copy was flooded and discarded as not addressed to its receiver (the last: ${e.detail})` };
}

/** The branch to report: a delivery first, then any real ending, then whatever there is. */
function pickBranch(branches: readonly Branch[]): Branch {
  const real = branches.filter((b) => !b.pruned);
  const best =
    real.find((b) => b.ending.disposition === 'DELIVERED') ??
    real.find((b) => b.ending.disposition === 'EXITS_NETWORK') ??
    real[0] ??
    branches[0];
  if (best === undefined) throw new InternalError('tracer produced no branch');
  return best;
}

/** Where a packet is, for loop detection: namespace, device, headers but not the TTL. */
function placeKey(loc: Location, p: Packet): string {
  const outer = p.encap.map((o) => `${o.kind}:${JSON.stringify(packetJson({ ip: o.ip, l4: p.l4, encap: [] }))}`).join('/');
  return `${loc.at}|${loc.ns}|${loc.at === 'rx' ? loc.dev : ''}|${flowKey(flowOf(p))}|${outer}`;
}
