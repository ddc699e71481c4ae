/**
 * Copy-on-write for the parts of a forked namespace (overlay.ts `forkNetns`). A fork starts out
 * sharing every part with the namespace it was forked from; the packet path writes a part only
 * through one of the `own…` functions here, which gives the fork its own copy first. A part is
 * still shared while it is the very object the base holds, so one WeakMap lookup and one identity
 * comparison tell, and nothing goes stale when the fork is later replaced wholesale.
 *
 * What may be shared rests on one promise: the base is not written while a fork of it is in use
 * (a trace's overlay is thrown away after the trace; whoever reconfigures a namespace through an
 * overlay first gives it a deep copy of its own, see overlay.ts).
 *
 * Only writers pay: reads (`ns.neigh`, `ns.fdb.bridge.get(…)`) stay plain property accesses.
 */
import type { FdbEntry, FdbTable, Link, VxlanFdbEntry } from './link/types.js';
import type { NeighEntry, Netns } from './netns.js';
import type { SocketTable } from './socket.js';

type Writable = { -readonly [K in keyof Netns]: Netns[K] };

/** Each fork and the namespace it was forked from. */
const origins = new WeakMap<Netns, Netns>();

/** Records that `fork` shares its parts with `base` until it writes them. */
export function recordFork(fork: Netns, base: Netns): void {
  origins.set(fork, base);
}

/** `ns.neigh`, the fork's own copy first if it is still the base's. */
export function ownNeigh(ns: Netns): NeighEntry[] {
  const b = origins.get(ns);
  if (b !== undefined && ns.neigh === b.neigh) (ns as Writable).neigh = [...ns.neigh];
  return ns.neigh;
}

/** `ns.sockets`, the fork's own copy first if it is still the base's. */
export function ownSockets(ns: Netns): SocketTable {
  const b = origins.get(ns);
  if (b !== undefined && ns.sockets === b.sockets) (ns as Writable).sockets = { modelled: ns.sockets.modelled, list: [...ns.sockets.list] };
  return ns.sockets;
}

/**
 * `ns.links`, the fork's own copy first if it is still the base's (for link-index.ts `putLink`
 * and `dropLink`, its only writers; the device records themselves are values, never written).
 */
export function ownLinks(ns: Netns): Record<string, Link> {
  const b = origins.get(ns);
  if (b !== undefined && ns.links === b.links) {
    // One pass, no entry arrays: a segment namespace has a device per node.
    const copy: Record<string, Link> = {};
    for (const name in ns.links) copy[name] = ns.links[name] as Link;
    (ns as Writable).links = copy;
  }
  return ns.links;
}

/** `ns.fdb` with maps of its own (the entry lists may still be the base's: see {@link ownFdbList}). */
export function ownFdb(ns: Netns): FdbTable {
  const b = origins.get(ns);
  if (b !== undefined && ns.fdb === b.fdb) (ns as Writable).fdb = { bridge: new Map(ns.fdb.bridge), vxlan: new Map(ns.fdb.vxlan) };
  return ns.fdb;
}

/** The entry list of one bridge (`kind` 'bridge') or VXLAN device, created if absent, the fork's own. */
export function ownFdbList(ns: Netns, kind: 'bridge', dev: string): FdbEntry[];
export function ownFdbList(ns: Netns, kind: 'vxlan', dev: string): VxlanFdbEntry[];
export function ownFdbList(ns: Netns, kind: 'bridge' | 'vxlan', dev: string): FdbEntry[] | VxlanFdbEntry[] {
  const map = ownFdb(ns)[kind] as Map<string, (FdbEntry | VxlanFdbEntry)[]>;
  let list = map.get(dev);
  const b = origins.get(ns);
  if (list === undefined) map.set(dev, (list = []));
  else if (b !== undefined && list === b.fdb[kind].get(dev)) map.set(dev, (list = [...list]));
  return list as FdbEntry[] | VxlanFdbEntry[];
}
