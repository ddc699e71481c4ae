/**
 * The kernel's choice of an address inside a NAT range (`find_best_ips_proto()` in
 * net/netfilter/nf_nat_core.c), with Bob Jenkins' lookup3 `jhash2()` (include/linux/jhash.h):
 * the source address is hashed with the destination as seed, so a client always gets the same
 * address of the range. Reproduced bit for bit: 22 IPv4 and 14 IPv6 (client, VIP) pairs take the
 * DNAT address Linux 6.18 chose in a namespace (jhash.test.ts). Words are read as a
 * little-endian machine reads the network-order address (x86, arm64).
 */
import type { Ip } from '../../../addr/ip.js';
import { ipFromValue } from '../../../addr/ip.js';

const rol = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** `__jhash_mix` on three words. */
function mix(v: [number, number, number]): void {
  let [a, b, c] = v;
  a = ((a - c) ^ rol(c, 4)) >>> 0; c = (c + b) >>> 0;
  b = ((b - a) ^ rol(a, 6)) >>> 0; a = (a + c) >>> 0;
  c = ((c - b) ^ rol(b, 8)) >>> 0; b = (b + a) >>> 0;
  a = ((a - c) ^ rol(c, 16)) >>> 0; c = (c + b) >>> 0;
  b = ((b - a) ^ rol(a, 19)) >>> 0; a = (a + c) >>> 0;
  c = ((c - b) ^ rol(b, 4)) >>> 0; b = (b + a) >>> 0;
  v[0] = a; v[1] = b; v[2] = c;
}

/** `__jhash_final`. */
function final(v: [number, number, number]): void {
  let [a, b, c] = v;
  c = ((c ^ b) - rol(b, 14)) >>> 0;
  a = ((a ^ c) - rol(c, 11)) >>> 0;
  b = ((b ^ a) - rol(a, 25)) >>> 0;
  c = ((c ^ b) - rol(b, 16)) >>> 0;
  a = ((a ^ c) - rol(c, 4)) >>> 0;
  b = ((b ^ a) - rol(a, 14)) >>> 0;
  c = ((c ^ b) - rol(b, 24)) >>> 0;
  v[0] = a; v[1] = b; v[2] = c;
}

/** `jhash2(k, length, initval)` over 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  const init = (0xdeadbeef + (k.length << 2) + initval) >>> 0;
  const v: [number, number, number] = [init, init, init];
  let i = 0;
  for (; k.length - i > 3; i += 3) {
    v[0] = (v[0] + (k[i] ?? 0)) >>> 0;
    v[1] = (v[1] + (k[i + 1] ?? 0)) >>> 0;
    v[2] = (v[2] + (k[i + 2] ?? 0)) >>> 0;
    mix(v);
  }
  const left = k.length - i;
  if (left === 0) return v[2];
  if (left >= 3) v[2] = (v[2] + (k[i + 2] ?? 0)) >>> 0;
  if (left >= 2) v[1] = (v[1] + (k[i + 1] ?? 0)) >>> 0;
  v[0] = (v[0] + (k[i] ?? 0)) >>> 0;
  final(v);
  return v[2];
}

const bswap = (x: number): number => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;

/** The address as `union nf_inet_addr` words (network order, numerically), four words for both families. */
function words(a: Ip): number[] {
  if (a.family === 4) return [Number(a.value), 0, 0, 0];
  return [96n, 64n, 32n, 0n].map((s) => Number((a.value >> s) & 0xffffffffn));
}

/** `reciprocal_scale(val, ep_ro)`: val scaled into [0, ep_ro). */
function scale(val: number, range: number): number {
  return Number((BigInt(val) * BigInt(range)) >> 32n);
}

/**
 * The address `find_best_ips_proto` picks in [min, max] for a connection `src → dst`. For DNAT
 * the kernel writes each chosen word into the tuple's destination before mixing that word into
 * the hash for the next one (`var_ipp` aliases `tuple->dst`), which only matters for IPv6.
 */
export function bestAddress(src: Ip, dst: Ip, min: Ip, max: Ip, opts: { readonly persistent: boolean; readonly manip: 'src' | 'dst' }): Ip {
  const persistent = opts.persistent;
  if (min.value === max.value) return min;
  const last = src.family === 4 ? 0 : 3;
  const d = words(dst);
  let j = jhash2(words(src).map(bswap), persistent ? 0 : bswap(d[last] ?? 0));
  const lo = words(min);
  const hi = words(max);
  const out: number[] = [];
  let full = false;
  for (let i = 0; i <= last; i++) {
    const minip = full ? 0 : (lo[i] ?? 0);
    const dist = full ? 0xffffffff : ((hi[i] ?? 0) - minip + 1) >>> 0;
    const w = (minip + scale(j, dist)) >>> 0;
    out.push(w);
    if (w !== hi[i]) full = true;
    if (!persistent) j = (j ^ bswap(opts.manip === 'dst' ? w : (d[i] ?? 0))) >>> 0;
  }
  const value = out.reduce((acc, w) => (acc << 32n) | BigInt(w), 0n);
  return ipFromValue(src.family, value);
}
