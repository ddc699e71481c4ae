/**
 * Prefixes (`10.244.0.0/16`, `fd00::/64`) as plain values. A Cidr keeps the address it was
 * written with (`10.244.1.1/24` on an interface) and exposes the network part separately,
 * because `ip addr` needs the former and routing the latter.
 */
import { type Family, type Ip, familyBits, formatIp, ipFromValue, parseIp } from './ip.js';

/** An address with a prefix length. `addr` may have host bits set (interface addresses do). */
export interface Cidr {
  readonly addr: Ip;
  readonly prefix: number;
}

/** The mask of a prefix length as an integer. */
export function prefixMask(family: Family, prefix: number): bigint {
  // Read from a table for the valid lengths: every route, address and rule match asks.
  const known = (family === 4 ? MASKS_V4 : MASKS_V6)[prefix];
  return known ?? computeMask(family, prefix);
}

/** The mask as a formula (prefixMask's table is filled from it). */
function computeMask(family: Family, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  if (prefix <= 0) return 0n;
  return ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
}

const MASKS_V4: readonly bigint[] = Array.from({ length: 33 }, (_, p) => computeMask(4, p));
const MASKS_V6: readonly bigint[] = Array.from({ length: 129 }, (_, p) => computeMask(6, p));

/**
 * Parses `ADDR/LEN`, or a bare address as a host prefix (/32 or /128), as iptables and ip accept.
 * A dotted mask (`10.0.0.0/255.255.0.0`) is accepted, as iptables accepts it.
 */
export function parseCidr(text: string): Cidr | undefined {
  const [addrText, lenText, ...rest] = text.trim().split('/');
  if (addrText === undefined || rest.length > 0) return undefined;
  const addr = parseIp(addrText);
  if (addr === undefined) return undefined;
  const bits = familyBits(addr.family);
  if (lenText === undefined) return { addr, prefix: bits };
  if (/^[0-9]{1,3}$/.test(lenText)) {
    const prefix = Number.parseInt(lenText, 10);
    return prefix <= bits ? { addr, prefix } : undefined;
  }
  const mask = parseIp(lenText);
  if (mask === undefined || mask.family !== addr.family) return undefined;
  const prefix = maskToPrefix(addr.family, mask.value);
  return prefix === undefined ? undefined : { addr, prefix };
}

/** Parses a prefix that the caller knows is valid (builders, tests, constants). */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === undefined) throw new Error(`not a CIDR: ${text}`);
  return parsed;
}

/** Prefix length of a contiguous mask, or undefined when the mask has holes. */
export function maskToPrefix(family: Family, mask: bigint): number | undefined {
  const bits = familyBits(family);
  for (let p = 0; p <= bits; p++) if (prefixMask(family, p) === mask) return p;
  return undefined;
}

/** The network address of a prefix (host bits cleared). */
export function networkOf(c: Cidr): Ip {
  return ipFromValue(c.addr.family, c.addr.value & prefixMask(c.addr.family, c.prefix));
}

/** The same prefix with host bits cleared (`10.244.1.7/24` → `10.244.1.0/24`). */
export function canonicalCidr(c: Cidr): Cidr {
  return { addr: networkOf(c), prefix: c.prefix };
}

/** The last address of the prefix (IPv4 broadcast). */
export function lastAddress(c: Cidr): Ip {
  const hostMask = prefixMask(c.addr.family, c.prefix) ^ ((1n << BigInt(familyBits(c.addr.family))) - 1n);
  return ipFromValue(c.addr.family, networkOf(c).value | hostMask);
}

/** True when the address lies inside the prefix (same family). */
export function cidrContains(c: Cidr, a: Ip): boolean {
  if (c.addr.family !== a.family) return false;
  const m = prefixMask(a.family, c.prefix);
  return (a.value & m) === (c.addr.value & m);
}

/** True when two prefixes share at least one address. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  if (a.addr.family !== b.addr.family) return false;
  const shorter = a.prefix <= b.prefix ? a : b;
  const longer = shorter === a ? b : a;
  return cidrContains(shorter, longer.addr);
}

/** Formats as `ADDR/LEN`, keeping host bits (`ip addr` style). */
export function formatCidr(c: Cidr): string {
  return `${formatIp(c.addr)}/${c.prefix}`;
}

/** Formats a route destination: the network, and no `/LEN` for a host route (`ip route` style). */
export function formatRouteDst(c: Cidr): string {
  const net = networkOf(c);
  return c.prefix === familyBits(c.addr.family) ? formatIp(net) : `${formatIp(net)}/${c.prefix}`;
}

/** Number of addresses in the prefix. */
export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(familyBits(c.addr.family) - c.prefix);
}
