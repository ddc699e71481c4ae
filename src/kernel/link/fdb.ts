/**
 * The bridge forwarding database (`bridge fdb`). Local entries (the bridge's and its ports' own
 * addresses) are derived from the devices rather than stored, so they can never go stale;
 * static and learned entries live in the namespace's FDB table (`ns.fdb`, by device), as do a
 * VXLAN device's remote entries; writes go through `ownFdbList` (cow.ts), so a trace's fork of a
 * namespace copies a device's list the first time it learns into it. Learning is what br_fdb_update does on every
 * frame entering a port: remember which port the source MAC lives behind. Ageing is not
 * modelled (entries never expire).
 */
import type { Ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { CommandError } from '../errors.js';
import { ownFdb, ownFdbList } from '../cow.js';
import { bridgeFdb, setBridgeFdb, vxlanFdb } from './fdb-table.js';
export { bridgeFdb, vxlanFdb } from './fdb-table.js';
import type { Netns } from '../netns.js';
import { getLink } from './link.js';
import { indexedPortWithMac } from './link-index.js';
import { bridgePorts } from './port.js';
import type { Bridge, FdbEntry, Link, Vxlan } from './types.js';

/** The bridge called `name`, or the CommandError `bridge` gives. */
export function getBridge(ns: Netns, name: string): Bridge {
  const link = getLink(ns, name);
  if (link.kind !== 'bridge') throw new CommandError(`bridge fdb show br ${name}`, `"${name}" is not a bridge`);
  return link;
}

/**
 * Local entries: the bridge's own MAC, then each port's, in ifindex order. There is one entry
 * per address: when the bridge's MAC is a port's (a bridge whose address was never set follows
 * its lowest port), the kernel keeps only the port's entry (br_fdb.c: fdb_add_local finds it and
 * adds nothing), which the scenario differential test saw on the node network's bridge.
 */
export function localEntries(ns: Netns, bridge: Bridge): FdbEntry[] {
  const ports = bridgePorts(ns, bridge.name).map((p) => ({ mac: p.mac, dev: p.name, kind: 'local' as const }));
  const own: FdbEntry[] = ports.some((p) => p.mac === bridge.mac) ? [] : [{ mac: bridge.mac, dev: bridge.name, kind: 'local' }];
  return [...own, ...ports];
}

/** Every entry of the bridge: local ones first, then static and learned in insertion order. */
export function fdbEntries(ns: Netns, bridge: Bridge): FdbEntry[] {
  return [...localEntries(ns, bridge), ...bridgeFdb(ns, bridge)];
}

/**
 * The local entry for `mac` — what `localEntries(ns, bridge).find((e) => e.mac === mac)` gives —
 * by one scan of the devices, without building the list: the lowest-ifindex port with that MAC,
 * else the bridge's own entry. A segment bridge has a port per node, and the packet path asks
 * on every frame it bridges.
 */
export function localEntryFor(ns: Netns, bridge: Bridge, mac: Mac): FdbEntry | undefined {
  // A large namespace (a node network's segment) answers from its link index, kept on every write.
  const indexed = indexedPortWithMac(ns, bridge.name, mac);
  let port: Link | undefined = indexed ?? undefined;
  if (indexed === undefined) {
    for (const name in ns.links) {
      const l = ns.links[name] as Link;
      if (l.master === bridge.name && l.mac === mac && (port === undefined || l.ifindex < port.ifindex)) port = l;
    }
  }
  if (port !== undefined) return { mac, dev: port.name, kind: 'local' };
  return mac === bridge.mac ? { mac, dev: bridge.name, kind: 'local' } : undefined;
}

/** Where a frame for `mac` goes: a local entry wins, as br_fdb_find_rcu finds the one entry per MAC. */
export function fdbLookup(ns: Netns, bridge: Bridge, mac: Mac): FdbEntry | undefined {
  return localEntryFor(ns, bridge, mac) ?? bridgeFdb(ns, bridge).find((e) => e.mac === mac);
}

/**
 * Learns `mac` behind `port` (br_fdb_update): a new learned entry, or a learned entry moved to
 * the new port. Local and static entries are never overwritten. Returns whether anything changed.
 */
export function fdbLearn(ns: Netns, bridge: Bridge, port: string, mac: Mac): boolean {
  if (localEntryFor(ns, bridge, mac) !== undefined) return false;
  const at = bridgeFdb(ns, bridge).findIndex((e) => e.mac === mac);
  const existing = bridgeFdb(ns, bridge)[at];
  if (existing === undefined) {
    ownFdbList(ns, 'bridge', bridge.name).push({ mac, dev: port, kind: 'learned' });
    return true;
  }
  if (existing.kind !== 'learned' || existing.dev === port) return false;
  ownFdbList(ns, 'bridge', bridge.name)[at] = { mac, dev: port, kind: 'learned' };
  return true;
}

/** `bridge fdb add MAC dev PORT master static`. */
export function addFdbEntry(ns: Netns, spec: { mac: Mac; dev: string }): void {
  const port = getLink(ns, spec.dev, `bridge fdb add ${spec.mac} dev ${spec.dev} master static`);
  if (port.master === undefined) throw new CommandError(`bridge fdb add ${spec.mac} dev ${spec.dev} master static`, 'RTNETLINK answers: Operation not supported');
  const bridge = getBridge(ns, port.master);
  const kept = bridgeFdb(ns, bridge).filter((e) => e.mac !== spec.mac);
  ownFdb(ns).bridge.set(bridge.name, [...kept, { mac: spec.mac, dev: spec.dev, kind: 'static' }]);
}

/** `bridge fdb del MAC dev PORT master`. */
export function delFdbEntry(ns: Netns, spec: { mac: Mac; dev: string }): void {
  const port = getLink(ns, spec.dev);
  if (port.master === undefined) return;
  const bridge = getBridge(ns, port.master);
  setBridgeFdb(ns, bridge.name, bridgeFdb(ns, bridge).filter((e) => !(e.mac === spec.mac && e.dev === spec.dev)));
}

/** `bridge fdb append MAC dev VXLAN dst IP self permanent` (the entries flannel and Calico write). */
export function addVxlanFdbEntry(ns: Netns, spec: { dev: string; mac: Mac; dst: Ip }): void {
  const link = getLink(ns, spec.dev, `bridge fdb append ${spec.mac} dev ${spec.dev} dst …`);
  if (link.kind !== 'vxlan') throw new CommandError(`bridge fdb append ${spec.mac} dev ${spec.dev}`, 'RTNETLINK answers: Operation not supported');
  ownFdbList(ns, 'vxlan', link.name).push({ mac: spec.mac, dst: spec.dst });
}

/** vxlan_snoop: a learning VXLAN device remembers the outer source of an inner source MAC (the entry moves to the end). */
export function vxlanLearn(ns: Netns, link: Vxlan, mac: Mac, dst: Ip): void {
  const kept = vxlanFdb(ns, link).filter((e) => e.mac !== mac);
  ownFdb(ns).vxlan.set(link.name, [...kept, { mac, dst }]);
}
