/**
 * `netsim trace SRC DST`: a packet from a pod (or node) to a pod, Service, node or address in a
 * built cluster, there and back. The forward packet starts at a socket in the source's
 * namespace; when it is delivered, the answer starts at a socket in the destination's namespace
 * and finds its way back through conntrack (un-DNAT, un-SNAT), so a round trip is one command.
 */
import { cidrContains } from '../addr/cidr.js';
import { type Ip, ipEquals, parseIp } from '../addr/ip.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { type OutsideHost, declaredHostAt, outsideHostAt, withExternalHosts } from '../cluster/assemble/external.js';
import { ownerLabel } from '../cluster/assemble/names.js';
import { KUBELET_PORT } from '../cluster/assemble/sockets.js';
import { type Endpoint, routerAt } from '../cluster/lookup.js';
import type { Protocol, Service } from '../cluster/objects.js';
import type { World } from '../kernel/world.js';
import { overlayWorld } from '../kernel/overlay.js';
import { selectSourceAddress } from '../kernel/addr.js';
import { fibLookup } from '../kernel/route/fib.js';
import { type Flow, flowOf, reply } from '../packet/flow.js';
import { minimumLength, packetFor } from '../packet/build.js';
import { type Packet, type TcpFlag, hasPorts } from '../packet/packet.js';
import { connectSocket } from '../kernel/socket.js';
import type { Chooser } from '../sim/context.js';
import { enumerateOutcomes } from './enumerate.js';
import { noteLeavingCluster, noteRefusedRoutes } from './refused.js';
import { noteNoServiceRule } from './service-note.js';
import { notePolicyVerdicts } from './policy-note.js';
import { noteFailures } from './failure-note.js';
import { tracePacketRun } from './tracer.js';
import type { Trace } from './types.js';

/** The ephemeral source port netsim's client sockets use unless told otherwise. */
export const CLIENT_PORT = 40000;

/** The largest IP packet (the 16-bit total length). */
export const MAX_IP_LENGTH = 65535;

/** A trace request, after names were resolved. */
export interface TraceRequest {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** `--port`: a port number or a Service port name. */
  readonly port?: number | string;
  readonly protocol?: 'tcp' | 'udp' | 'sctp' | 'icmp';
  /** `--size`: the IP packet's total length in bytes. */
  readonly size?: number;
  /** `--df` / `--no-df`: the don't-fragment bit (default set, as for TCP). */
  readonly df?: boolean;
  readonly reply: boolean;
}

/** The resolved flow: where it starts and the first packet. */
export interface PlannedFlow {
  readonly srcNs: string;
  readonly packet: Packet;
  /** A Service port name, when the destination is a Service. */
  readonly servicePort?: string;
}

/** A round trip. */
export interface RoundTrip {
  readonly forward: Trace;
  readonly reply?: Trace;
}

/**
 * The cluster a trace runs in: `built` itself, or a copy with hosts outside the cluster behind
 * the network's exit (cluster/assemble/external.ts) and the cloud load balancer there. A source
 * address that no pod, node or router holds is such a host (the declared one that holds it, else
 * an anonymous one), relabelled `external host …`; a destination is one when a declared host
 * (`spec.externalHosts`) holds it, and any other outside destination still leaves the model by
 * the exit's uplink. A destination that is an `ipMode: Proxy` ingress IP gets the load balancer
 * too: kube-proxy has no rule for it, so the packet goes out to the LB and back in.
 */
export function clusterWithClient(built: BuiltCluster, src: Endpoint, dst?: Endpoint): { built: BuiltCluster; src: Endpoint } | { problem: string } {
  const hosts: OutsideHost[] = [];
  let from = src;
  if (src.kind === 'ip' && ownerNetns(built, src.ip) === undefined) {
    const h = outsideHostAt(built, src.ip);
    hosts.push(h);
    from = { kind: 'ip', ip: src.ip, label: `external host ${h.name}` };
  }
  const target = dst?.kind === 'ip' && ownerNetns(built, dst.ip) === undefined ? declaredHostAt(built, dst.ip) : undefined;
  if (target !== undefined && !hosts.some((h) => h.ns === target.ns)) hosts.push(target);
  const proxied = dst !== undefined && isProxiedIngress(built, dst.ip);
  if (hosts.length === 0 && !proxied) return { built, src };
  const withHosts = withExternalHosts(built, hosts, dst === undefined ? [] : [dst.ip.family]);
  if ('problem' in withHosts) return { problem: `${src.label} cannot send packets: ${withHosts.problem}` };
  return { built: withHosts, src: from };
}

/** Each Services list's `ipMode: Proxy` ingress IPs, gathered once (a batch asks per flow, over 10,000 Services). */
const proxiedIps = new WeakMap<readonly Service[], readonly Ip[]>();

function isProxiedIngress(built: BuiltCluster, ip: Ip): boolean {
  const services = built.spec.services;
  let ips = proxiedIps.get(services);
  if (ips === undefined) {
    ips = services.flatMap((s) => (s.type === 'LoadBalancer' ? (s.loadBalancerProxyIPs ?? []) : []));
    proxiedIps.set(services, ips);
  }
  return ips.some((a) => ipEquals(a, ip));
}

/** Plans the flow, or says why it cannot be traced. */
export function planFlow(built: BuiltCluster, req: TraceRequest): PlannedFlow | { problem: string } {
  const srcNs = sourceNetns(built, req.src);
  if (srcNs === undefined) return { problem: `${req.src.label} cannot send packets: the source must be a pod, a node or a router (or one of their addresses)` };
  const target = destinationPort(req);
  if ('problem' in target) return target;
  if (req.src.ip.family !== req.dst.ip.family) return { problem: 'source and destination are of different address families' };
  const proto = req.protocol ?? target.protocol;
  const family = req.src.ip.family;
  const l4 = proto === 'icmp' ? (family === 4 ? 'icmp' : 'icmpv6') : proto;
  const min = minimumLength(family, l4);
  if (req.size !== undefined && (!Number.isInteger(req.size) || req.size < min || req.size > MAX_IP_LENGTH)) {
    return { problem: `--size ${req.size}: an IPv${family} ${proto} packet is ${min} to ${MAX_IP_LENGTH} bytes (the IP header included)` };
  }
  const opts = { ...(req.size !== undefined ? { length: req.size } : {}), ...(req.df !== undefined ? { dontFragment: req.df } : {}) };
  const src = sourceAddress(built, req);
  const packet =
    proto === 'icmp'
      ? packetFor({ family, proto: family === 4 ? 'icmp' : 'icmpv6', src, dst: req.dst.ip, type: family === 4 ? 8 : 128, code: 0, id: 1 }, opts)
      : packetFor({ family, proto, src, dst: req.dst.ip, sport: CLIENT_PORT, dport: target.port }, opts);
  return { srcNs, packet, ...(target.name !== undefined ? { servicePort: target.name } : {}) };
}

/**
 * The packet's source. A node named by name sends as a program that does not bind an address
 * does: from the address the kernel selects for the route (`ip route get DST`'s `src`: the
 * route's prefsrc, else the output device's first address — flannel.1's `<lease>.0` for a remote
 * pod over VXLAN, cni0's `.1` for a local pod). Anything named by an address sends from it.
 */
function sourceAddress(built: BuiltCluster, req: TraceRequest): Ip {
  if (req.src.kind !== 'node') return req.src.ip;
  const ns = built.world.netns[req.src.node.name];
  if (ns === undefined) return req.src.ip;
  const res = fibLookup(ns, { dst: req.dst.ip, mark: 0, iif: 'lo' });
  if (res.kind !== 'route') return req.src.ip;
  const r = res.route;
  if (r.type === 'local') return req.src.ip;
  return r.src ?? selectSourceAddress(ns, r.dev, req.dst.ip.family, req.dst.ip) ?? req.src.ip;
}

function sourceNetns(built: BuiltCluster, src: Endpoint): string | undefined {
  if (src.kind === 'pod') return src.pod.netns;
  if (src.kind === 'node') return src.node.name;
  if (src.kind === 'router') return src.router;
  if (src.kind === 'service') return undefined;
  return ownerNetns(built, src.ip) ?? externalNetns(built, src.ip);
}

function ownerNetns(built: BuiltCluster, ip: Ip): string | undefined {
  const pod = built.pods.find((p) => p.ips.some((a) => ipEquals(a, ip)));
  if (pod !== undefined) return pod.netns;
  return built.spec.nodes.find((n) => n.internalIPs.some((a) => ipEquals(a, ip)) || (n.extraAddresses ?? []).some((c) => ipEquals(c.addr, ip)))?.name ?? routerAt(built, ip);
}

/** The namespace of the external host holding `ip`, when the cluster was given one (clusterWithClient). */
function externalNetns(built: BuiltCluster, ip: Ip): string | undefined {
  return Object.keys(built.owners).find((ns) => built.owners[ns]?.kind === 'external' && (built.world.netns[ns]?.addrs ?? []).some((a) => ipEquals(a.cidr.addr, ip)));
}

const PROTO: Readonly<Record<Protocol, 'tcp' | 'udp' | 'sctp'>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** The destination port: a Service's first port (or the one --port names), a pod's first container port, a node's kubelet port, or 80. */
function destinationPort(req: TraceRequest): { port: number; protocol: 'tcp' | 'udp' | 'sctp'; name?: string } | { problem: string } {
  const dst = req.dst;
  if (dst.kind === 'service') {
    const ports = dst.service.ports;
    const p = req.port === undefined ? ports[0] : ports.find((x) => x.port === req.port || x.name === req.port);
    if (p === undefined) return { problem: req.port === undefined ? `${dst.label} has no ports` : `${dst.label} has no port ${req.port} (it has ${ports.map((x) => (x.name !== '' ? `${x.port}/${x.name}` : `${x.port}`)).join(', ')})` };
    return { port: p.port, protocol: PROTO[p.protocol], name: p.name };
  }
  if (typeof req.port === 'string') return { problem: `--port ${req.port}: a port name needs a Service destination` };
  if (req.port !== undefined) return { port: req.port, protocol: 'tcp' };
  if (dst.kind === 'ip' && dst.port !== undefined) return { port: dst.port, protocol: 'tcp' };
  if (dst.kind === 'pod') {
    const first = dst.pod.pod.containers.flatMap((c) => c.ports)[0];
    if (first !== undefined) return { port: first.containerPort, protocol: PROTO[first.protocol] };
  }
  // A node listens on kubelet's port and little else (cluster/assemble/sockets.ts).
  if (dst.kind === 'node') return { port: KUBELET_PORT, protocol: 'tcp' };
  return { port: 80, protocol: 'tcp' };
}

/** One round trip in `world` (which it mutates), with the given chooser (and clock: time 0 without one). */
export function roundTrip(built: BuiltCluster, world: World, flow: PlannedFlow, opts: { chooser: Chooser; reply: boolean; now?: () => number }): RoundTrip {
  return roundTripRun(built, world, flow, opts).trip;
}

/** A round trip and the packets a session needs to go on: the request as the server got it, and where. */
export interface RoundTripRun {
  readonly trip: RoundTrip;
  /** The forward packet as delivered (after DNAT), and the namespace whose socket took it; absent when it was not delivered. */
  readonly delivered?: { readonly ns: string; readonly packet: Packet };
}

/** {@link roundTrip}, also returning where the forward packet was delivered. */
export function roundTripRun(built: BuiltCluster, world: World, flow: PlannedFlow, opts: { chooser: Chooser; reply: boolean; now?: () => number }): RoundTripRun {
  const env = traceEnv(built, opts);
  openClientSocket(world, flow);
  const fwd = tracePacketRun(world, { at: 'local-out', ns: flow.srcNs, packet: flow.packet }, env);
  const forward = explain(built, fwd.trace);
  if (fwd.trace.ending.disposition !== 'DELIVERED') return { trip: { forward } };
  const delivered = { ns: fwd.trace.ending.ns, packet: fwd.packet };
  if (!opts.reply) return { trip: { forward }, delivered };
  const back = replyPacket(flowOf(fwd.packet), flow.packet);
  const rev = tracePacketRun(world, { at: 'local-out', ns: fwd.trace.ending.ns, packet: back }, env);
  return { trip: { forward, reply: explain(built, rev.trace) }, delivered };
}

/** One packet sent by a socket in `ns`, traced and explained (a session's `send`, `reply`, `retransmit`). */
export function sendPacket(built: BuiltCluster, world: World, from: { ns: string; packet: Packet }, opts: { chooser: Chooser; now?: () => number }): { trace: Trace; packet: Packet } {
  const run = tracePacketRun(world, { at: 'local-out', ns: from.ns, packet: from.packet }, traceEnv(built, opts));
  return { trace: explain(built, run.trace), packet: run.packet };
}

function traceEnv(built: BuiltCluster, opts: { chooser: Chooser; now?: () => number }) {
  return { ctx: { now: opts.now ?? (() => 0), chooser: opts.chooser }, label: (ns: string) => ownerLabel(built.owners[ns], ns) };
}

/** The client program's `connect()`: its socket is where the answer is delivered. */
function openClientSocket(world: World, flow: PlannedFlow): void {
  const ns = world.netns[flow.srcNs];
  const p = flow.packet;
  if (ns === undefined || !hasPorts(p.l4)) return;
  connectSocket(ns, { proto: p.l4.proto, port: p.l4.sport, addr: p.ip.src, peer: p.ip.dst, peerPort: p.l4.dport, owner: 'netsim trace client' });
}

/** netsim's notes: a Service address no kube-proxy rule matched, Felix's policy verdicts in NetworkPolicy terms, a what-if failure, and refused routes (a routed underlay). */
function explain(built: BuiltCluster, raw: Trace): Trace {
  const holdTime = built.bgp?.speakers.flatMap((sp) => sp.peers)[0]?.holdTime;
  const trace = noteFailures(notePolicyVerdicts(noteNoServiceRule(raw, built.spec.services), built), built.world, built.failures, holdTime);
  if (built.refusedRoutes.length === 0 && built.failures === undefined) return trace;
  const inCluster = (dst: string): string | undefined => {
    const ip = parseIp(dst);
    if (ip === undefined || !cidrContains(built.spec.cluster.clusterCIDR, ip)) return undefined;
    const pod = built.pods.find((p) => !p.pod.hostNetwork && p.ips.some((a) => ipEquals(a, ip)));
    return pod === undefined ? 'in the cluster\'s pod network' : `pod ${pod.pod.namespace}/${pod.pod.name}'s address on ${pod.pod.nodeName}`;
  };
  return noteLeavingCluster(noteRefusedRoutes(trace, built.refusedRoutes), inCluster);
}

/**
 * The server's answer: the reverse tuple, a SYN-ACK for TCP, an echo reply as long as the request
 * for ICMP, without DF (the kernel's ICMP socket is IP_PMTUDISC_DONT, net/ipv4/icmp.c).
 */
export function replyPacket(f: Flow, request: Packet, tcpFlags: readonly TcpFlag[] = ['SYN', 'ACK']): Packet {
  const r = reply(f);
  if (r.proto === 'tcp') return packetFor(r, { tcpFlags });
  if (r.proto === 'icmp' || r.proto === 'icmpv6') return packetFor(r, { length: request.ip.length, dontFragment: false });
  return packetFor(r);
}

/** Every random outcome (backends), each traced on a fresh overlay of the cluster (kernel/overlay.ts), with its probability. */
export function allRoundTrips(built: BuiltCluster, flow: PlannedFlow, opts: { reply: boolean }): (RoundTrip & { probability: number })[] {
  return enumerateOutcomes((chooser) => roundTrip(built, overlayWorld(built.world), flow, { chooser, reply: opts.reply })).map((o) => ({ ...o.result, probability: o.probability }));
}
