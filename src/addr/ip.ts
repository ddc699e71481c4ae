/**
 * IP addresses of both families as plain values (`{ family, value }`), so model state stays
 * structured-cloneable and comparable. Parsing and validation go through ip-num; formatting
 * follows RFC 5952 for IPv6 (what `ip addr` and `iptables-save` print), which ip-num does not.
 */
// ip-num's own modules, not its index: the index loads IPNumber.js and IPRange.js, whose
// class constants (some thirty ranges parsed bit by bit) cost tens of milliseconds of CPU at
// every start of the CLI. These three are what IPv6.fromString runs, without those constants.
import { hexadectetNotationToBinaryString } from 'ip-num/dist/src/HexadecimalUtils.js';
import { expandIPv6Number } from 'ip-num/dist/src/IPv6Utils.js';
import { Validator } from 'ip-num/dist/src/Validator.js';

/** Address family: 4 or 6. */
export type Family = 4 | 6;

/** An IPv4 or IPv6 address. `value` is the address as an unsigned integer. */
export interface Ip {
  readonly family: Family;
  readonly value: bigint;
}

/** Number of bits in an address of the family. */
export function familyBits(family: Family): 32 | 128 {
  return family === 4 ? 32 : 128;
}

/** The largest values, made once: a BigInt shift and subtraction on every ipAdd was a third of planning 22,000 pod addresses. */
const MAX_V4 = (1n << 32n) - 1n;
const MAX_V6 = (1n << 128n) - 1n;

/** Largest address value of the family. */
export function familyMax(family: Family): bigint {
  return family === 4 ? MAX_V4 : MAX_V6;
}

/**
 * Parses an address in dotted-quad or IPv6 text form (including `::ffff:1.2.3.4`).
 * Returns undefined for anything else. Leading zeros in IPv4 octets are accepted and read as
 * decimal, as Go's lenient parser in kube-proxy does (`172.30.0.041` → `172.30.0.41`).
 */
export function parseIp(text: string): Ip | undefined {
  const s = text.trim();
  if (s.includes(':')) {
    const zoneFree = s.split('%')[0] ?? '';
    if (!Validator.isValidIPv6String(zoneFree)[0]) return undefined;
    try {
      // IPv6.fromString: expand `::` and a dotted IPv4 tail to eight groups, then read the bits.
      const expanded = expandIPv6Number(zoneFree);
      if (!Validator.isValidIPv6String(expanded)[0]) return undefined;
      return { family: 6, value: BigInt(`0b${hexadectetNotationToBinaryString(expanded)}`) };
    } catch {
      return undefined;
    }
  }
  // IPv4 is parsed by hand: it is on every hot path (rules, endpoints, routes), and the
  // grammar is small enough that ip-num's general validator would only cost time.
  // Four dot-separated runs of 1–3 decimal digits, each at most 255, read code by code.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (c - 0x30);
    } else if (c === 0x2e && digits > 0 && octet <= 255 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return undefined;
  return { family: 4, value: BigInt(value * 256 + octet) };
}

/** Parses an address that the caller knows is valid (builders, tests, constants). */
export function ip(text: string): Ip {
  const parsed = parseIp(text);
  if (parsed === undefined) throw new Error(`not an IP address: ${text}`);
  return parsed;
}

/** Builds an address from its integer value. */
export function ipFromValue(family: Family, value: bigint): Ip {
  return { family, value: value & familyMax(family) };
}

/** Texts of addresses formatted so far, by family (a v4 value as a number): a trace prints the same few dozen addresses hundreds of times. */
const V4_TEXTS = new Map<number, string>();
const V6_TEXTS = new Map<bigint, string>();
/** Past this many addresses a family's texts start again (a bound on memory). */
const MAX_TEXTS = 1 << 16;

/**
 * Formats an address the way iproute2 and iptables print it (RFC 5952 for IPv6): {@link formatIpText},
 * remembered (a warm trace formatted about a hundred addresses, a sixth of what it allocated).
 */
export function formatIp(addr: Ip): string {
  if (addr.family === 4) {
    const v = Number(addr.value & 0xffffffffn);
    let text = V4_TEXTS.get(v);
    if (text === undefined) {
      if (V4_TEXTS.size >= MAX_TEXTS) V4_TEXTS.clear();
      V4_TEXTS.set(v, (text = formatIpText(addr)));
    }
    return text;
  }
  let text = V6_TEXTS.get(addr.value);
  if (text === undefined) {
    if (V6_TEXTS.size >= MAX_TEXTS) V6_TEXTS.clear();
    V6_TEXTS.set(addr.value, (text = formatIpText(addr)));
  }
  return text;
}

/** {@link formatIp} computed each time. */
export function formatIpText(addr: Ip): string {
  if (addr.family === 4) {
    // On a number, not four bigint shifts: every NAT target and printed rule comes through here.
    const v = Number(addr.value & 0xffffffffn);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((addr.value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups, leftmost on a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (six leading zero groups, ::a.b.c.d)
  // addresses keep the dotted tail, as the kernel's and glibc's inet_ntop print them.
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff))) {
    const v4 = formatIp({ family: 4, value: addr.value & 0xffffffffn });
    return bestLen === 5 ? `::ffff:${v4}` : `::${v4}`;
  }
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Equality of two addresses (family and value). */
export function ipEquals(a: Ip, b: Ip): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Total order: IPv4 before IPv6, then by value. */
export function ipCompare(a: Ip, b: Ip): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** The address `n` after `a` (negative n goes back); wraps within the family. */
export function ipAdd(a: Ip, n: bigint): Ip {
  return ipFromValue(a.family, a.value + n);
}
