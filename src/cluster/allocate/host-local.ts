/**
 * A pure model of the CNI `host-local` IPAM plugin's allocator over one range.
 *
 * host-local hands out addresses round-robin: it starts after the last address it reserved
 * (`lastReserved`, kept on disk per range in `/var/lib/cni/networks/<net>/last_reserved_ip.0`),
 * skips addresses in use and the gateway, wraps at the end of the range, and only fails when
 * every address is taken. A fresh range starts at `rangeStart`, which defaults to the subnet's
 * first address after the network address; that is the gateway (`.1`), so the first pod gets
 * `.2`. Source: containernetworking/plugins, plugins/ipam/host-local/backend/allocator.
 *
 * The state is a value: every call returns a new state, so the CNI plugin can thread it
 * through a build and tests can replay it.
 */
import { type Cidr, type Ip, ipFromValue, lastAddress, networkOf } from '../../addr/index.js';

/** The addresses a host-local range may hand out (inclusive bounds) and its gateway. */
export interface HostLocalRange {
  readonly subnet: Cidr;
  readonly rangeStart: Ip;
  readonly rangeEnd: Ip;
  readonly gateway?: Ip;
}

/** Allocator state: addresses in use (as integers) and the last one handed out. */
export interface HostLocalState {
  readonly inUse: ReadonlySet<bigint>;
  readonly lastReserved?: Ip;
}

/** The empty state of a range nothing has been allocated from. */
export const EMPTY_HOST_LOCAL_STATE: HostLocalState = { inUse: new Set() };

/**
 * host-local's defaults for a subnet: from the first address after the network address to
 * the last before the broadcast address (IPv4) or the last address (IPv6); gateway `.1`.
 */
export function hostLocalRange(subnet: Cidr, opts: { readonly gateway?: boolean } = {}): HostLocalRange {
  const net = networkOf(subnet);
  const last = lastAddress(subnet);
  const end = subnet.addr.family === 4 ? ipFromValue(4, last.value - 1n) : last;
  const first = ipFromValue(net.family, net.value + 1n);
  const base = { subnet, rangeStart: first, rangeEnd: end };
  return opts.gateway === false ? base : { ...base, gateway: first };
}

/** True when `ip` is one the range can hand out (inside the bounds, not the gateway). */
export function inHostLocalRange(range: HostLocalRange, ip: Ip): boolean {
  if (ip.family !== range.rangeStart.family) return false;
  if (ip.value < range.rangeStart.value || ip.value > range.rangeEnd.value) return false;
  return range.gateway === undefined || range.gateway.value !== ip.value;
}

/** Number of addresses the range can hand out. */
export function hostLocalCapacity(range: HostLocalRange): bigint {
  const size = range.rangeEnd.value - range.rangeStart.value + 1n;
  const gw = range.gateway !== undefined && inBounds(range, range.gateway) ? 1n : 0n;
  return size > gw ? size - gw : 0n;
}

/**
 * Hands out the next free address after `lastReserved` (wrapping), or undefined when the
 * range is full.
 */
export function allocateHostLocal(range: HostLocalRange, state: HostLocalState): { readonly ip: Ip; readonly state: HostLocalState } | undefined {
  const ip = nextFreeHostLocal(range, state.inUse, state.lastReserved);
  return ip === undefined ? undefined : { ip, state: { inUse: new Set([...state.inUse, ip.value]), lastReserved: ip } };
}

/**
 * The address {@link allocateHostLocal} would hand out, without building a new state: callers
 * that allocate thousands of addresses keep one set of their own and add to it, where copying
 * the set on every allocation would make the whole quadratic.
 */
export function nextFreeHostLocal(range: HostLocalRange, inUse: ReadonlySet<bigint>, last: Ip | undefined): Ip | undefined {
  const size = range.rangeEnd.value - range.rangeStart.value + 1n;
  if (size <= 0n || BigInt(inUse.size) >= hostLocalCapacity(range)) return undefined;
  const startOffset = last !== undefined && inBounds(range, last) ? last.value - range.rangeStart.value + 1n : 0n;
  // Bounded: the capacity check above guarantees a free address within `size` steps.
  for (let i = 0n; i < size; i++) {
    const value = range.rangeStart.value + ((startOffset + i) % size);
    const ip = ipFromValue(range.rangeStart.family, value);
    if (!inHostLocalRange(range, ip) || inUse.has(value)) continue;
    return ip;
  }
  return undefined;
}

/**
 * Marks a specific address in use (a pod whose IP the scenario fixes). Returns undefined when
 * the address is outside the range or already in use. Unlike a host-local request for a
 * specific IP, this leaves `lastReserved` alone: fixed addresses exist before the build, so the
 * pods the plugin allocates for still start at `.2` and step around them.
 */
export function reserveHostLocal(range: HostLocalRange, state: HostLocalState, ip: Ip): HostLocalState | undefined {
  if (!inHostLocalRange(range, ip) || state.inUse.has(ip.value)) return undefined;
  const inUse = new Set([...state.inUse, ip.value]);
  return state.lastReserved === undefined ? { inUse } : { inUse, lastReserved: state.lastReserved };
}

/** Frees an address (pod deleted); `lastReserved` stays, so it is not reused right away. */
export function releaseHostLocal(state: HostLocalState, ip: Ip): HostLocalState {
  const inUse = new Set(state.inUse);
  inUse.delete(ip.value);
  return state.lastReserved === undefined ? { inUse } : { inUse, lastReserved: state.lastReserved };
}

function inBounds(range: HostLocalRange, ip: Ip): boolean {
  return ip.family === range.rangeStart.family && ip.value >= range.rangeStart.value && ip.value <= range.rangeEnd.value;
}
