/**
 * `ip link set` verbs that change a device in place or move it: master/nomaster, MTU, address,
 * hairpin, namespace, and `ip link del`.
 */
import type { Mac } from '../../addr/mac.js';
import { CommandError } from '../errors.js';
import { type Netns, keepAddrs } from '../netns.js';
import { removeRoutesWhere } from '../route/table.js';
import { syncCarrier } from './carrier.js';
import { ownNeigh } from '../cow.js';
import { forgetFdbPort, putDeviceFdb, takeDeviceFdb } from './fdb-table.js';
import { dropLink, portMinimums, putLink } from './link-index.js';
import { type Namespaces, getLink, vxlanMaxMtu } from './link.js';
import type { Bridge, Link } from './types.js';

function ns(world: Namespaces, name: string): Netns {
  const n = world.netns[name];
  if (n === undefined) throw new CommandError(`ip -n ${name}`, `Cannot open network namespace "${name}": No such file or directory`);
  return n;
}

/** The ports of a bridge, in ifindex order. */
export function bridgePorts(n: Netns, bridge: string): Link[] {
  // One pass; the sort only when the devices are not already listed in ifindex order (they
  // usually are: added in creation order). A segment bridge has a port per node.
  const out: Link[] = [];
  let ordered = true;
  for (const name in n.links) {
    const l = n.links[name] as Link;
    if (l.master !== bridge) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.ifindex > l.ifindex) ordered = false;
    out.push(l);
  }
  return ordered ? out : out.sort((a, b) => a.ifindex - b.ifindex);
}

/** An unpinned bridge takes the numerically lowest MAC of its ports (br_stp_recalculate_bridge_id). */
function recalcBridgeMac(n: Netns, bridge: Bridge): void {
  if (bridge.macPinned === true) return;
  // Kept by link-index.ts, not found by a scan of the ports (a node segment has a port per node).
  const lowest = portMinimums(n, bridge.name).mac;
  if (lowest !== undefined && lowest !== bridge.mac) putLink(n, { ...bridge, mac: lowest });
}

/**
 * br_mtu_auto_adjust: a bridge whose MTU no user set follows its smallest port (1500,
 * ETH_DATA_LEN, with none), after a port joins or leaves or changes its MTU (br_add_if,
 * br_del_if, NETDEV_CHANGEMTU in br_device_event).
 */
function recalcBridgeMtu(n: Netns, bridge: string): void {
  const br = n.links[bridge];
  if (br?.kind !== 'bridge' || br.mtuPinned === true) return;
  const mtu = portMinimums(n, bridge).mtu ?? 1500;
  if (mtu !== br.mtu) putLink(n, { ...br, mtu });
}

/** `ip -n NS link set DEV master BRIDGE`. */
export function setMaster(world: Namespaces, nsName: string, dev: string, master: string): void {
  const cmd = `ip -n ${nsName} link set ${dev} master ${master}`;
  const n = ns(world, nsName);
  const link = getLink(n, dev, cmd);
  const br = getLink(n, master, cmd);
  if (br.kind !== 'bridge' || link.kind === 'bridge' || link.kind === 'loopback') throw new CommandError(cmd, 'RTNETLINK answers: Operation not supported');
  // Object.assign, not a spread (link.ts setLinkUp says why).
  putLink(n, Object.assign({}, link, { master, hairpin: false }));
  joinedBridge(n, br);
  syncCarrier(world.netns, [nsName]);
}

/**
 * What br_add_if does to the bridge `br` (as it was before) once a port has joined it: its MAC
 * and MTU worked out again from its ports, and its carrier following them from now on.
 */
export function joinedBridge(n: Netns, br: Bridge): void {
  recalcBridgeMac(n, br);
  const joined = n.links[br.name];
  if (joined?.kind === 'bridge' && joined.hadPort !== true) putLink(n, Object.assign({}, joined, { hadPort: true }));
  recalcBridgeMtu(n, br.name);
}

/** `ip -n NS link set DEV nomaster`: learned FDB entries pointing at the port are forgotten. */
export function setNoMaster(world: Namespaces, nsName: string, dev: string): void {
  const n = ns(world, nsName);
  const link = getLink(n, dev);
  if (link.master === undefined) return;
  const br = n.links[link.master];
  const { master: _m, hairpin: _h, ...rest } = link;
  putLink(n, rest as Link);
  if (br?.kind === 'bridge') forgetFdbPort(n, dev);
  recalcBridgeMtu(n, link.master);
  syncCarrier(world.netns, [nsName]);
}

/** `bridge link set dev PORT hairpin on|off`. */
export function setHairpin(n: Netns, port: string, on: boolean): void {
  const link = getLink(n, port, `bridge link set dev ${port} hairpin ${on ? 'on' : 'off'}`);
  if (link.master === undefined) throw new CommandError(`bridge link set dev ${port} hairpin on`, 'RTNETLINK answers: Operation not supported');
  putLink(n, { ...link, hairpin: on });
}

/** `ip link set DEV mtu N`: a bridge keeps it from then on; a port's bridge may follow it. */
export function setMtu(n: Netns, dev: string, mtu: number): void {
  const link = getLink(n, dev, `ip link set ${dev} mtu ${mtu}`);
  // vxlan_change_mtu: over a lower device, no more than it carries minus the headers.
  const max = link.kind === 'vxlan' ? vxlanMaxMtu(n, link) : undefined;
  if (max !== undefined && mtu > max) throw new CommandError(`ip link set ${dev} mtu ${mtu}`, 'RTNETLINK answers: Invalid argument');
  putLink(n, link.kind === 'bridge' ? { ...link, mtu, mtuPinned: true } : { ...link, mtu });
  if (link.master !== undefined) recalcBridgeMtu(n, link.master);
}

/** `ip link set DEV address MAC` (pins a bridge's address). */
export function setMac(n: Netns, dev: string, mac: Mac): void {
  const link = getLink(n, dev, `ip link set ${dev} address ${mac}`);
  // A bridge pinned to this address already (the bridge plugin sets it on every ADD): nothing
  // changes, a bridge being no port. A port goes on, as its bridge's MAC is worked out again.
  if (link.kind === 'bridge' && link.macPinned === true && link.mac === mac) return;
  putLink(n, link.kind === 'bridge' ? { ...link, mac, macPinned: true } : { ...link, mac });
  if (link.master !== undefined) {
    const br = n.links[link.master];
    if (br?.kind === 'bridge') recalcBridgeMac(n, br);
  }
}

/** Drops the device and everything that refers to it in its namespace (no carrier bookkeeping). */
export function forget(n: Netns, dev: string): void {
  const link = n.links[dev];
  dropLink(n, dev);
  keepAddrs(n, (a) => a.dev !== dev);
  const neigh = ownNeigh(n);
  neigh.splice(0, neigh.length, ...neigh.filter((e) => e.dev !== dev));
  removeRoutesWhere(n, (r) => r.dev === dev);
  takeDeviceFdb(n, dev);
  forgetFdbPort(n, dev);
  for (const other of Object.values(n.links)) {
    if (link?.kind === 'bridge' && other.master === dev) {
      const { master: _m, hairpin: _h, ...rest } = other;
      putLink(n, rest as Link);
    }
  }
  if (link?.master !== undefined) recalcBridgeMtu(n, link.master);
}

/** `ip -n NS link del DEV`: a veth takes its peer with it. */
export function delLink(world: Namespaces, nsName: string, dev: string): void {
  const n = ns(world, nsName);
  const link = getLink(n, dev, `ip -n ${nsName} link del ${dev}`);
  if (link.kind === 'loopback') throw new CommandError(`ip -n ${nsName} link del ${dev}`, 'RTNETLINK answers: Operation not supported');
  forget(n, dev);
  if (link.kind === 'veth') {
    const peerNs = world.netns[link.peer.ns];
    if (peerNs !== undefined) forget(peerNs, link.peer.dev);
  }
  syncCarrier(world.netns, link.kind === 'veth' ? [nsName, link.peer.ns] : [nsName]);
}

/**
 * `ip -n NS link set DEV netns TO`: the device moves down and without addresses or routes (the
 * kernel flushes them on the way), keeping its ifindex when the target namespace has it free.
 */
export function setNetns(world: Namespaces, nsName: string, dev: string, to: string): void {
  const cmd = `ip -n ${nsName} link set ${dev} netns ${to}`;
  const from = ns(world, nsName);
  const target = ns(world, to);
  const link = getLink(from, dev, cmd);
  if (target.links[dev] !== undefined) throw new CommandError(cmd, 'RTNETLINK answers: File exists');
  if (link.kind === 'loopback') throw new CommandError(cmd, 'RTNETLINK answers: Invalid argument');
  const fdb = takeDeviceFdb(from, dev);
  forget(from, dev);
  putDeviceFdb(target, dev, fdb);
  const taken = Object.values(target.links).some((l) => l.ifindex === link.ifindex);
  const ifindex = taken ? target.counters.ifindex++ : link.ifindex;
  if (!taken) target.counters.ifindex = Math.max(target.counters.ifindex, ifindex + 1);
  const { master: _m, hairpin: _h, ...rest } = link;
  putLink(target, { ...(rest as Link), ifindex, up: false });
  if (link.kind === 'veth') {
    const peerNs = world.netns[link.peer.ns];
    const peer = peerNs?.links[link.peer.dev];
    if (peerNs !== undefined && peer?.kind === 'veth') putLink(peerNs, { ...peer, peer: { ns: to, dev } });
  }
  syncCarrier(world.netns, link.kind === 'veth' ? [nsName, to, link.peer.ns] : [nsName, to]);
}
