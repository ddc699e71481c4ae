/**
 * host-local's ADD for the shape every pod of a node's first read has (cluster/assemble/
 * lazy-pods.ts): one IPv4 range set, one requested IPv4 address, a store that defers its
 * reservations (store.ts `deferReservations`). The plugin's checks (plugin.ts `allocateAll` →
 * allocator.ts `allocateRequested` → store.ts `Reserve`) on numbers made once per node rather
 * than bigints masked per pod, and the reservation noted (store.ts `noteReserve`) rather than
 * written. Anything else — another shape, an address outside the set, the gateway, an address
 * taken, a store that does not defer — gives undefined with nothing done, and the caller runs
 * `allocateAll`, which says why. requested-v4.property.test.ts compares the two.
 */
import type { Ip } from '../../addr/ip.js';
import type { Allocation } from './allocator.js';
import type { IpRange, RangeSet } from './config.js';
import { noteReserve } from './store.js';

/** A range of an IPv4 set as unsigned 32-bit numbers. */
interface V4Range {
  readonly range: IpRange;
  /** The subnet's network address and mask (`cidrContains`). */
  readonly net: number;
  readonly mask: number;
  readonly start: number;
  readonly end: number;
  /** The gateway's value, or -1 when it is no IPv4 address (then no address equals it). */
  readonly gateway: number;
}

/** A config's ranges made numbers, where the config is one range set of IPv4 ranges only. */
export type V4RangeSet = readonly V4Range[];

/** The numbers of `ranges`, or undefined unless it is one range set, every range IPv4. */
export function v4RangeSet(ranges: readonly RangeSet[]): V4RangeSet | undefined {
  const set = ranges.length === 1 ? ranges[0] : undefined;
  if (set === undefined || set.length === 0) return undefined;
  const out: V4Range[] = [];
  for (const range of set) {
    const { subnet, rangeStart, rangeEnd, gateway } = range;
    if (subnet.addr.family !== 4 || rangeStart.family !== 4 || rangeEnd.family !== 4) return undefined;
    const mask = subnet.prefix === 0 ? 0 : (0xffffffff << (32 - subnet.prefix)) >>> 0;
    const net = (Number(subnet.addr.value) & mask) >>> 0;
    out.push({ range, net, mask, start: Number(rangeStart.value), end: Number(rangeEnd.value), gateway: gateway.family === 4 ? Number(gateway.value) : -1 });
  }
  return out;
}

/**
 * host-local ADD of `requested` (one IPv4 address) from `set`, noted in the store's directory
 * `DATADIR/NETWORK`: the allocation `allocateAll` gives, or undefined where it is not sure to
 * give one (see the module comment).
 */
export function allocateRequestedV4(files: Record<string, string>, dir: { readonly dataDir: string; readonly name: string }, set: V4RangeSet, requested: readonly Ip[], owner: { readonly containerId: string; readonly ifName: string }): Allocation[] | undefined {
  const ip = requested.length === 1 ? requested[0] : undefined;
  if (ip === undefined || ip.family !== 4) return undefined;
  const v = Number(ip.value);
  // `RangeSet.RangeFor`: the first range holding the address (`rangeContains`).
  let r: V4Range | undefined;
  for (let i = 0; r === undefined && i < set.length; i++) {
    const x = set[i] as V4Range;
    if (((v & x.mask) >>> 0) === x.net && v >= x.start && v <= x.end) r = x;
  }
  if (r === undefined || v === r.gateway) return undefined;
  if (!noteReserve(files, dir.dataDir, dir.name, { id: owner.containerId, ifName: owner.ifName, ip, rangeId: 0 })) return undefined;
  return [{ address: { addr: ip, prefix: r.range.subnet.prefix }, gateway: r.range.gateway }];
}
