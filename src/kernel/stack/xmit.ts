/**
 * What happens when a device transmits a frame (dev_queue_xmit → ndo_start_xmit): a veth hands
 * it to its peer (veth_xmit, which scrubs the skb: netfilter state does not cross namespaces),
 * a bridge forwards it to its ports (br_dev_xmit), `lo` hands it back to the same namespace,
 * a dummy discards it, and tunnels encapsulate it (tunnel.ts).
 */
import type { Ip } from '../../addr/ip.js';
import type { Frame } from '../../packet/packet.js';
import { assertNever } from '../../diag/diagnostic.js';
import type { NfSkb } from '../netfilter/api.js';
import { bridgeXmit } from './bridge.js';
import { frameFits } from './mtu.js';
import { ipipXmit, vxlanXmit } from './tunnel.js';
import { type Run, type StepResult, drop } from './types.js';

/** Transmits `frame` on `dev` of the namespace being executed. */
export function devXmit(run: Run, dev: string, frame: Frame, skb: NfSkb, gateway?: Ip): StepResult {
  const ns = run.ns;
  const link = ns.links[dev];
  if (link === undefined || !link.up) return drop(run, 'LINK_DOWN', `${dev} is down`, frame.packet);
  const eth = frame.packet.encap.length > 0 ? { eth: { src: frame.srcMac, dst: frame.dstMac } } : {};
  run.emit({ kind: 'dev-tx', ns: ns.name, dev, packet: frame.packet, ...eth });
  switch (link.kind) {
    case 'loopback':
      return { kind: 'next', next: [{ at: 'rx', ns: ns.name, dev, frame, skb }] };
    case 'veth': {
      const peer = run.world.netns[link.peer.ns]?.links[link.peer.dev];
      // A veth of an imported node whose peer is in a namespace the dump does not hold (a pod's): the packet leaves the model.
      if (peer === undefined && link.dump?.netnsid !== undefined) return { kind: 'exits', ns: ns.name, dev, packet: frame.packet };
      if (peer === undefined || !peer.up) return drop(run, 'LINK_DOWN', `peer ${link.peer.dev} of ${dev} (netns ${link.peer.ns}) is down`, frame.packet);
      const tooBig = frameFits(run, frame.packet, peer, `veth ${dev} → ${peer.name} in ${link.peer.ns}`);
      if (tooBig !== undefined) return tooBig;
      run.emit({ kind: 'veth-cross', ns: ns.name, dev, peerNs: link.peer.ns, peerDev: link.peer.dev });
      return { kind: 'next', next: [{ at: 'rx', ns: link.peer.ns, dev: link.peer.dev, frame }] };
    }
    case 'bridge':
      return bridgeXmit(run, link, frame, skb);
    case 'dummy':
      return { kind: 'exits', ns: ns.name, dev, packet: frame.packet };
    case 'vxlan':
      return vxlanXmit(run, link, frame, skb);
    case 'ipip':
      return ipipXmit(run, link, frame, skb, gateway);
    default:
      return assertNever(link, 'link');
  }
}
