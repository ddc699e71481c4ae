/**
 * Tunnel devices: VXLAN (drivers/net/vxlan) and IPIP (net/ipv4/ipip.c).
 *
 * Transmit: the device wraps the frame in an outer header and hands the result to the
 * namespace's own IP output as a locally generated packet (udp_tunnel_xmit_skb / iptunnel_xmit →
 * ip_local_out), so the outer packet is routed (through the tunnel's `dev` when it has one) and
 * passes OUTPUT and POSTROUTING. VXLAN finds the remote in its FDB (`bridge fdb append MAC dev
 * flannel.1 dst IP`, or the all-zero default entry); IPIP sends to its `remote`, or — for `remote
 * any` such as Calico's tunl0 — to the route's gateway.
 *
 * Receive: after INPUT accepted the outer packet, a VXLAN device listening on the UDP port with
 * the packet's VNI, or an IPIP device whose local/remote match (exact before wildcard, as
 * ip_tunnel_lookup), strips the header and the inner frame arrives on that device.
 */
import { type Ip, formatIp, ipEquals } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { type Frame, type OuterHeader, type Packet, decapsulate, encapsulate } from '../../packet/packet.js';
import { flowKey, flowOf } from '../../packet/flow.js';
import { selectSourceAddress } from '../addr.js';
import { fibLookup } from '../route/fib.js';
import { vxlanLearn } from '../link/fdb.js';
import { vxlanFdb } from '../link/fdb-table.js';
import type { Ipip, Vxlan } from '../link/types.js';
import type { NfSkb } from '../netfilter/api.js';
import { l3 } from './l3.js';
import { localOut } from './output.js';
import { type Run, type StepResult, drop } from './types.js';

const ZERO_MAC = '00:00:00:00:00:00' as Mac;
/** Encapsulation deeper than this is a tunnel routed into itself. */
const MAX_ENCAP = 4;

/** udp_flow_src_port: a source port from the inner flow's hash, in the local port range. */
function vxlanSourcePort(inner: Packet): number {
  let h = 0x811c9dc5;
  for (const ch of flowKey(flowOf(inner))) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return 32768 + (h % (61000 - 32768));
}

/** How the `encap`/`decap` events describe an outer header. */
export function describeOuter(o: OuterHeader): string {
  const ends = `${formatIp(o.ip.src)} > ${formatIp(o.ip.dst)}`;
  return o.kind === 'vxlan' ? `vxlan ${formatIp(o.ip.src)}:${o.sport} > ${formatIp(o.ip.dst)}:${o.dport} vni ${o.vni}` : `ipip ${ends}`;
}

/** Sends the encapsulated packet from the namespace, through the tunnel's lower device if any. */
function sendOuter(run: Run, dev: string, outer: OuterHeader, inner: Packet, lower: string | undefined, skb: NfSkb): StepResult {
  if (inner.encap.length >= MAX_ENCAP) return drop(run, 'NO_ROUTE', `${dev}: encapsulation nested ${inner.encap.length} deep, the tunnel routes into itself`, inner);
  run.emit({ kind: 'encap', ns: run.ns.name, dev, outer: describeOuter(outer) });
  return localOut(run, encapsulate(inner, outer), { ...(lower !== undefined ? { oif: lower } : {}), mark: skb.mark, tunnel: dev });
}

/** vxlan_xmit: FDB lookup of the inner destination MAC, then UDP to the remote VTEP. */
export function vxlanXmit(run: Run, link: Vxlan, frame: Frame, skb: NfSkb): StepResult {
  const fdb = vxlanFdb(run.ns, link);
  const entry = fdb.find((e) => e.mac === frame.dstMac) ?? fdb.find((e) => e.mac === ZERO_MAC);
  if (entry === undefined) return drop(run, 'NEIGH_FAILED', `${link.name}: no VXLAN FDB entry for ${frame.dstMac} (bridge fdb show dev ${link.name})`, frame.packet);
  const src = link.local ?? selectSourceAddress(run.ns, link.dev, entry.dst.family, entry.dst);
  if (src === undefined) return drop(run, 'NO_ROUTE', `${link.name}: no local address to send from`, frame.packet);
  const inner = l3(frame.packet);
  const outer: OuterHeader = {
    kind: 'vxlan',
    ip: { family: entry.dst.family, src, dst: entry.dst, ttl: 64, length: inner.length + (entry.dst.family === 4 ? 50 : 70), dontFragment: false },
    sport: vxlanSourcePort(frame.packet),
    dport: link.dstport,
    vni: link.vni,
    innerSrcMac: frame.srcMac,
    innerDstMac: frame.dstMac,
  };
  return sendOuter(run, link.name, outer, frame.packet, link.dev, skb);
}

/**
 * The outer source of a tunnel without `local` (`local any`, as Calico's tunl0): ip_tunnel_xmit
 * routes the outer packet with no source (ip_route_output_tunnel), so the source is the one that
 * route picks — its `src`, else an address of its device (inet_select_addr): the node's address
 * on the underlay, never the tunnel's own.
 */
function outerSource(run: Run, dst: Ip, lower: string | undefined, skb: NfSkb): Ip | undefined {
  const r = fibLookup(run.ns, { dst, mark: skb.mark, iif: 'lo', ...(lower !== undefined ? { oif: lower } : {}) });
  if (r.kind !== 'route') return selectSourceAddress(run.ns, lower, dst.family, dst);
  return r.route.src ?? selectSourceAddress(run.ns, r.route.dev ?? lower, dst.family, dst);
}

/** ipip_tunnel_xmit: to `remote`, or to the route's gateway when the tunnel has none. */
export function ipipXmit(run: Run, link: Ipip, frame: Frame, skb: NfSkb, nexthop: Ip | undefined): StepResult {
  const inner = l3(frame.packet);
  const dst = link.remote ?? (nexthop !== undefined && !ipEquals(nexthop, inner.dst) ? nexthop : undefined);
  if (dst === undefined || inner.family !== 4) return drop(run, 'NO_ROUTE', `${link.name}: no tunnel destination (remote any and the route has no gateway)`, frame.packet);
  const src = link.local ?? outerSource(run, dst, link.dev, skb);
  if (src === undefined) return drop(run, 'NO_ROUTE', `${link.name}: no local address to send from`, frame.packet);
  const ttl = link.ttl === 'inherit' ? inner.ttl : link.ttl;
  const outer: OuterHeader = { kind: 'ipip', ip: { family: 4, src, dst, ttl, length: inner.length + 20, dontFragment: inner.dontFragment } };
  return sendOuter(run, link.name, outer, frame.packet, link.dev, skb);
}

function vxlanFor(run: Run, o: Extract<OuterHeader, { kind: 'vxlan' }>): Vxlan | undefined {
  for (const l of Object.values(run.ns.links)) {
    if (l.kind === 'vxlan' && l.up && l.dstport === o.dport && l.vni === o.vni && (l.local === undefined || ipEquals(l.local, o.ip.dst))) return l;
  }
  return undefined;
}

function ipipFor(run: Run, o: OuterHeader): Ipip | undefined {
  const tunnels = Object.values(run.ns.links).filter((l): l is Ipip => l.kind === 'ipip' && l.up);
  const score = (t: Ipip) => (t.remote !== undefined ? 2 : 0) + (t.local !== undefined ? 1 : 0);
  return tunnels
    .filter((t) => (t.remote === undefined || ipEquals(t.remote, o.ip.src)) && (t.local === undefined || ipEquals(t.local, o.ip.dst)))
    .sort((a, b) => score(b) - score(a) || a.ifindex - b.ifindex)[0];
}

/**
 * After INPUT accepted a tunnel packet addressed to this namespace: the device that takes it and
 * the inner frame arriving on it (same namespace, conntrack reset, mark kept), a NO_SOCKET drop
 * when no device listens, or undefined for a packet that is not encapsulated.
 */
export function tunnelRcv(run: Run, packet: Packet, skb: NfSkb): StepResult | undefined {
  const d = decapsulate(packet);
  if (d === undefined) return undefined;
  const { outer, packet: inner } = d;
  const link = outer.kind === 'vxlan' ? vxlanFor(run, outer) : ipipFor(run, outer);
  if (link === undefined) {
    const what = outer.kind === 'vxlan' ? `UDP port ${outer.dport} VNI ${outer.vni}` : 'IP protocol 4';
    return drop(run, 'NO_SOCKET', `no tunnel device for ${what} (${describeOuter(outer)})`, packet);
  }
  run.emit({ kind: 'decap', ns: run.ns.name, dev: link.name, outer: describeOuter(outer) });
  if (link.kind === 'vxlan' && outer.kind === 'vxlan' && link.learning) {
    vxlanLearn(run.ns, link, outer.innerSrcMac, outer.ip.src);
  }
  const frame: Frame = outer.kind === 'vxlan' ? { srcMac: outer.innerSrcMac, dstMac: outer.innerDstMac, packet: inner } : { srcMac: ZERO_MAC, dstMac: ZERO_MAC, packet: inner };
  return { kind: 'next', next: [{ at: 'rx', ns: run.ns.name, dev: link.name, frame, skb: { mark: skb.mark } }] };
}
