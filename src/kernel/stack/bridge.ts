/**
 * The Linux bridge datapath (net/bridge): a frame entering a port (br_handle_frame), and a frame
 * the bridge device itself sends (br_dev_xmit).
 *
 * On a port: learn the source MAC → with br_netfilter (`bridge-nf-call-iptables=1` for IPv4,
 * `-ip6tables` for IPv6) run iptables PREROUTING with `-i BRIDGE` and the port as physdev
 * (br_nf_pre_routing); if that DNATed the packet, route the new destination: out through the
 * same bridge → resolve its MAC and keep bridging (no TTL change), otherwise → up to the bridge
 * device as if addressed to it (br_nf_pre_routing_finish) → FDB lookup on the destination MAC:
 * local (the bridge's or a port's own address) → up to the bridge device's IP layer (PREROUTING
 * skipped when br_netfilter already ran it); known port → that port, but never back out of the
 * ingress port unless it has `hairpin on`; unknown → flood to every other port. Each copy going
 * out a port runs FORWARD and POSTROUTING with physdev in/out under br_netfilter (br_nf_forward_ip,
 * br_nf_post_routing), then leaves through the port.
 */
import { assertNever } from '../../diag/diagnostic.js';
import { BROADCAST_MAC, type Mac } from '../../addr/mac.js';
import { formatIp, ipEquals } from '../../addr/ip.js';
import type { Frame } from '../../packet/packet.js';
import { fdbLearn, fdbLookup } from '../link/fdb.js';
import { bridgePorts } from '../link/port.js';
import type { Bridge, Link } from '../link/types.js';
import type { NfSkb } from '../netfilter/api.js';
import { resolveNeigh } from '../neigh.js';
import { fibLookup } from '../route/fib.js';
import { bridgeNfCall } from '../sysctl.js';
import { nfHook } from './hooks.js';
import { ipRcv } from './input.js';
import { l3 } from './l3.js';
import { frameFits } from './mtu.js';
import { type Run, type StepResult, combine, drop } from './types.js';
import { devXmit } from './xmit.js';

/** Where the FDB sends a frame. */
type Decision = { kind: 'local' } | { kind: 'ports'; ports: Link[]; result: 'hit' | 'flood' } | { kind: 'hairpin-blocked'; port: string };

/** br_handle_frame_finish / br_dev_xmit: the FDB decision for `dstMac` (inPort undefined when the bridge sends). */
function decide(run: Run, bridge: Bridge, dstMac: Mac, inPort: Link | undefined): Decision {
  const allowed = (p: Link) => p.name !== inPort?.name || inPort.hairpin === true;
  if (dstMac !== BROADCAST_MAC) {
    const entry = fdbLookup(run.ns, bridge, dstMac);
    if (entry !== undefined && entry.kind === 'local' && inPort !== undefined) return { kind: 'local' };
    // The entry's device, when it is an up port of this bridge (the port list is only built to flood).
    const dev = entry === undefined ? undefined : run.ns.links[entry.dev];
    const port = dev !== undefined && dev.master === bridge.name && dev.up ? dev : undefined;
    if (port !== undefined) return allowed(port) ? { kind: 'ports', ports: [port], result: 'hit' } : { kind: 'hairpin-blocked', port: port.name };
  }
  return { kind: 'ports', ports: bridgePorts(run.ns, bridge.name).filter((p) => p.up && allowed(p)), result: 'flood' };
}

function emitFdb(run: Run, bridge: Bridge, inPort: string, dstMac: Mac, d: Decision): void {
  const result = d.kind === 'ports' ? d.result : d.kind;
  const outPorts = d.kind === 'ports' ? d.ports.map((p) => p.name) : [];
  run.emit({ kind: 'bridge-fdb', ns: run.ns.name, bridge: bridge.name, inPort, dstMac, result, outPorts });
}

/** What br_netfilter's PREROUTING left to do: bridge on, go up to the bridge device, or stop. */
type PreroutingOutcome =
  | { readonly kind: 'bridge' | 'up'; readonly frame: Frame; readonly skb: NfSkb }
  | { readonly kind: 'stop'; readonly result: StepResult };

/** br_nf_pre_routing and br_nf_pre_routing_finish: PREROUTING on the port, then where DNAT sends it. */
function brPrerouting(run: Run, bridge: Bridge, port: Link, frame: Frame, skb: NfSkb): PreroutingOutcome {
  const h = nfHook(run, 'PREROUTING', frame.packet, skb, { inDev: bridge.name, physInDev: port.name, bridged: true });
  if (!h.ok) return { kind: 'stop', result: h.result };
  const f = { ...frame, packet: h.packet };
  if (ipEquals(l3(h.packet).dst, l3(frame.packet).dst)) return { kind: 'bridge', frame: f, skb: h.skb };
  const redirected = afterDnat(run, bridge, f);
  if (redirected === 'up') return { kind: 'up', frame: f, skb: h.skb };
  if (redirected.kind !== 'frame') return { kind: 'stop', result: redirected };
  return { kind: 'bridge', frame: redirected.frame, skb: h.skb };
}

/** A frame arrived on `port`, a port of a bridge. */
export function bridgeRcv(run: Run, port: Link, frame: Frame, skb: NfSkb): StepResult {
  const bridge = port.master === undefined ? undefined : run.ns.links[port.master];
  if (bridge?.kind !== 'bridge' || !bridge.up) return drop(run, 'LINK_DOWN', `bridge ${port.master ?? '?'} of ${port.name} is down`, frame.packet);
  fdbLearn(run.ns, bridge, port.name, frame.srcMac);
  let f = frame;
  let s = skb;
  const brnf = bridgeNfCall(run.ns, l3(f.packet).family) && f.dstMac !== BROADCAST_MAC;
  if (brnf) {
    const pre = brPrerouting(run, bridge, port, f, s);
    if (pre.kind === 'stop') return pre.result;
    if (pre.kind === 'up') return toBridgeDevice(run, bridge, port, pre.frame, pre.skb, true);
    f = pre.frame;
    s = pre.skb;
  }
  const d = decide(run, bridge, f.dstMac, port);
  emitFdb(run, bridge, port.name, f.dstMac, d);
  switch (d.kind) {
    case 'local':
      return toBridgeDevice(run, bridge, port, f, s, brnf);
    case 'hairpin-blocked':
      return drop(run, 'BRIDGE_HAIRPIN', `${bridge.name}: ${f.dstMac} is behind ${d.port}, the ingress port, and hairpin is off`, f.packet);
    case 'ports': {
      // Flooded copies are clones sharing one conntrack entry (skb_clone keeps skb->_nfct), sent
      // one after the other: once a copy's POSTROUTING confirmed it, later copies see it confirmed.
      let shared: NfSkb | undefined;
      const copies = d.ports.map((out) => {
        const copy = forwardOut(run, bridge, port, out, f, shared === undefined ? s : cloneSkb(s, shared), brnf);
        shared ??= copy.confirmed;
        return copy.result;
      });
      return combine(copies) ?? drop(run, 'BRIDGE_HAIRPIN', `${bridge.name}: no port to flood to but the ingress port ${port.name}`, f.packet);
    }
    default:
      return assertNever(d, 'fdb decision');
  }
}

/**
 * br_nf_pre_routing_finish after DNAT: route the new destination from the bridge; through the
 * same bridge → resolve the new next hop's MAC and bridge on; anywhere else → up to the bridge.
 */
function afterDnat(run: Run, bridge: Bridge, f: Frame): 'up' | { kind: 'frame'; frame: Frame } | StepResult {
  const res = fibLookup(run.ns, { dst: l3(f.packet).dst, src: l3(f.packet).src, mark: 0, iif: bridge.name });
  if (res.kind !== 'route' || res.route.type !== 'unicast' || res.route.dev !== bridge.name) return 'up';
  const nexthop = res.route.via ?? l3(f.packet).dst;
  const n = resolveNeigh(run.world.netns, run.ns, bridge.name, nexthop);
  run.emit({ kind: 'neigh', ns: run.ns.name, dev: bridge.name, ip: nexthop, mac: n.kind === 'resolved' ? n.mac : undefined, state: n.kind === 'resolved' ? n.state : 'FAILED', ...(n.kind === 'resolved' && n.proxyArp !== undefined ? { proxyArp: n.proxyArp } : {}) });
  if (n.kind === 'failed') return drop(run, 'NEIGH_FAILED', `${n.detail} (bridged DNAT to ${formatIp(l3(f.packet).dst)})`, f.packet);
  return { kind: 'frame', frame: { ...f, dstMac: n.mac } };
}

/** The frame goes up to the bridge device's IP layer (netif_receive_skb on the bridge). */
function toBridgeDevice(run: Run, bridge: Bridge, port: Link, f: Frame, s: NfSkb, prerouted: boolean): StepResult {
  return ipRcv(run, bridge.name, f.packet, s, prerouted ? { prerouted: true, physInDev: port.name } : {});
}

/** A clone of `s` whose shared conntrack entry another copy has confirmed meanwhile. */
function cloneSkb(s: NfSkb, confirmed: NfSkb): NfSkb {
  return confirmed.ct === undefined ? { mark: s.mark } : { mark: s.mark, ct: confirmed.ct };
}

/**
 * One copy leaving through `out`: FORWARD and POSTROUTING under br_netfilter, then the port.
 * Returns the skb state after POSTROUTING (conntrack confirmed) when the copy got that far.
 */
function forwardOut(run: Run, bridge: Bridge, inPort: Link, out: Link, f: Frame, s: NfSkb, brnf: boolean): { result: StepResult; confirmed?: NfSkb } {
  const tooBig = frameFits(run, f.packet, out, `bridge ${bridge.name} → port ${out.name}`);
  if (tooBig !== undefined) return { result: tooBig };
  if (!brnf) return { result: devXmit(run, out.name, f, s) };
  const devs = { physInDev: inPort.name, physOutDev: out.name, bridged: true };
  const fwd = nfHook(run, 'FORWARD', f.packet, s, { inDev: bridge.name, outDev: bridge.name, ...devs });
  if (!fwd.ok) return { result: fwd.result };
  const post = nfHook(run, 'POSTROUTING', fwd.packet, fwd.skb, { outDev: bridge.name, ...devs });
  if (!post.ok) return { result: post.result };
  return { result: devXmit(run, out.name, { ...f, packet: post.packet }, post.skb), confirmed: post.skb };
}

/** br_dev_xmit: the bridge device sends a frame (routed or local traffic): FDB, no learning, no br_netfilter. */
export function bridgeXmit(run: Run, bridge: Bridge, frame: Frame, skb: NfSkb): StepResult {
  const d = decide(run, bridge, frame.dstMac, undefined);
  emitFdb(run, bridge, bridge.name, frame.dstMac, d);
  if (d.kind !== 'ports') return drop(run, 'NOT_MODELLED', `${bridge.name} sending to its own address`, frame.packet);
  const copies = d.ports.map((out) => frameFits(run, frame.packet, out, `bridge ${bridge.name} → port ${out.name}`) ?? devXmit(run, out.name, frame, skb));
  return combine(copies) ?? drop(run, 'LINK_DOWN', `${bridge.name} has no port up`, frame.packet);
}
