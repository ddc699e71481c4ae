/**
 * 64-bit FNV-1a over UTF-16 code units, the hash netsim derives MACs and container IDs from
 * (addr/mac.ts `macFromSeed`; cluster/assemble/container-id.ts `containerIdOf`, which steps two
 * 32-bit halves of its own where it can). The state is four 16-bit limbs in plain numbers, not a
 * bigint: a pod's sandbox hashes a few hundred characters, and bigint multiplication allocated on
 * every one of them. The answers are those of the bigint loop
 * `h = ((h ^ BigInt(code)) * 0x100000001b3n) & (2n ** 64n - 1n)` (fnv64.test.ts).
 */

/** The 64-bit state, least significant limb first. */
export type Fnv64State = [number, number, number, number];

/** The offset basis 0xcbf29ce484222325. */
export function fnv64Offset(): Fnv64State {
  return [0x2325, 0x8422, 0x9ce4, 0xcbf2];
}

/**
 * Folds one UTF-16 code unit (0…0xffff) into `h`, in place: xor, then multiply by the prime
 * 0x100000001b3 = 2^40 + 0x1b3 modulo 2^64 (every partial product stays below 2^53).
 */
export function fnv64Step(h: Fnv64State, code: number): void {
  const h0 = h[0] ^ code;
  const h1 = h[1];
  // Each partial sum is below 0xffff * 0x1b3 + 3 * 0x10000 < 2^31, so `>>> 16` is the floor of
  // the division by 2^16, without a float division and a Math.floor per limb.
  const t0 = h0 * 0x1b3;
  const t1 = h1 * 0x1b3 + (t0 >>> 16);
  const t2 = h[2] * 0x1b3 + (t1 >>> 16) + ((h0 << 8) & 0xffff);
  const t3 = h[3] * 0x1b3 + (t2 >>> 16) + (h0 >>> 8) + ((h1 & 0xff) << 8);
  h[0] = t0 & 0xffff;
  h[1] = t1 & 0xffff;
  h[2] = t2 & 0xffff;
  h[3] = t3 & 0xffff;
}

/** Folds every UTF-16 code unit of `text` into `h`, in place. */
export function fnv64Text(h: Fnv64State, text: string): void {
  for (let i = 0; i < text.length; i++) fnv64Step(h, text.charCodeAt(i));
}

/** Byte `i` (0 = least significant) of the state. */
export function fnv64Byte(h: Fnv64State, i: number): number {
  const limb = h[i >> 1] ?? 0;
  return i & 1 ? limb >>> 8 : limb & 0xff;
}

/** The state as 16 lowercase hex digits (`h.toString(16).padStart(16, '0')`). */
export function fnv64Hex(h: Fnv64State): string {
  return hex4(h[3]) + hex4(h[2]) + hex4(h[1]) + hex4(h[0]);
}

function hex4(limb: number): string {
  return (HEX2[limb >>> 8] as string) + (HEX2[limb & 0xff] as string);
}

/** Two lowercase hex digits per byte (a container ID is sixteen limbs, a MAC six bytes). */
const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
