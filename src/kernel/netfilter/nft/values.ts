/**
 * Typed values of nft: the data type of an expression (nft `describe`), reading a value written
 * for that type and printing it as `nft list ruleset` does (marks as `0x%08x`, protocol numbers
 * by name, host prefixes as plain addresses, times as `3h`, `1m30s`).
 */
import { type Cidr, formatCidr, parseCidr } from '../../../addr/cidr.js';
import { familyBits, formatIp } from '../../../addr/ip.js';
import type { NftExpr, NftType, NftValue } from './model.js';

/** The data type of an expression; concatenations have one type per part. */
export function typesOf(e: NftExpr): NftType[] {
  switch (e.kind) {
    case 'concat':
      return e.parts.flatMap(typesOf);
    case 'binop':
      return typesOf(e.left);
    case 'payload':
      if (e.field === 'saddr' || e.field === 'daddr') return [e.proto === 'ip6' ? 'ipv6_addr' : 'ipv4_addr'];
      if (e.field === 'protocol' || e.field === 'nexthdr') return ['inet_proto'];
      if (e.field === 'flags') return ['tcp_flag'];
      return e.field === 'sport' || e.field === 'dport' ? ['inet_service'] : ['integer'];
    case 'meta':
      return [META_TYPES[e.key] ?? 'integer'];
    case 'ct':
      return [e.key === 'state' || e.key === 'status' ? 'ct_state' : e.key === 'mark' ? 'mark' : 'integer'];
    case 'fib':
      return [e.result === 'type' ? 'fib_addrtype' : 'ifname'];
    case 'numgen':
      return ['integer'];
    default: {
      const never: never = e;
      return never;
    }
  }
}

const META_TYPES: Readonly<Record<string, NftType>> = {
  l4proto: 'inet_proto',
  mark: 'mark',
  iifname: 'ifname',
  oifname: 'ifname',
  nfproto: 'nf_proto',
  nftrace: 'integer',
  protocol: 'integer',
};

/** IP protocol names nft prints (/etc/protocols as nft knows them). */
export const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp', 33: 'dccp', 136: 'udplite', 4: 'ipencap', 47: 'gre', 50: 'esp', 51: 'ah' };
/** Protocol names → numbers (`tcp` → 6, also `icmpv6`). */
export const PROTO_NUMBERS: Readonly<Record<string, number>> = Object.fromEntries([...Object.entries(PROTO_NAMES).map(([n, s]) => [s, Number(n)]), ['icmpv6', 58]]);

function parseNumber(w: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(w)) return Number.parseInt(w.slice(2), 16);
  if (/^[0-9]+$/.test(w)) return Number.parseInt(w, 10);
  return undefined;
}

function parseAddr(w: string, type: NftType): NftValue | undefined {
  const c = parseCidr(w);
  if (c === undefined) return undefined;
  if ((type === 'ipv4_addr') !== (c.addr.family === 4)) return undefined;
  return { kind: 'addr', cidr: c };
}

/** Reads one word (or quoted string) as a value of `type`; undefined when it is not one. */
export function parseValue(w: string, type: NftType, quoted = false): NftValue | undefined {
  if (quoted) return { kind: 'str', text: w };
  switch (type) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      const dash = w.indexOf('-');
      if (dash > 0 && !w.includes('/')) {
        const from = parseAddr(w.slice(0, dash), type);
        const to = parseAddr(w.slice(dash + 1), type);
        return from !== undefined && to !== undefined ? { kind: 'range', from, to } : undefined;
      }
      return parseAddr(w, type);
    }
    case 'inet_proto': {
      const n = parseNumber(w) ?? PROTO_NUMBERS[w];
      if (n === undefined || n > 255) return undefined;
      return PROTO_NAMES[n] !== undefined ? { kind: 'sym', text: PROTO_NAMES[n] } : { kind: 'num', n };
    }
    case 'inet_service':
    case 'integer':
    case 'mark': {
      const m = /^([0-9a-fx]+)-([0-9a-fx]+)$/i.exec(w);
      if (m !== null) {
        const a = parseNumber(m[1] as string);
        const b = parseNumber(m[2] as string);
        return a !== undefined && b !== undefined ? { kind: 'range', from: { kind: 'num', n: a }, to: { kind: 'num', n: b } } : undefined;
      }
      const n = parseNumber(w);
      if (n === undefined || (type === 'inet_service' && n > 65535) || n > 0xffffffff) return undefined;
      return { kind: 'num', n };
    }
    case 'ct_state':
    case 'tcp_flag':
      return /^[a-z-]+(,[a-z-]+)*$/.test(w) ? { kind: 'flags', names: w.split(',') } : undefined;
    case 'ifname':
      return { kind: 'str', text: w };
    case 'fib_addrtype':
    case 'nf_proto':
    case 'verdict':
      return /^[a-z0-9-]+$/.test(w) ? { kind: 'sym', text: w } : undefined;
    default: {
      const never: never = type;
      return never;
    }
  }
}

function formatAddr(c: Cidr): string {
  return c.prefix === familyBits(c.addr.family) ? formatIp(c.addr) : formatCidr(c);
}

/** Prints a value of `type` as `nft list ruleset` does. */
export function formatValue(v: NftValue, type: NftType): string {
  switch (v.kind) {
    case 'addr':
      return formatAddr(v.cidr);
    case 'num':
      return type === 'mark' ? `0x${v.n.toString(16).padStart(8, '0')}` : String(v.n);
    case 'sym':
      return v.text;
    case 'str':
      return `"${v.text}"`;
    case 'range':
      return `${formatValue(v.from, type)}-${formatValue(v.to, type)}`;
    case 'flags':
      return v.names.join(',');
    case 'masked':
      return `${formatValue(v.value, type)} / ${formatValue(v.mask, type)}`;
    default: {
      const never: never = v;
      return never;
    }
  }
}

const UNITS: readonly [string, number][] = [
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/** `10800s`, `3h`, `1m30s`, `1d2h`, `500ms` → seconds. */
export function parseTime(w: string): number | undefined {
  if (/^[0-9]+$/.test(w)) return Number(w);
  const re = /([0-9]+)(ms|d|h|m|s)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(w)) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : n * (UNITS.find((u) => u[0] === m?.[2])?.[1] ?? 1);
    at = re.lastIndex;
  }
  return at === w.length && at > 0 ? total : undefined;
}

/** Seconds → `3h`, `1m30s` (nft's time_print). */
export function formatTime(seconds: number): string {
  let rest = Math.floor(seconds);
  const ms = Math.round((seconds - rest) * 1000);
  let out = '';
  for (const [u, n] of UNITS) {
    const q = Math.floor(rest / n);
    rest -= q * n;
    if (q > 0) out += `${q}${u}`;
  }
  if (ms > 0) out += `${ms}ms`;
  return out === '' ? '0s' : out;
}
