/**
 * The nodes' shared L2 network. A segment is a hidden namespace holding one bridge, `seg`; a
 * node's NIC is a veth whose peer is a port of that bridge. So the wire between nodes is
 * modelled with the same parts as a pod network (bridge learning, flooding, veth crossings) and
 * needs no special case in the stack. Renderers show such a NIC as a plain Ethernet device.
 */
import type { Mac } from '../addr/mac.js';
import { addBridge, addVeth, setLinkUp } from './link/link.js';
import { setMaster, setMtu } from './link/port.js';
import { type World, addNetns, getNetns } from './world.js';

/** The bridge inside every segment namespace. */
export const SEGMENT_BRIDGE = 'seg';

/** Creates a segment: a hidden namespace `name` with an up bridge. */
export function addSegment(world: World, name: string): void {
  const ns = addNetns(world, name, { hidden: true });
  addBridge(ns, SEGMENT_BRIDGE);
  setLinkUp(world, name, SEGMENT_BRIDGE);
}

/**
 * Plugs `dev` of namespace `ns` into the segment (a node's `eth0` on the LAN). The device is
 * created down, like any new link; the segment side is up.
 */
export function attachToSegment(world: World, spec: { segment: string; ns: string; dev: string; mac?: Mac; mtu?: number; portMtu?: number }): void {
  const seg = getNetns(world, spec.segment);
  const port = `port${seg.counters.ifindex}`;
  addVeth(world, {
    ns: spec.ns,
    name: spec.dev,
    peer: port,
    peerNs: spec.segment,
    ...(spec.mac !== undefined ? { mac: spec.mac } : {}),
    ...(spec.mtu !== undefined ? { mtu: spec.mtu } : {}),
  });
  // A network that carries less than its hosts send: its port keeps the smaller MTU.
  if (spec.portMtu !== undefined) setMtu(seg, port, spec.portMtu);
  setMaster(world, spec.segment, port, SEGMENT_BRIDGE);
  setLinkUp(world, spec.segment, port);
}
