/**
 * host-local's allocator (the reference plugin's `IPAllocator`): one per range set. Without a
 * requested address it walks the set starting after `last_reserved_ip.<index>` (or at the
 * first range's start), skips each range's gateway, moves to the next range (wrapping) after a
 * range's end, and gives up when it is back where it started — so addresses are handed out
 * round robin and a freed one is reused only after the whole set has been walked.
 */
import type { Cidr } from '../../addr/cidr.js';
import { type Ip, formatIp, ipAdd, ipEquals } from '../../addr/ip.js';
import { type RangeSet, formatRangeSet, rangeContains } from './config.js';
import { type DiskStore, getById, lastReservedIp, reserve } from './store.js';

/** An address handed out: the address with its range's prefix, and that range's gateway. */
export interface Allocation {
  readonly address: Cidr;
  readonly gateway: Ip;
}

/** An address, or the plugin's error text. */
export type Got = { readonly ok: true; readonly value: Allocation } | { readonly ok: false; readonly msg: string };

/** The candidate addresses of a set in walk order, each with its range index, ending before the start repeats. */
function* walk(set: RangeSet, last: Ip | undefined): Generator<{ ip: Ip; range: number }> {
  const from = last !== undefined ? set.findIndex((r) => rangeContains(r, last)) : -1;
  let idx = from >= 0 ? from : 0;
  let cur: Ip | undefined = from >= 0 ? last : undefined;
  let start: Ip | undefined;
  for (;;) {
    const r = set[idx];
    if (r === undefined) return;
    if (cur === undefined) {
      cur = r.rangeStart;
    } else if (ipEquals(cur, r.rangeEnd)) {
      idx = (idx + 1) % set.length;
      cur = set[idx]?.rangeStart ?? cur;
    } else {
      cur = ipAdd(cur, 1n);
    }
    if (start === undefined) start = cur;
    else if (ipEquals(cur, start)) return;
    const range = set[idx];
    if (range !== undefined && !ipEquals(cur, range.gateway)) yield { ip: cur, range: idx };
  }
}

/** `IPAllocator.Get`: reserves an address of the set for the container's interface. */
export function allocate(store: DiskStore, set: RangeSet, rangeId: number, owner: { id: string; ifName: string }, requested?: Ip): Got {
  if (requested !== undefined) return allocateRequested(store, set, rangeId, owner, requested);
  for (const held of getById(store, owner.id, owner.ifName)) {
    if (set.some((r) => rangeContains(r, held))) return { ok: false, msg: `${formatIp(held)} has been allocated to ${owner.id}, duplicate allocation is not allowed` };
  }
  return allocateNext(store, set, rangeId, owner);
}

/**
 * The walk of `IPAllocator.Get` alone: reserves the next free address after
 * `last_reserved_ip.<rangeId>`, without the check that the container holds none yet (a scan of
 * the whole directory). For callers whose owners are new by construction, such as netsim's
 * pod address plan (cluster/allocate/pod-ips.ts), where that scan would make a node's
 * allocations quadratic.
 */
export function allocateNext(store: DiskStore, set: RangeSet, rangeId: number, owner: { id: string; ifName: string }): Got {
  for (const { ip, range } of walk(set, lastReservedIp(store, rangeId))) {
    const r = set[range];
    if (r !== undefined && reserve(store, owner.id, owner.ifName, ip, rangeId)) return { ok: true, value: { address: { addr: ip, prefix: r.subnet.prefix }, gateway: r.gateway } };
  }
  return { ok: false, msg: `no IP addresses available in range set: ${formatRangeSet(set)}` };
}

function allocateRequested(store: DiskStore, set: RangeSet, rangeId: number, owner: { id: string; ifName: string }, ip: Ip): Got {
  const r = set.find((x) => rangeContains(x, ip));
  if (r === undefined) return { ok: false, msg: `${formatIp(ip)} not in range set ${formatRangeSet(set)}` };
  if (ipEquals(ip, r.gateway)) return { ok: false, msg: `requested ip ${formatIp(ip)} is subnet's gateway` };
  if (!reserve(store, owner.id, owner.ifName, ip, rangeId)) return { ok: false, msg: `requested IP address ${formatIp(ip)} is not available in range set ${formatRangeSet(set)}` };
  return { ok: true, value: { address: { addr: ip, prefix: r.subnet.prefix }, gateway: r.gateway } };
}
