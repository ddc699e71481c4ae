/**
 * `ip link` verbs: create devices, set them up or down, enslave them to a bridge, change MTU,
 * address and namespace, delete them. Every verb takes the world (veth pairs span namespaces)
 * and re-derives carrier-dependent state afterwards (carrier.ts).
 */
import type { Ip } from '../../addr/ip.js';
import { type Mac, macFromParts } from '../../addr/mac.js';
import { cidr } from '../../addr/cidr.js';
import { addAddress, devAddrs, installAddrRoutes } from '../addr.js';
import { ownNeigh } from '../cow.js';
import { CommandError } from '../errors.js';
import { type Netns, keepAddrs } from '../netns.js';
import { removeRoutesWhere } from '../route/table.js';
import { affected, syncCarrier } from './carrier.js';
import { putLink } from './link-index.js';
import type { Bridge, Link } from './types.js';

/** The namespaces the verbs work on (structurally a World). */
export interface Namespaces {
  readonly netns: Record<string, Netns>;
}

function nsOf(world: Namespaces, name: string, cmd: string): Netns {
  const ns = world.netns[name];
  if (ns === undefined) throw new CommandError(cmd, `Cannot open network namespace "${name}": No such file or directory`);
  return ns;
}

/** The link called `dev` in `ns`, or the CommandError `ip` gives. */
export function getLink(ns: Netns, dev: string, cmd = `ip link show ${dev}`): Link {
  const link = ns.links[dev];
  if (link === undefined) throw new CommandError(cmd, `Cannot find device "${dev}"`);
  return link;
}

/** Whether `name` is free in `ns` and a valid interface name ({@link checkFree} would not throw). */
export function isFreeName(ns: Netns, name: string): boolean {
  return ns.links[name] === undefined && name.length <= 15;
}

function checkFree(ns: Netns, name: string, cmd: string): void {
  if (ns.links[name] !== undefined) throw new CommandError(cmd, 'RTNETLINK answers: File exists');
  if (name.length > 15) throw new CommandError(cmd, `Error: argument "${name}" is wrong: "name" not a valid ifname`);
}

/** Common fields of a new device: next ifindex, MTU 1500, a MAC derived from namespace and name. */
function common(ns: Netns, name: string, opts: { mtu?: number; mac?: Mac }) {
  return { name, ifindex: ns.counters.ifindex++, mtu: opts.mtu ?? 1500, mac: opts.mac ?? macFromParts(ns.name, name), up: false };
}

/** Options shared by the `add*` verbs. */
export interface LinkOpts {
  readonly mtu?: number;
  readonly mac?: Mac;
}

/** `ip -n NS link add NAME type veth peer name PEER netns PEER_NS` (both ends down). */
export function addVeth(world: Namespaces, spec: { ns: string; name: string; peer: string; peerNs?: string; mtu?: number | undefined; mac?: Mac | undefined; peerMac?: Mac }): void {
  const peerNsName = spec.peerNs ?? spec.ns;
  const cmd = `ip -n ${spec.ns} link add ${spec.name} type veth peer name ${spec.peer} netns ${peerNsName}`;
  const ns = nsOf(world, spec.ns, cmd);
  const peerNs = nsOf(world, peerNsName, cmd);
  checkFree(ns, spec.name, cmd);
  checkFree(peerNs, spec.peer, cmd);
  if (ns === peerNs && spec.name === spec.peer) throw new CommandError(cmd, 'RTNETLINK answers: File exists');
  putLink(ns, vethEnd(ns, spec.name, { ns: peerNsName, dev: spec.peer }, spec.mtu, spec.mac));
  putLink(peerNs, vethEnd(peerNs, spec.peer, { ns: spec.ns, dev: spec.name }, spec.mtu, spec.peerMac));
}

/** One end of a veth pair as `ip link add … type veth` creates it (down): {@link common}'s fields between `kind` and `peer`, written out (spreads were a tenth of a pod's ADD). */
export function vethEnd(ns: Netns, name: string, peer: { ns: string; dev: string }, mtu: number | undefined, mac: Mac | undefined): Link {
  return { kind: 'veth', name, ifindex: ns.counters.ifindex++, mtu: mtu ?? 1500, mac: mac || macFromParts(ns.name, name), up: false, peer };
}

/**
 * The end {@link vethEnd} makes, as `ip link set NAME up` and `ip link set NAME master MASTER`,
 * `bridge link set dev NAME hairpin on|off` then leave it: the same keys in the same order
 * (`up` in place, then `everUp`, `master`, `hairpin`), for veth-port.ts.
 */
export function vethPortEnd(ns: Netns, name: string, peer: { ns: string; dev: string }, mtu: number | undefined, master: string, hairpin: boolean): Link {
  return { kind: 'veth', name, ifindex: ns.counters.ifindex++, mtu: mtu ?? 1500, mac: macFromParts(ns.name, name), up: true, peer, everUp: true, master, hairpin };
}

/**
 * The `ns` end of `ip -n NS link add NAME type veth peer name PEER netns PEER_NS` whose other end
 * exists already: a pod sandbox filled after its ADD (deferred-sandbox.ts) gets its end as
 * {@link addVeth} made it, with the pod's next ifindex.
 */
export function addVethEnd(world: Namespaces, spec: { ns: string; name: string; peer: string; peerNs: string; mtu?: number | undefined; mac?: Mac | undefined }): void {
  const cmd = `ip -n ${spec.ns} link add ${spec.name} type veth peer name ${spec.peer} netns ${spec.peerNs}`;
  const ns = nsOf(world, spec.ns, cmd);
  checkFree(ns, spec.name, cmd);
  putLink(ns, vethEnd(ns, spec.name, { ns: spec.peerNs, dev: spec.peer }, spec.mtu, spec.mac));
}

/**
 * `ip link add NAME type bridge`. Without an explicit address the bridge takes the lowest MAC of
 * its ports once it has some (br_stp_recalculate_bridge_id), so `mac` here pins it, as
 * `ip link set NAME address MAC` does.
 */
export function addBridge(ns: Netns, name: string, opts: LinkOpts = {}): Bridge {
  checkFree(ns, name, `ip link add ${name} type bridge`);
  const bridge: Bridge = { kind: 'bridge', ...common(ns, name, opts), ...(opts.mac !== undefined ? { macPinned: true } : {}) };
  putLink(ns, bridge);
  return bridge;
}

/** `ip link add NAME type dummy`. */
export function addDummy(ns: Netns, name: string, opts: LinkOpts = {}): void {
  checkFree(ns, name, `ip link add ${name} type dummy`);
  putLink(ns, { kind: 'dummy', ...common(ns, name, opts) });
}

/** VXLAN_HEADROOM / VXLAN6_HEADROOM: outer IP, UDP, VXLAN and inner Ethernet headers. */
export function vxlanHeadroom(family: 4 | 6): number {
  return family === 6 ? 70 : 50;
}

/** The largest MTU a VXLAN device over a lower device may have, or undefined without one. */
export function vxlanMaxMtu(ns: Netns, spec: { dev?: string; local?: Ip }): number | undefined {
  if (spec.dev === undefined) return undefined;
  return (ns.links[spec.dev]?.mtu ?? 1500) - vxlanHeadroom(spec.local?.family ?? 4);
}

/** `ip link add NAME type vxlan id VNI [local IP] [dev DEV] [dstport PORT] [nolearning]` (dstport 0 → 8472). */
export function addVxlan(ns: Netns, name: string, spec: LinkOpts & { vni: number; local?: Ip; dev?: string; dstport?: number; learning?: boolean }): void {
  checkFree(ns, name, `ip link add ${name} type vxlan id ${spec.vni}`);
  // vxlan_config_apply: with a lower device, at most its MTU minus the headers (50 bytes over
  // IPv4, 70 over IPv6), and that by default; a bigger MTU asked for is cut down silently.
  const max = vxlanMaxMtu(ns, spec);
  putLink(ns, {
    kind: 'vxlan',
    ...common(ns, name, { mtu: max === undefined ? (spec.mtu ?? 1500) : Math.min(spec.mtu ?? max, max), ...(spec.mac ? { mac: spec.mac } : {}) }),
    vni: spec.vni,
    ...(spec.local !== undefined ? { local: spec.local } : {}),
    ...(spec.dev !== undefined ? { dev: spec.dev } : {}),
    dstport: spec.dstport === undefined || spec.dstport === 0 ? 8472 : spec.dstport,
    learning: spec.learning ?? true,
  });
}

/** `ip link add NAME type ipip [local IP] [remote IP] [dev DEV] [ttl N|inherit]` (MTU 1480, no MAC). */
export function addIpip(ns: Netns, name: string, spec: { mtu?: number; local?: Ip; remote?: Ip; dev?: string; ttl?: number | 'inherit' } = {}): void {
  checkFree(ns, name, `ip link add ${name} type ipip`);
  putLink(ns, {
    kind: 'ipip',
    ...common(ns, name, { mtu: spec.mtu ?? 1480, mac: '00:00:00:00:00:00' as Mac }),
    ...(spec.local !== undefined ? { local: spec.local } : {}),
    ...(spec.remote !== undefined ? { remote: spec.remote } : {}),
    ...(spec.dev !== undefined ? { dev: spec.dev } : {}),
    ttl: spec.ttl ?? 'inherit',
  });
}

function replace(ns: Netns, link: Link): void {
  putLink(ns, link);
}

/** The loopback's addresses, parsed once (every pod's `lo` gets them; parsing `::1` per pod was a tenth of a build). */
const LOOPBACK_V4 = cidr('127.0.0.1/8');
const LOOPBACK_V6 = cidr('::1/128');

const UP = { up: true, everUp: true } as const;

/** `ip -n NS link set DEV up`: restores the routes of its addresses; `lo` gets 127.0.0.1/8 and ::1. */
export function setLinkUp(world: Namespaces, nsName: string, dev: string): void {
  if (linkUp(world, nsName, dev)) syncCarrier(world.netns, affected(world.netns, nsName, dev));
}

/**
 * {@link setLinkUp} of a device in a sandbox shell (kernel/deferred-sandbox.ts): the other
 * namespaces (the veth's host end) see what setLinkUp shows them; the shell's own
 * autoconfiguration is the fill's, which sets the device up again in the filled namespace.
 */
export function setShellLinkUp(world: Namespaces, nsName: string, dev: string): void {
  if (linkUp(world, nsName, dev)) syncCarrier(world.netns, affected(world.netns, nsName, dev).filter((n) => n !== nsName));
}

/**
 * {@link setLinkUp} of a device of a sandbox being filled (kernel/deferred-sandbox.ts): it came up
 * in the shell at its ADD ({@link setShellLinkUp}), which gave the other namespaces (the veth's
 * host end) what setLinkUp gives them, there and then; the fill, which changes nothing outside the
 * pod, brings up to date the pod's own autoconfiguration only. A pass over the host here would
 * find nothing the eager ADD left undone, or undo what happened to the host since (an address
 * removed), and it built the host's device index (link-index.ts) for the first pod read.
 */
export function setFilledLinkUp(world: Namespaces, nsName: string, dev: string): void {
  if (linkUp(world, nsName, dev)) syncCarrier(world.netns, [nsName]);
}

/** The device up with its addresses' routes (`lo` with its addresses); false when it was up already. */
function linkUp(world: Namespaces, nsName: string, dev: string): boolean {
  const cmd = `ip -n ${nsName} link set ${dev} up`;
  const ns = nsOf(world, nsName, cmd);
  const link = getLink(ns, dev, cmd);
  if (link.up) return false;
  const existing = devAddrs(ns, dev);
  // Object.assign, not a spread: the same record (keys in the same order), and far cheaper where
  // the devices passing here have many shapes (a spread's copy goes megamorphic).
  replace(ns, Object.assign({}, link, UP));
  for (const a of existing) installAddrRoutes(ns, a);
  if (link.kind === 'loopback') {
    if (devAddrs(ns, dev, 4).length === 0) addAddress(ns, { dev, cidr: LOOPBACK_V4 });
    if (devAddrs(ns, dev, 6).length === 0) addAddress(ns, { dev, cidr: LOOPBACK_V6, noPrefixRoute: 'silent' });
  }
  return true;
}

/**
 * `ip -n NS link set DEV down`: every route through the device goes (fib_disable_ip flushes them,
 * user routes included, and they do not come back), and so do its IPv6 addresses
 * (keep_addr_on_down=0); IPv4 addresses stay.
 */
export function setLinkDown(world: Namespaces, nsName: string, dev: string): void {
  const cmd = `ip -n ${nsName} link set ${dev} down`;
  const ns = nsOf(world, nsName, cmd);
  const link = getLink(ns, dev, cmd);
  if (!link.up) return;
  replace(ns, { ...link, up: false });
  removeRoutesWhere(ns, (r) => r.dev === dev);
  keepAddrs(ns, (a) => a.dev !== dev || a.cidr.addr.family === 4);
  const kept = ns.neigh.filter((n) => n.dev !== dev || n.state === 'PERMANENT');
  ownNeigh(ns).splice(0, ns.neigh.length, ...kept);
  syncCarrier(world.netns, affected(world.netns, nsName, dev));
}
