/**
 * Ethernet MAC addresses as lower-case `aa:bb:cc:dd:ee:ff` strings (what `ip link` prints).
 * netsim assigns MACs deterministically from a name, so the same scenario gives the same MACs.
 */
import { type Fnv64State, fnv64Byte, fnv64Offset, fnv64Step, fnv64Text } from '../hash/fnv64.js';

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
  return macOf(h);
}

/**
 * {@link macFromSeed} of `${a}/${b}` (a device's MAC from its namespace and name), hashed part by
 * part: no seed string is made (every veth end gets a MAC; mac-seed.property.test.ts).
 */
export function macFromParts(a: string, b: string): Mac {
  const h = fnv64Offset();
  fnv64Text(h, a);
  fnv64Step(h, 0x2f); // '/'
  fnv64Text(h, b);
  return macOf(h);
}

/** The MAC of a hashed seed, its 17 characters written as codes and made one string. */
function macOf(h: Fnv64State): Mac {
  for (let i = 0; i < 6; i++) {
    const b = i === 0 ? (fnv64Byte(h, 0) & 0xfe) | 0x02 : fnv64Byte(h, i);
    MAC_CODES[3 * i] = HEX_CODE[b >>> 4] as number;
    MAC_CODES[3 * i + 1] = HEX_CODE[b & 0xf] as number;
  }
  return String.fromCharCode.apply(null, MAC_CODES) as Mac;
}

/** The character codes of the lowercase hex digits. */
const HEX_CODE = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** A MAC's 17 character codes, the colons in place (reused: read into a string at once). */
const MAC_CODES: number[] = Array.from('00:00:00:00:00:00', (c) => c.charCodeAt(0));
