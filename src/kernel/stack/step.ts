/**
 * The order in which a namespace processes a packet — one call of {@link step} executes one
 * namespace and says where the packet goes next. The tracer drives it hop by hop (and detects
 * loops); `step` never follows a packet into another namespace itself, so a routing loop cannot
 * make it run forever.
 *
 * ```
 *  rx on dev ──► bridge port? ──yes──► br_handle_frame: learn, [br_netfilter PREROUTING],
 *     │                                FDB ──► port(s): [FORWARD, POSTROUTING] ──► dev xmit
 *     │ no (MAC must be ours)                └─► local ──┐
 *     ▼                                                   ▼
 *  ip_rcv ──► PREROUTING ──► routing decision ──local──► INPUT ──► socket (delivered)
 *   (martians)   (raw, ct,      (ip rule → tables,
 *                 mangle, DNAT)  rp_filter)
 *                                   │ forward (ip_forward=1, TTL > 1, MTU)
 *                                   ▼
 *                                FORWARD ──► POSTROUTING ──► neighbour ──► dev xmit
 *                                                ▲        (mangle, SNAT,      │
 *  local-out: routing ──► OUTPUT ──► re-route ───┘         ct confirm)        ▼
 *                         (raw, ct, mangle,                       veth → peer rx (next netns)
 *                          DNAT, filter)                          bridge → its ports
 *                                                                 lo → rx on lo (same netns)
 *                                                                 vxlan/ipip → encapsulate,
 *                                                                   local-out of the outer packet
 *  INPUT accepted a VXLAN/IPIP packet → decapsulate → rx on the tunnel device (same netns)
 * ```
 * Hook and table order follow net/netfilter (NF_IP_PRI_*); see netfilter/api.ts.
 */
import type { StepResult, Location, StepEnv, Run } from './types.js';
import { BROADCAST_MAC } from '../../addr/mac.js';
import type { Frame } from '../../packet/packet.js';
import { FRESH_SKB } from '../netfilter/api.js';
import type { World } from '../world.js';
import { bridgeRcv } from './bridge.js';
import { ipRcv } from './input.js';
import { localOut } from './output.js';
import { drop } from './types.js';
import { assertNever } from '../../diag/diagnostic.js';

export type { Location, StepEnv, StepResult } from './types.js';

/** Executes one namespace for a packet at `loc`. Mutates only learning state (FDB, neighbours, conntrack). */
export function step(world: World, loc: Location, env: StepEnv): StepResult {
  const ns = world.netns[loc.ns];
  if (ns === undefined) {
    const packet = loc.at === 'rx' ? loc.frame.packet : loc.packet;
    env.emit({ kind: 'drop', ns: loc.ns, reason: 'LINK_DOWN', detail: `no namespace ${loc.ns}` });
    return { kind: 'dropped', ns: loc.ns, reason: 'LINK_DOWN', detail: `no namespace ${loc.ns}`, packet };
  }
  const run: Run = { world, ns, ctx: env.ctx, emit: env.emit };
  switch (loc.at) {
    case 'local-out':
      return localOut(run, loc.packet);
    case 'rx':
      return rx(run, loc.dev, loc.frame, loc.skb);
    default:
      return assertNever(loc, 'location');
  }
}

/** A frame arrives on `dev` (netif_receive_skb → __netif_receive_skb_core → rx_handler or ip_rcv). */
function rx(run: Run, dev: string, frame: Frame, skb = FRESH_SKB): StepResult {
  const link = run.ns.links[dev];
  if (link === undefined || !link.up) return drop(run, 'LINK_DOWN', `${dev} is down or missing`, frame.packet);
  run.emit({ kind: 'dev-rx', ns: run.ns.name, dev, packet: frame.packet });
  if (link.master !== undefined) return bridgeRcv(run, link, frame, skb);
  const forUs = link.kind === 'loopback' || link.kind === 'ipip' || frame.dstMac === link.mac || frame.dstMac === BROADCAST_MAC;
  if (!forUs) return drop(run, 'OTHERHOST', `${frame.dstMac} is not the address of ${dev} (${link.mac})`, frame.packet);
  return ipRcv(run, dev, frame.packet, skb);
}
