/**
 * Local output (ip_route_output → OUTPUT → ip_route_me_harder → POSTROUTING) and the common
 * tail of output and forwarding (ip_finish_output2: neighbour resolution, then the device).
 */
import { formatIp, ipEquals } from '../../addr/ip.js';
import { BROADCAST_MAC } from '../../addr/mac.js';
import type { Packet } from '../../packet/packet.js';
import { l3, withL3Src } from './l3.js';
import { selectSourceAddress } from '../addr.js';
import { FRESH_SKB, type NfSkb } from '../netfilter/api.js';
import { resolveNeigh } from '../neigh.js';
import { fibLookup } from '../route/fib.js';
import type { Route } from '../route/types.js';
import { nfHook } from './hooks.js';
import { emitRoute, fibError } from './input.js';
import { type Run, type StepResult, drop, frameOf } from './types.js';
import { fitForOutput, localSendFits } from './mtu.js';
import { devXmit } from './xmit.js';

/**
 * The output device of a route: local (and IPv6 anycast) destinations loop back through `lo`
 * (__mkroute_output; `ip -6 route get` of an anycast address says `dev lo`); a subnet broadcast
 * leaves through its device to the all-ones MAC (the local copy is not modelled).
 */
function outDevOf(route: Route): string | undefined {
  return route.type === 'local' || route.type === 'anycast' ? 'lo' : route.dev;
}

/** ip_route_output_key for a locally generated packet; a drop when there is no usable route. */
function outputRoute(run: Run, packet: Packet, skb: NfSkb, oif?: string): { route: Route } | { result: StepResult } {
  const src = l3(packet).src.value === 0n ? {} : { src: l3(packet).src };
  const res = fibLookup(run.ns, { dst: l3(packet).dst, ...src, mark: skb.mark, iif: 'lo', ...(oif !== undefined ? { oif } : {}) });
  const err = fibError(run, res, packet);
  if (err !== undefined) return { result: err };
  if (res.kind !== 'route') return { result: drop(run, 'NO_ROUTE', `no route to ${formatIp(l3(packet).dst)}`, packet) };
  emitRoute(run, l3(packet).dst, res.route, 'output');
  return { route: res.route };
}

/** Options of {@link localOut}. */
export interface LocalOutOpts {
  /** Route through this device only (a tunnel's `dev`, SO_BINDTODEVICE). */
  readonly oif?: string;
  /** The skb mark the packet starts with (a tunnel keeps the inner packet's). */
  readonly mark?: number;
  /** The tunnel device sending this outer packet: routing it back into that device is a loop. */
  readonly tunnel?: string;
}

/**
 * A socket of the namespace sends `packet`: route, pick the source address when the packet has
 * none (0.0.0.0 / ::) — the route's `src`, else inet_select_addr —, OUTPUT, re-route when OUTPUT
 * changed the destination (DNAT), then POSTROUTING and the device.
 */
export function localOut(run: Run, packet: Packet, opts: LocalOutOpts = {}): StepResult {
  const skb0: NfSkb = opts.mark !== undefined ? { mark: opts.mark } : FRESH_SKB;
  const first = outputRoute(run, packet, skb0, opts.oif);
  if ('result' in first) return first.result;
  if (opts.tunnel !== undefined && first.route.dev === opts.tunnel) {
    return drop(run, 'NO_ROUTE', `${opts.tunnel}: the route to the tunnel endpoint ${formatIp(l3(packet).dst)} goes back into the tunnel`, packet);
  }
  let p = packet;
  if (l3(p).src.value === 0n) {
    // An anycast route's source comes from its own device (`ip -6 route get fd00:1::` → `src fd00:1::5`).
    const srcDev = first.route.type === 'anycast' ? first.route.dev : outDevOf(first.route);
    const src = first.route.src ?? selectSourceAddress(run.ns, srcDev, l3(p).family, l3(p).dst);
    if (src === undefined) return drop(run, 'NO_ROUTE', `no source address for ${formatIp(l3(p).dst)}`, p);
    p = withL3Src(p, src);
  }
  const outDev = outDevOf(first.route);
  // A tunnel's outer packet is sized by the tunnel device; a socket's own send is checked here.
  const refused = outDev === undefined || opts.tunnel !== undefined ? undefined : localSendFits(run, p, outDev);
  if (refused !== undefined) return refused;
  const h = nfHook(run, 'OUTPUT', p, skb0, outDev !== undefined ? { outDev } : {});
  if (!h.ok) return h.result;
  const changed = !ipEquals(l3(h.packet).dst, l3(p).dst) || h.skb.mark !== skb0.mark;
  return finishOutput(run, first.route, h.packet, h.skb, { reroute: changed });
}

/** Options of {@link finishOutput}. */
export interface FinishOpts {
  /** Route again first (ip_route_me_harder after DNAT or a new mark). */
  readonly reroute?: boolean;
}

/** POSTROUTING, neighbour resolution and transmission (ip_output → ip_finish_output2). */
export function finishOutput(run: Run, route: Route, packet: Packet, skb: NfSkb, opts: FinishOpts): StepResult {
  let r = route;
  if (opts.reroute === true) {
    const again = outputRoute(run, packet, skb);
    if ('result' in again) return again.result;
    r = again.route;
  }
  const outDev = outDevOf(r);
  if (outDev === undefined) return drop(run, 'NO_ROUTE', `route without a device for ${formatIp(l3(packet).dst)}`, packet);
  const h = nfHook(run, 'POSTROUTING', packet, skb, { outDev });
  if (!h.ok) return h.result;
  const link = run.ns.links[outDev];
  if (link === undefined || !link.up) return drop(run, 'LINK_DOWN', `${outDev} is down`, h.packet);
  const fit = fitForOutput(run, h.packet, outDev);
  if ('result' in fit) return fit.result;
  const out = fit.packet;
  if (link.kind === 'loopback') return devXmit(run, outDev, frameOf(link.mac, link.mac, out), h.skb);
  const nexthop = r.via ?? l3(out).dst;
  if (r.type === 'broadcast') return devXmit(run, outDev, frameOf(link.mac, BROADCAST_MAC, out), h.skb);
  if (link.kind === 'ipip') return devXmit(run, outDev, frameOf(link.mac, link.mac, out), h.skb, r.via);
  const n = resolveNeigh(run.world.netns, run.ns, outDev, nexthop);
  // An imported node's device into what its dump does not hold: the packet leaves the model there, its next hop unknown.
  if (n.kind === 'failed' && n.outside === true) return { kind: 'exits', ns: run.ns.name, dev: outDev, packet: out };
  const mac = n.kind === 'resolved' ? n.mac : undefined;
  run.emit({ kind: 'neigh', ns: run.ns.name, dev: outDev, ip: nexthop, mac, state: n.kind === 'resolved' ? n.state : 'FAILED', ...(n.kind === 'resolved' && n.proxyArp !== undefined ? { proxyArp: n.proxyArp } : {}) });
  if (n.kind === 'failed') return drop(run, 'NEIGH_FAILED', n.detail, out);
  return devXmit(run, outDev, frameOf(link.mac, n.mac, out), h.skb);
}
