/**
 * Ethernet MAC addresses as lower-case `aa:bb:cc:dd:ee:ff` strings (what `ip link` prints).
 * netsim assigns MACs deterministically from a name, so the same scenario gives the same MACs.
 */

/** A MAC address in canonical lower-case colon form. */
export type Mac = string & { readonly __mac: unique symbol };

/** The broadcast MAC. */
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff' as Mac;

/** Parses `aa:bb:cc:dd:ee:ff` (any case, `-` or `:`); undefined when malformed. */
export function parseMac(text: string): Mac | undefined {
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
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < seed.length; i++) {
    h ^= BigInt(seed.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const bytes: number[] = [];
  for (let i = 0; i < 6; i++) bytes.push(Number((h >> BigInt(i * 8)) & 0xffn));
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':') as Mac;
}
