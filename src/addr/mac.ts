/**
 * Ethernet MAC addresses as lower-case `aa:bb:cc:dd:ee:ff` strings (what `ip link` prints).
 * netsim assigns MACs deterministically from a name, so the same scenario gives the same MACs.
 */
import { fnv64Byte, fnv64Offset, fnv64Text } from '../hash/fnv64.js';

/** A MAC address in canonical lower-case colon form. */
export type Mac = string & { readonly __mac: unique symbol };

/** The broadcast MAC. */
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff' as Mac;

const CANONICAL = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** Parses `aa:bb:cc:dd:ee:ff` (any case, `-` or `:`); undefined when malformed. */
export function parseMac(text: string): Mac | undefined {
  // Already canonical (what every device's MAC is): itself.
  if (CANONICAL.test(text)) return text as Mac;
  const parts = text.trim().toLowerCase().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.padStart(2, '0')).join(':') as Mac;
}

/**
 * A locally administered unicast MAC derived from a seed string (FNV-1a), as the kernel would
 * give a random one: deterministic for the same seed. The first octet has the
 * locally-administered bit set and the multicast bit clear, like `eth_random_addr()`.
 */
export function macFromSeed(seed: string): Mac {
  const h = fnv64Offset();
  fnv64Text(h, seed);
  // Bytes 0…5, least significant first; the first octet locally administered and unicast.
  // The digits from a table (every veth end gets one: strings per byte were most of its cost).
  const b0 = HEX2[(fnv64Byte(h, 0) & 0xfe) | 0x02] as string;
  return `${b0}:${HEX2[fnv64Byte(h, 1)]}:${HEX2[fnv64Byte(h, 2)]}:${HEX2[fnv64Byte(h, 3)]}:${HEX2[fnv64Byte(h, 4)]}:${HEX2[fnv64Byte(h, 5)]}` as Mac;
}

/** Each byte's two lower-case hex digits. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
