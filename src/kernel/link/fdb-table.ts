/**
 * The namespace's FDB table (`ns.fdb`): the stored entries of its bridges and VXLAN devices by
 * device name, read here and kept in step with the devices (a port leaving, a device going or
 * moving). Writes go through cow.ts, so a trace's fork copies only the lists it changes.
 * The verbs (`bridge fdb add/del/append`, learning) are in fdb.ts.
 */
import { ownFdb } from '../cow.js';
import type { Netns } from '../netns.js';
import type { Bridge, FdbEntry, Vxlan, VxlanFdbEntry } from './types.js';

const NONE: readonly never[] = Object.freeze([]);

/** The static and learned entries of `bridge`, in insertion order (`Bridge.fdb` before they moved to `ns.fdb`). */
export function bridgeFdb(ns: Netns, bridge: Bridge): readonly FdbEntry[] {
  return ns.fdb.bridge.get(bridge.name) ?? NONE;
}

/** The remote entries of a VXLAN device, in insertion order (`bridge fdb show dev VXLAN`). */
export function vxlanFdb(ns: Netns, link: Vxlan): readonly VxlanFdbEntry[] {
  return ns.fdb.vxlan.get(link.name) ?? NONE;
}

/** Replaces a bridge's stored entries (none: the bridge leaves the table). */
export function setBridgeFdb(ns: Netns, bridge: string, entries: FdbEntry[]): void {
  const now = ns.fdb.bridge.get(bridge);
  if (now === undefined || entries.length === now.length) return;
  if (entries.length === 0) ownFdb(ns).bridge.delete(bridge);
  else ownFdb(ns).bridge.set(bridge, entries);
}

/** The port `dev` left its bridge or went: every bridge forgets the entries behind it (br_fdb_delete_by_port). */
export function forgetFdbPort(ns: Netns, dev: string): void {
  for (const [bridge, entries] of ns.fdb.bridge) {
    if (entries.some((e) => e.dev === dev)) setBridgeFdb(ns, bridge, entries.filter((e) => e.dev !== dev));
  }
}

/** The device `dev` went: its own entries go with it; returned, for a device that moves to another namespace. */
export function takeDeviceFdb(ns: Netns, dev: string): { bridge?: FdbEntry[]; vxlan?: VxlanFdbEntry[] } {
  const bridge = ns.fdb.bridge.get(dev);
  const vxlan = ns.fdb.vxlan.get(dev);
  if (bridge !== undefined) ownFdb(ns).bridge.delete(dev);
  if (vxlan !== undefined) ownFdb(ns).vxlan.delete(dev);
  return { ...(bridge !== undefined ? { bridge } : {}), ...(vxlan !== undefined ? { vxlan } : {}) };
}

/** Gives `dev` (moved in from another namespace) the entries it had there. */
export function putDeviceFdb(ns: Netns, dev: string, taken: { bridge?: FdbEntry[]; vxlan?: VxlanFdbEntry[] }): void {
  if (taken.bridge !== undefined) ownFdb(ns).bridge.set(dev, [...taken.bridge]);
  if (taken.vxlan !== undefined) ownFdb(ns).vxlan.set(dev, [...taken.vxlan]);
}
