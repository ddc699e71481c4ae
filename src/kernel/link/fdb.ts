/**
 * The bridge forwarding database (`bridge fdb`). Local entries (the bridge's and its ports' own
 * addresses) are derived from the devices rather than stored, so they can never go stale;
 * static and learned entries live in `Bridge.fdb`. Learning is what br_fdb_update does on every
 * frame entering a port: remember which port the source MAC lives behind. Ageing is not
 * modelled (entries never expire).
 */
import type { Ip } from '../../addr/ip.js';
import type { Mac } from '../../addr/mac.js';
import { CommandError } from '../errors.js';
import type { Netns } from '../netns.js';
import { getLink } from './link.js';
import { indexedPortWithMac } from './link-index.js';
import { bridgePorts } from './port.js';
import type { Bridge, FdbEntry, Link } from './types.js';

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
  return [...localEntries(ns, bridge), ...bridge.fdb];
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
  return localEntryFor(ns, bridge, mac) ?? bridge.fdb.find((e) => e.mac === mac);
}

/**
 * Learns `mac` behind `port` (br_fdb_update): a new learned entry, or a learned entry moved to
 * the new port. Local and static entries are never overwritten. Returns whether anything changed.
 */
export function fdbLearn(ns: Netns, bridge: Bridge, port: string, mac: Mac): boolean {
  if (localEntryFor(ns, bridge, mac) !== undefined) return false;
  const at = bridge.fdb.findIndex((e) => e.mac === mac);
  const existing = bridge.fdb[at];
  if (existing === undefined) {
    bridge.fdb.push({ mac, dev: port, kind: 'learned' });
    return true;
  }
  if (existing.kind !== 'learned' || existing.dev === port) return false;
  bridge.fdb[at] = { mac, dev: port, kind: 'learned' };
  return true;
}

/** `bridge fdb add MAC dev PORT master static`. */
export function addFdbEntry(ns: Netns, spec: { mac: Mac; dev: string }): void {
  const port = getLink(ns, spec.dev, `bridge fdb add ${spec.mac} dev ${spec.dev} master static`);
  if (port.master === undefined) throw new CommandError(`bridge fdb add ${spec.mac} dev ${spec.dev} master static`, 'RTNETLINK answers: Operation not supported');
  const bridge = getBridge(ns, port.master);
  const kept = bridge.fdb.filter((e) => e.mac !== spec.mac);
  bridge.fdb.splice(0, bridge.fdb.length, ...kept, { mac: spec.mac, dev: spec.dev, kind: 'static' });
}

/** `bridge fdb del MAC dev PORT master`. */
export function delFdbEntry(ns: Netns, spec: { mac: Mac; dev: string }): void {
  const port = getLink(ns, spec.dev);
  if (port.master === undefined) return;
  const bridge = getBridge(ns, port.master);
  bridge.fdb.splice(0, bridge.fdb.length, ...bridge.fdb.filter((e) => !(e.mac === spec.mac && e.dev === spec.dev)));
}

/** `bridge fdb append MAC dev VXLAN dst IP self permanent` (the entries flannel and Calico write). */
export function addVxlanFdbEntry(ns: Netns, spec: { dev: string; mac: Mac; dst: Ip }): void {
  const link = getLink(ns, spec.dev, `bridge fdb append ${spec.mac} dev ${spec.dev} dst …`);
  if (link.kind !== 'vxlan') throw new CommandError(`bridge fdb append ${spec.mac} dev ${spec.dev}`, 'RTNETLINK answers: Operation not supported');
  link.fdb.push({ mac: spec.mac, dst: spec.dst });
}
