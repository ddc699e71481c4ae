/**
 * The session runner: a first connection, then each step against the same world and the same
 * simulated clock, so what one packet left behind (conntrack entries and their NAT bindings,
 * neighbour and FDB entries, `-m recent` lists, nft affinity sets, `nth` counters) decides what
 * the next one does. The world is an overlay of the built one (kernel/overlay.ts): the session's
 * state is thrown away with it, and the built cluster never changes.
 *
 * Pure: names are resolved by the `plan` callback the caller hands in (the app layer resolves
 * them as `netsim trace` does), time comes from the injected clock, random choices from the
 * injected chooser.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { deletePod } from '../../cluster/assemble/delete-pod.js';
import { formatIp } from '../../addr/ip.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { formatEntry } from '../../kernel/netfilter/index.js';
import type { World } from '../../kernel/world.js';
import { flowOf } from '../../packet/flow.js';
import { type Packet, type TcpFlag, hasPorts } from '../../packet/packet.js';
import type { Chooser } from '../../sim/context.js';
import type { SimClock } from '../../sim/clock.js';
import { CLIENT_PORT, type PlannedFlow, type RoundTrip, replyPacket, roundTripRun, sendPacket } from '../cluster-trace.js';
import type { Trace } from '../types.js';
import { type SessionStep, stepText } from './steps.js';

/** A connection the session opened: who sends, to whom, and what the server got. */
export interface SessionFlow {
  readonly flow: PlannedFlow;
  readonly srcLabel: string;
  readonly dstLabel: string;
  /** The word the source was named by (`pod-a`), for `to DST` steps that keep it. */
  readonly srcName: string;
}

/** What the session needs besides the cluster. */
export interface SessionEnv {
  readonly chooser: Chooser;
  readonly clock: SimClock;
  /** Trace the answer of each new connection (`--reply`, the default). */
  readonly reply: boolean;
  /** Resolves `from SRC to DST` (SRC undefined: the last connection's source) in the cluster as it is now. */
  readonly plan: (built: BuiltCluster, src: string | undefined, dst: string, last: SessionFlow) => SessionFlow | { problem: string };
}

/** One step's outcome. `time` is the clock when the step ran (after it, for `wait`). */
export type StepRun =
  | { readonly kind: 'connect'; readonly text: string; readonly time: number; readonly conn: SessionFlow; readonly trip: RoundTrip }
  | { readonly kind: 'packet'; readonly text: string; readonly time: number; readonly from: string; readonly packet: Packet; readonly trace: Trace }
  | { readonly kind: 'wait'; readonly text: string; readonly time: number; readonly expired: readonly { readonly ns: string; readonly entry: string }[] }
  | {
      readonly kind: 'delete';
      readonly text: string;
      readonly time: number;
      readonly pod: string;
      readonly ips: readonly string[];
      readonly services: readonly string[];
      readonly conntrack: readonly { readonly node: string; readonly entries: readonly string[] }[];
    }
  | { readonly kind: 'nothing'; readonly text: string; readonly time: number; readonly why: string };

/** A finished session: each step, the world and cluster it left behind, and the clock. */
export interface Session {
  readonly steps: readonly StepRun[];
  readonly built: BuiltCluster;
  readonly world: World;
  readonly now: number;
}

/** A step that could not run because it names something the cluster lacks (the caller points at it). */
export interface SessionProblem {
  readonly problem: string;
  /** Index of the step in the list given (the first connection is not counted). */
  readonly step: number;
}

interface Conn extends SessionFlow {
  /** The client's last packet (what `retransmit` sends again). */
  last: Packet;
  server?: { readonly ns: string; readonly packet: Packet };
  /** The server sent its first answer (a SYN-ACK for TCP). */
  answered: boolean;
}

interface State {
  built: BuiltCluster;
  readonly world: World;
  conn: Conn;
  /** Connections opened so far: the next one's ephemeral port (or echo id) is CLIENT_PORT plus this. */
  opened: number;
  /** Namespaces a packet crossed: where `wait` looks for entries that expire. */
  readonly touched: Set<string>;
}

/** Runs the first connection and then every step. */
export function runSession(built: BuiltCluster, first: SessionFlow, steps: readonly SessionStep[], env: SessionEnv): Session | SessionProblem {
  const world = overlayWorld(built.world);
  const runs: StepRun[] = [];
  const opening = connect(built, world, first, env);
  const state: State = { built, world, conn: opening.conn, opened: 1, touched: new Set() };
  touch(state, opening.run);
  runs.push(opening.run);
  for (const [i, step] of steps.entries()) {
    const r = runStep(state, step, env);
    if ('problem' in r) return { problem: r.problem, step: i };
    touch(state, r);
    runs.push(r);
  }
  return { steps: runs, built: state.built, world, now: env.clock.now() };
}

function connect(built: BuiltCluster, world: World, c: SessionFlow, env: SessionEnv, text = ''): { conn: Conn; run: StepRun } {
  const r = roundTripRun(built, world, c.flow, { chooser: env.chooser, reply: env.reply, now: env.clock.now });
  const conn: Conn = { ...c, last: c.flow.packet, answered: r.trip.reply !== undefined, ...(r.delivered !== undefined ? { server: r.delivered } : {}) };
  return { conn, run: { kind: 'connect', text, time: env.clock.now(), conn: c, trip: r.trip } };
}

function touch(state: State, r: StepRun): void {
  const traces = r.kind === 'connect' ? [r.trip.forward, ...(r.trip.reply !== undefined ? [r.trip.reply] : [])] : r.kind === 'packet' ? [r.trace] : [];
  for (const t of traces) for (const h of t.hops) state.touched.add(h.ns);
}

function runStep(state: State, step: SessionStep, env: SessionEnv): StepRun | { problem: string } {
  const text = stepText(step);
  const time = env.clock.now();
  switch (step.kind) {
    case 'again':
      return open(state, { ...state.conn, flow: { ...state.conn.flow, packet: nextConnection(state.conn.flow.packet, state.opened) } }, env, text);
    case 'connect': {
      const planned = env.plan(state.built, step.src, step.dst, state.conn);
      if ('problem' in planned) return planned;
      return open(state, { ...planned, flow: { ...planned.flow, packet: nextConnection(planned.flow.packet, state.opened) } }, env, text);
    }
    case 'retransmit':
      return send(state, { ns: state.conn.flow.srcNs, packet: state.conn.last }, env, text);
    case 'send': {
      const packet = nextFromClient(state.conn);
      state.conn.last = packet;
      return send(state, { ns: state.conn.flow.srcNs, packet }, env, text);
    }
    case 'reply': {
      const server = state.conn.server;
      if (server === undefined) return { kind: 'nothing', text, time, why: 'the last connection reached no socket, so nothing answers it' };
      const flags: TcpFlag[] = state.conn.answered ? ['ACK'] : ['SYN', 'ACK'];
      state.conn.answered = true;
      return send(state, { ns: server.ns, packet: replyPacket(flowOf(server.packet), state.conn.flow.packet, flags) }, env, text);
    }
    case 'wait':
      return wait(state, step.seconds, env, text);
    case 'delete-pod': {
      const d = deletePod(state.built, state.world, step.pod);
      if ('problem' in d) return d;
      state.built = d.built;
      const conntrack = d.conntrack.map((c) => ({ node: c.node, entries: c.entries.map((e) => formatEntry(e, time)) }));
      return { kind: 'delete', text, time, pod: `${d.pod.pod.namespace}/${d.pod.pod.name}`, ips: d.pod.ips.map(formatIp), services: d.services, conntrack };
    }
  }
}

function open(state: State, c: SessionFlow, env: SessionEnv, text: string): StepRun {
  const r = connect(state.built, state.world, c, env, text);
  state.conn = r.conn;
  state.opened++;
  return r.run;
}

function send(state: State, from: { ns: string; packet: Packet }, env: SessionEnv, text: string): StepRun {
  const r = sendPacket(state.built, state.world, from, { chooser: env.chooser, now: env.clock.now });
  return { kind: 'packet', text, time: env.clock.now(), from: from.ns, packet: from.packet, trace: r.trace };
}

/** The clock moves on; the entries that expire meanwhile in the namespaces the session crossed are listed as they were. */
function wait(state: State, seconds: number, env: SessionEnv, text: string): StepRun {
  const before = env.clock.now();
  env.clock.advance(seconds);
  const after = env.clock.now();
  const expired: { ns: string; entry: string }[] = [];
  for (const ns of [...state.touched].sort()) {
    const table = state.world.netns[ns]?.netfilter.conntrack;
    if (table === undefined) continue;
    const gone = [...table.entries.values()].filter((e) => e.expires > before && e.expires <= after).sort((a, b) => a.id - b.id);
    for (const e of gone) expired.push({ ns, entry: formatEntry(e, before) });
  }
  return { kind: 'wait', text, time: after, expired };
}

/** The first packet of the n-th connection from the same socket owner: the next ephemeral port (ICMP: the next echo id). */
function nextConnection(p: Packet, n: number): Packet {
  if (hasPorts(p.l4)) return { ...p, l4: { ...p.l4, sport: CLIENT_PORT + n } };
  return { ...p, l4: { ...p.l4, id: p.l4.id + n } };
}

/** The client's next packet on its connection: TCP's ACK (the handshake's third packet, or data), else the same datagram or echo request. */
function nextFromClient(c: Conn): Packet {
  const p = c.flow.packet;
  return p.l4.proto === 'tcp' ? { ...p, l4: { ...p.l4, flags: ['ACK'] } } : p;
}
