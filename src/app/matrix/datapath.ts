/**
 * One cell of the datapath matrix: the connection's first packet from one pod to another's
 * address, traced through the kernel model exactly as `netsim trace SRC DST --no-reply` traces
 * it (planFlow, roundTrip: the same hops, netfilter, conntrack and notes). The cell is allowed
 * when the packet is DELIVERED to a socket in the destination pod's network namespace (the
 * node's, for a hostNetwork pod); a drop, reject or loss anywhere is blocked, whatever the
 * protocol.
 *
 * The matrix asks whether the network and its policies let a connection through, not whether a
 * program listens: as the upstream e2e tests run an agnhost server on the port in every pod, the
 * matrix's copy of the world listens on the port in every destination's namespace.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { BuiltPod } from '../../cluster/assemble/pods.js';
import { podEndpoint } from '../../cluster/lookup.js';
import { InternalError } from '../../diag/diagnostic.js';
import { overlayWorld } from '../../kernel/overlay.js';
import { listen } from '../../kernel/socket.js';
import type { World } from '../../kernel/world.js';
import { hasPorts } from '../../packet/packet.js';
import type { PolicyProtocol } from '../../policy/index.js';
import { rngChooser, seededRng } from '../../sim/context.js';
import { planFlow, roundTrip } from '../../trace/cluster-trace.js';
import type { Disposition, Trace } from '../../trace/types.js';

/** What a cell's trace found. */
export interface DatapathCell {
  readonly allowed: boolean;
  readonly disposition: Disposition;
  readonly trace: Trace;
}

/** A copy of the cluster's world to trace the matrix in, every destination listening on the port. */
export interface MatrixWorld {
  readonly built: BuiltCluster;
  readonly world: World;
  readonly protocol: PolicyProtocol;
  readonly port: number;
  /** The next source port: each traced pair gets its own, so no trace finds another's conntrack entry. */
  nextPort: number;
}

const PROTO = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;

/** First and last ephemeral port (net.ipv4.ip_local_port_range's default). */
const EPHEMERAL = [32768, 60999] as const;

/** The pod's network namespace: its own, or its node's for a hostNetwork pod. */
export function podNetns(p: BuiltPod): string {
  return p.pod.hostNetwork ? p.pod.nodeName : p.netns;
}

/**
 * Overlays the world once (kernel/overlay.ts) and opens a listener on the port in the namespace
 * of each of `pods`, the matrix's (as e2e runs its server in the test namespaces' pods only).
 * Only those: reading a namespace through the overlay builds its node's deferred pods and forks
 * it, and a large cluster's other nodes are never reached by the matrix's cells.
 */
export function matrixWorld(built: BuiltCluster, packet: { readonly protocol: PolicyProtocol; readonly port: number }, pods: readonly BuiltPod[]): MatrixWorld {
  const world = overlayWorld(built.world);
  for (const p of pods) {
    const ns = world.netns[podNetns(p)];
    if (ns !== undefined) listen(ns, { proto: PROTO[packet.protocol], port: packet.port, owner: `${p.pod.namespace}/${p.pod.name} (the matrix's server, as e2e's agnhost)` });
  }
  return { built, world, protocol: packet.protocol, port: packet.port, nextPort: EPHEMERAL[0] };
}

/** Traces the first packet from `from` to `to`'s first address. */
export function traceCell(m: MatrixWorld, from: BuiltPod, to: BuiltPod): DatapathCell {
  const src = podEndpoint(from);
  const dst = podEndpoint(to);
  if (src === undefined || dst === undefined) throw new InternalError(`matrix pod without an address: ${from.pod.name} or ${to.pod.name}`);
  const flow = planFlow(m.built, { src, dst, port: m.port, protocol: PROTO[m.protocol], reply: false });
  if ('problem' in flow) throw new InternalError(`matrix cell ${src.label} → ${dst.label}: ${flow.problem}`);
  const sport = m.nextPort;
  m.nextPort = sport >= EPHEMERAL[1] ? EPHEMERAL[0] : sport + 1;
  const l4 = flow.packet.l4;
  const packet = hasPorts(l4) ? { ...flow.packet, l4: { ...l4, sport } } : flow.packet;
  const { forward } = roundTrip(m.built, m.world, { ...flow, packet }, { chooser: rngChooser(seededRng(1)), reply: false });
  const { disposition, ns } = forward.ending;
  return { allowed: disposition === 'DELIVERED' && ns === podNetns(to), disposition, trace: forward };
}
