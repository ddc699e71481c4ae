/**
 * Value parsers shared by the extensions: unsigned numbers as strtoul reads them, marks and
 * masks printed in hex, ports and port ranges (with a few service names), protocol names.
 * Each returns undefined for bad input; the caller turns that into a diagnostic.
 */
import { type Cidr, type Ip, canonicalCidr, formatIp, parseCidr } from '../../../addr/index.js';

/** Parses an unsigned integer the way strtoul(…, 0) does: decimal, `0x` hex or leading-0 octal. */
export function parseUint(text: string, max = 0xffffffff): number | undefined {
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = Number.parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) value = Number.parseInt(text.slice(1), 8);
  else if (/^[0-9]+$/.test(text)) value = Number.parseInt(text, 10);
  else return undefined;
  return value <= max ? value : undefined;
}

/** `0x4000`: how iptables prints marks and masks. */
export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** A `VALUE[/MASK]` pair; the mask defaults to all ones. */
export interface ValueMask {
  readonly value: number;
  readonly mask: number;
}

/** Parses `VALUE[/MASK]` (marks). */
export function parseValueMask(text: string): ValueMask | undefined {
  const [v, m, ...rest] = text.split('/');
  if (v === undefined || rest.length > 0) return undefined;
  const value = parseUint(v);
  const mask = m === undefined ? 0xffffffff : parseUint(m);
  return value === undefined || mask === undefined ? undefined : { value, mask };
}

/** Prints `0xV` or `0xV/0xM`, leaving out an all-ones mask (libxt_mark's print). */
export function formatValueMask(vm: ValueMask): string {
  return vm.mask === 0xffffffff ? hex(vm.value) : `${hex(vm.value)}/${hex(vm.mask)}`;
}

// getservbyname(3) reads /etc/services; netsim knows only the names Kubernetes nodes commonly use.
const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, http: 80, ntp: 123,
  bgp: 179, https: 443, syslog: 514, ldap: 389, ldaps: 636, imap: 143, pop3: 110, snmp: 161,
  'http-alt': 8080, mysql: 3306, postgresql: 5432, 'kubernetes-api': 6443,
};

/** Parses one port: a number 0–65535 or a known service name. */
export function parsePort(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const n = Number.parseInt(text, 10);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES[text.toLowerCase()];
}

/** An inclusive port range. */
export interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

/** Parses `P`, `A:B`, `A:` (to 65535) or `:B` (from 0), as the tcp and udp matches accept them. */
export function parsePortRange(text: string): PortRange | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = parsePort(text);
    return p === undefined ? undefined : { lo: p, hi: p };
  }
  const loText = text.slice(0, colon);
  const hiText = text.slice(colon + 1);
  const lo = loText === '' ? 0 : parsePort(loText);
  const hi = hiText === '' ? 65535 : parsePort(hiText);
  return lo === undefined || hi === undefined ? undefined : { lo, hi };
}

/** `80` or `1000:2000`, as tcp/udp print a range. */
export function formatPortRange(r: PortRange): string {
  return r.lo === r.hi ? `${r.lo}` : `${r.lo}:${r.hi}`;
}

/**
 * {@link parseCidr} with a fast path for the common `a.b.c.d[/len]`: dumps hold one address per
 * rule, and the general parser (ip-num's validators) costs tens of microseconds a call. The fast
 * path reads the characters itself (no regex, no split): a 700,000-line dump comes through here.
 */
export function parseCidrFast(text: string): Cidr | undefined {
  const n = text.length;
  let value = 0;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    const start = i;
    let octet = 0;
    while (i < n && i - start < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const sep = i < n ? text.charCodeAt(i) : -1;
    // One to three digits, then a dot (after the first three octets), or the end or a slash.
    if (i === start || (part < 3 ? sep !== 46 : sep !== -1 && sep !== 47)) return parseCidr(text);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
    if (part < 3) i++;
  }
  let prefix = 32;
  if (i < n) {
    // `/` then one or two digits.
    const len = n - i - 1;
    if (len < 1 || len > 2) return parseCidr(text);
    prefix = 0;
    for (let k = i + 1; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) return parseCidr(text);
      prefix = prefix * 10 + (c - 48);
    }
    if (prefix > 32) return undefined;
  }
  return { addr: { family: 4, value: BigInt(value) }, prefix };
}

/**
 * {@link parseCidrFast}, host bits cleared ({@link canonicalCidr}), computed on numbers for IPv4
 * rather than through bigint masks.
 */
export function parseNetFast(text: string): Cidr | undefined {
  const c = parseCidrFast(text);
  if (c === undefined || c.addr.family !== 4) return c === undefined ? undefined : canonicalCidr(c);
  if (c.prefix === 32) return c;
  const v = Number(c.addr.value);
  const net = c.prefix === 0 ? 0 : (v - (v % 2 ** (32 - c.prefix)));
  return net === v ? c : { addr: { family: 4, value: BigInt(net) }, prefix: c.prefix };
}

/** {@link parseIp} with the same fast path. */
export function parseIpFast(text: string): Ip | undefined {
  return text.includes('/') ? undefined : parseCidrFast(text)?.addr;
}

const encoder = new TextEncoder();

/** Length in bytes of the UTF-8 form (iptables limits are in bytes). */
export function utf8Length(text: string): number {
  // A UTF-16 unit never takes more than 3 bytes, so short strings need no encoding.
  return text.length * 3 <= 255 ? text.length : encoder.encode(text).length;
}

/** The longest prefix of `text` that fits in `bytes` bytes of UTF-8, cut between characters. */
export function truncateUtf8(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (used + n > bytes) break;
    used += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * An address as inet_ntop(3) prints it, which is what iptables-save and ipset print. Differs
 * from RFC 5952 (and from `formatIp`) in one case that the kernel differential test found: an
 * IPv4-compatible IPv6 address, six zero groups then a non-zero seventh, keeps a dotted tail
 * (`::b706:0` prints `::183.6.0.0`), as glibc still does for the deprecated form.
 */
export function formatAddr(ip: Ip): string {
  if (ip.family === 6 && ip.value >> 32n === 0n && ((ip.value >> 16n) & 0xffffn) !== 0n) {
    return `::${formatIp({ family: 4, value: ip.value })}`;
  }
  return formatIp(ip);
}

/** `ADDR/LEN` with host bits cleared, as iptables-save prints `-s`/`-d`. */
export function formatNet(c: Cidr): string {
  return `${formatAddr(canonicalCidr(c).addr)}/${c.prefix}`;
}
