/**
 * IP receive (ip_rcv → PREROUTING → ip_route_input → ip_local_deliver | ip_forward), for a
 * packet that arrived on `dev` of the namespace being executed.
 *
 * Order inside ip_route_input_slow (net/ipv4/route.c), which decides which drop wins:
 * martian source/destination → FIB lookup (error routes: blackhole, unreachable, prohibit) →
 * `local` → reverse-path validation → local delivery; otherwise forwarding must be enabled on
 * the namespace, then reverse-path validation, then ip_forward (TTL, MTU, FORWARD hook).
 */
import { assertNever } from '../../diag/diagnostic.js';
import { formatIp } from '../../addr/ip.js';
import { type Packet, hasPorts } from '../../packet/packet.js';
import { type SocketProto, lookupSocket } from '../socket.js';
import { decrementL3Ttl, l3 } from './l3.js';
import { isLocalAddress } from '../addr.js';
import type { NfSkb } from '../netfilter/api.js';
import { type FibResult, fibLookup } from '../route/fib.js';
import type { Route } from '../route/types.js';
import { forwarding, routeLocalnet, rpFilter } from '../sysctl.js';
import { routeLine } from '../text/route.js';
import { nfHook } from './hooks.js';
import { tunnelRcv } from './tunnel.js';
import { forwardFits } from './mtu.js';
import { finishOutput } from './output.js';
import { type Run, type StepResult, drop } from './types.js';
import { tableName } from '../route/types.js';

/** Options of {@link ipRcv}. */
export interface RcvOpts {
  /** PREROUTING already ran (br_netfilter ran it on the bridge port). */
  readonly prerouted?: boolean;
  /** The bridge port the frame entered through, when br_netfilter is involved. */
  readonly physInDev?: string;
}

function isLoopbackNet(p: Packet, field: 'src' | 'dst'): boolean {
  const a = l3(p)[field];
  return a.family === 4 ? a.value >> 24n === 127n : a.value === 1n;
}

/** ip_rcv: martian checks, PREROUTING, then the routing decision. */
export function ipRcv(run: Run, dev: string, packet: Packet, skb: NfSkb, opts: RcvOpts = {}): StepResult {
  const onLo = run.ns.links[dev]?.kind === 'loopback';
  if (!onLo && (isLoopbackNet(packet, 'src') || isLoopbackNet(packet, 'dst')) && !(l3(packet).family === 4 && routeLocalnet(run.ns, dev))) {
    return drop(run, 'MARTIAN', `loopback address ${formatIp(isLoopbackNet(packet, 'src') ? l3(packet).src : l3(packet).dst)} on ${dev} (route_localnet=0)`, packet);
  }
  let p = packet;
  let s = skb;
  if (opts.prerouted !== true) {
    const h = nfHook(run, 'PREROUTING', p, s, { inDev: dev });
    if (!h.ok) return h.result;
    p = h.packet;
    s = h.skb;
  }
  return routeInput(run, dev, p, s, opts);
}

/** Emits the `route` event for a FIB result that found a route. */
export function emitRoute(run: Run, dst: Packet['ip']['dst'], r: Route, result: 'local' | 'forward' | 'output'): void {
  run.emit({ kind: 'route', ns: run.ns.name, table: tableName(r.table), dst, route: routeText(r), result });
}

/** Each route's `ip route` line, rendered once: a Route is an immutable value, met by many traces. */
const routeTexts = new WeakMap<Route, string>();

function routeText(r: Route): string {
  let text = routeTexts.get(r);
  if (text === undefined) {
    text = routeLine(r, { showTable: true }).trimEnd();
    routeTexts.set(r, text);
  }
  return text;
}

/** The drop for a FIB result that is not a usable route, or undefined for a unicast/local route. */
export function fibError(run: Run, res: FibResult, packet: Packet): StepResult | undefined {
  const dst = formatIp(l3(packet).dst);
  if (res.kind === 'none') return drop(run, 'NO_ROUTE', `no route to ${dst}`, packet);
  if (res.kind === 'rule-action') {
    const reason = res.rule.action === 'blackhole' ? 'BLACKHOLE' : res.rule.action === 'unreachable' ? 'UNREACHABLE' : 'PROHIBIT';
    return drop(run, reason, `ip rule ${res.rule.priority}: ${res.rule.action}`, packet);
  }
  // The route's text only for a drop (routeText keeps it, as for every route a trace reports).
  switch (res.route.type) {
    case 'blackhole':
      return drop(run, 'BLACKHOLE', `route: ${routeText(res.route)}`, packet);
    case 'unreachable':
      return drop(run, 'UNREACHABLE', `route: ${routeText(res.route)}`, packet);
    case 'prohibit':
      return drop(run, 'PROHIBIT', `route: ${routeText(res.route)}`, packet);
    case 'unicast':
    case 'local':
    case 'anycast':
    case 'broadcast':
    case 'multicast':
      return undefined;
    default:
      return assertNever(res.route.type, 'route type');
  }
}

/** ip_route_input_slow: local delivery, forwarding, or a drop. */
function routeInput(run: Run, dev: string, packet: Packet, skb: NfSkb, opts: RcvOpts): StepResult {
  const res = fibLookup(run.ns, { dst: l3(packet).dst, src: l3(packet).src, mark: skb.mark, iif: dev });
  const err = fibError(run, res, packet);
  if (err !== undefined || res.kind !== 'route') return err ?? drop(run, 'NO_ROUTE', 'no route', packet);
  const route = res.route;
  const local = route.type === 'local' || route.type === 'anycast' || route.type === 'broadcast' || route.type === 'multicast';
  emitRoute(run, l3(packet).dst, route, local ? 'local' : 'forward');
  const onLo = run.ns.links[dev]?.kind === 'loopback';
  if (local) {
    const bad = onLo ? undefined : validateSource(run, dev, packet);
    return bad ?? localDeliver(run, dev, packet, skb, route);
  }
  if (!forwarding(run.ns, l3(packet).family, dev)) {
    const knob = l3(packet).family === 4 ? (run.ns.sysctl[`net.ipv4.conf.${dev}.forwarding`] !== undefined ? `net.ipv4.conf.${dev}.forwarding` : 'net.ipv4.ip_forward') : 'net.ipv6.conf.all.forwarding';
    return drop(run, 'FORWARDING_DISABLED', `${formatIp(l3(packet).dst)} is not local and ${knob}=0`, packet);
  }
  const bad = onLo ? undefined : validateSource(run, dev, packet);
  return bad ?? ipForward(run, dev, route, packet, skb, opts);
}

/**
 * fib_validate_source (net/ipv4/fib_frontend.c). With rp_filter off, only a source that is one
 * of this namespace's own addresses is martian. With it on, the reverse route to the source must
 * exist (loose, 2) and leave through the receiving device (strict, 1).
 */
function validateSource(run: Run, dev: string, packet: Packet): StepResult | undefined {
  if (l3(packet).family !== 4 || l3(packet).src.value === 0n) return undefined;
  const mode = rpFilter(run.ns, dev);
  const src = formatIp(l3(packet).src);
  if (mode === 0) return isLocalAddress(run.ns, l3(packet).src) ? drop(run, 'MARTIAN', `martian source ${src} (a local address) on ${dev}`, packet) : undefined;
  const back = fibLookup(run.ns, { dst: l3(packet).src, src: l3(packet).dst, mark: 0, iif: 'lo' });
  if (back.kind !== 'route') return drop(run, 'RP_FILTER', `rp_filter=${mode}: no route back to ${src}`, packet);
  if (back.route.type === 'local') return drop(run, 'MARTIAN', `martian source ${src} (a local address) on ${dev}`, packet);
  if (back.route.type !== 'unicast') return drop(run, 'RP_FILTER', `rp_filter=${mode}: route back to ${src} is ${back.route.type}`, packet);
  if (mode === 1 && back.route.dev !== dev) {
    return drop(run, 'RP_FILTER', `rp_filter=1: ${src} arrived on ${dev} but the route back leaves via ${back.route.dev ?? '?'}`, packet);
  }
  return undefined;
}

/** ip_local_deliver: INPUT, then a tunnel device or a socket takes it (socket.ts), or the kernel answers for nobody. */
function localDeliver(run: Run, dev: string, packet: Packet, skb: NfSkb, route: Route): StepResult {
  const h = nfHook(run, 'INPUT', packet, skb, { inDev: dev });
  if (!h.ok) return h.result;
  const tunnelled = tunnelRcv(run, h.packet, h.skb);
  if (tunnelled !== undefined) return tunnelled;
  const anycast = tcpToAnycast(run, h.packet, route);
  if (anycast !== undefined) return anycast;
  const refused = noSocket(run, h.packet);
  if (refused !== undefined) return refused;
  run.emit({ kind: 'deliver', ns: run.ns.name, dev, packet: h.packet });
  return { kind: 'delivered', ns: run.ns.name, dev, packet: h.packet };
}

/**
 * TCP never talks to an anycast address: tcp_v6_conn_request drops a SYN to one even when a
 * socket listens, and tcp_v6_send_reset sends no reset for one (both test
 * ipv6_unicast_destination, which an `anycast` route fails). Checked on Linux 6.18: a connect to
 * a router's subnet-router anycast address times out, listener or not. UDP and ICMP are answered.
 */
function tcpToAnycast(run: Run, packet: Packet, route: Route): StepResult | undefined {
  if (route.type !== 'anycast' || packet.l4.proto !== 'tcp' || packet.encap.length > 0) return undefined;
  return drop(run, 'NOT_UNICAST', `[${formatIp(l3(packet).dst)}] is a subnet-router anycast address (${routeLine(route, { showTable: true })}): TCP drops it without a reset`, packet);
}

/** What the kernel answers when no socket takes a packet, in the words of a trace detail. */
const ANSWER: Readonly<Record<SocketProto, string>> = {
  tcp: 'the kernel answers with a TCP reset',
  udp: 'the kernel answers with ICMP port unreachable',
  sctp: 'the kernel answers with an SCTP ABORT',
};

/**
 * The socket lookup of tcp_v4_rcv / __udp4_lib_rcv / sctp_rcv: a NO_SOCKET drop (the sender gets
 * a reset or a port unreachable) when nothing listens. ICMP is the kernel's own (echo is answered
 * by icmp_echo, errors go to the socket they concern), so it always arrives.
 */
function noSocket(run: Run, packet: Packet): StepResult | undefined {
  const l4 = packet.l4;
  if (!hasPorts(l4) || packet.encap.length > 0) return undefined;
  const key = { proto: l4.proto, src: l3(packet).src, sport: l4.sport, dst: l3(packet).dst, dport: l4.dport };
  if (lookupSocket(run.ns, key) !== undefined) return undefined;
  const at = l3(packet).family === 4 ? `${formatIp(key.dst)}:${key.dport}` : `[${formatIp(key.dst)}]:${key.dport}`;
  return drop(run, 'NO_SOCKET', `nothing listens on ${at}/${l4.proto}: ${ANSWER[l4.proto]}`, packet);
}

/**
 * ip_forward (net/ipv4/ip_forward.c): TTL ≤ 1 → time exceeded; too big with DF (always for
 * IPv6) → fragmentation needed; TTL decremented before the FORWARD hook; then ip_output.
 */
function ipForward(run: Run, dev: string, route: Route, packet: Packet, skb: NfSkb, opts: RcvOpts): StepResult {
  if (l3(packet).ttl <= 1) return drop(run, 'TTL_EXCEEDED', `TTL ${l3(packet).ttl} on ${dev}, ICMP time exceeded back to ${formatIp(l3(packet).src)}`, packet);
  const outDev = route.dev ?? dev;
  const tooBig = forwardFits(run, packet, outDev);
  if (tooBig !== undefined) return tooBig;
  const p = decrementL3Ttl(packet);
  run.emit({ kind: 'ttl', ns: run.ns.name, from: l3(packet).ttl, to: l3(p).ttl });
  const bridged = opts.physInDev !== undefined ? { physInDev: opts.physInDev } : {};
  const h = nfHook(run, 'FORWARD', p, skb, { inDev: dev, outDev, ...bridged });
  if (!h.ok) return h.result;
  return finishOutput(run, route, h.packet, h.skb, {});
}
