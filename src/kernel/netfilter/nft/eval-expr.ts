/**
 * Reading expressions from the packet (the nft expressions `payload`, `meta`, `ct`, `fib`,
 * `numgen`, concatenations and bitwise ops) and comparing with values (`cmp`, `range`,
 * prefixes, ct state and tcp flag bitmasks). An expression that does not apply to the packet
 * (`ip daddr` on IPv6 in an inet table, `tcp dport` on UDP) reads as undefined and the rule
 * does not match, as the implicit protocol dependencies nft adds make it.
 */
import type { NftExpr, NftValue } from './model.js';
import type { NftCtx } from './ctx.js';
import { ownNftMaps } from './state.js';
import { bounds, pointKey, type RVal } from './lookup.js';
import { PROTO_NUMBERS } from './values.js';

const L4: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132 };
const TCP_BITS: Readonly<Record<string, number>> = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 };

function payload(e: Extract<NftExpr, { kind: 'payload' }>, c: NftCtx): RVal | undefined {
  const p = c.pkt;
  if (e.proto === 'ip' || e.proto === 'ip6') {
    if ((e.proto === 'ip') !== (p.family === 4)) return undefined;
    if (e.field === 'saddr') return p.src.value;
    if (e.field === 'daddr') return p.dst.value;
    return p.proto;
  }
  if (e.proto !== 'th' && p.proto !== L4[e.proto]) return undefined;
  if (e.field === 'flags') return p.proto === 6 ? p.tcpFlags : undefined;
  return e.field === 'sport' ? p.sport : p.dport;
}

function meta(key: string, c: NftCtx): RVal | undefined {
  switch (key) {
    case 'l4proto':
      return c.pkt.proto;
    case 'mark':
      return c.mark;
    case 'iifname':
      return c.env.inDev;
    case 'oifname':
      return c.env.outDev;
    case 'nfproto':
      return c.v === 4 ? 'ipv4' : 'ipv6';
    case 'protocol':
      return c.v === 4 ? 0x0800 : 0x86dd;
    default:
      return 0;
  }
}

function ct(key: string, c: NftCtx): RVal | undefined {
  const v = c.ct;
  if (key === 'state') return v.kind === 'tracked' ? v.info.toLowerCase() : v.kind;
  if (key === 'mark') return v.kind === 'tracked' ? v.entry.mark : 0;
  return undefined;
}

function fib(e: Extract<NftExpr, { kind: 'fib' }>, c: NftCtx): RVal | undefined {
  if (e.result !== 'type') return undefined;
  const addr = e.flags.includes('saddr') ? c.pkt.src : c.pkt.dst;
  const dev = e.flags.includes('iif') ? c.env.inDev : e.flags.includes('oif') ? c.env.outDev : undefined;
  return c.env.addrType(addr, dev).toLowerCase();
}

function numgen(e: Extract<NftExpr, { kind: 'numgen' }>, c: NftCtx): number {
  const off = e.offset ?? 0;
  if (e.mode === 'inc') {
    const key = `${c.table.family} ${c.table.name} ${c.chain} ${c.position}`;
    const n = c.state.nft.counters.get(key) ?? 0;
    ownNftMaps(c.state.nft).counters.set(key, (n + 1) % e.mod);
    return n + off;
  }
  if (e.mod === 1) return off;
  const probs = Array.from({ length: e.mod }, () => 1 / e.mod);
  return c.env.ctx.chooser.choose(`${c.table.name}/${c.chain}#${c.position} numgen`, probs) + off;
}

/** One expression's value(s) for this packet; undefined when it does not apply. */
export function evalExpr(e: NftExpr, c: NftCtx): RVal | RVal[] | undefined {
  switch (e.kind) {
    case 'payload':
      return payload(e, c);
    case 'meta':
      return meta(e.key, c);
    case 'ct':
      return ct(e.key, c);
    case 'fib':
      return fib(e, c);
    case 'numgen':
      return numgen(e, c);
    case 'concat': {
      const parts: RVal[] = [];
      for (const p of e.parts) {
        const v = evalExpr(p, c);
        if (v === undefined || Array.isArray(v)) return undefined;
        parts.push(v);
      }
      return parts;
    }
    case 'binop': {
      const l = evalExpr(e.left, c);
      const r = e.right.kind === 'num' ? e.right.n : 0;
      if (typeof l !== 'number') return undefined;
      return (e.op === '&' ? l & r : e.op === '|' ? l | r : l ^ r) >>> 0;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function bits(names: readonly string[]): number {
  return names.reduce((acc, n) => acc | (TCP_BITS[n] ?? 0), 0);
}

/** Whether the packet's value equals (or falls in) the rule's value. */
export function valueMatches(x: RVal, v: NftValue): boolean {
  switch (v.kind) {
    case 'flags':
      return typeof x === 'number' ? (x & bits(v.names)) !== 0 : v.names.includes(String(x));
    case 'masked':
      return typeof x === 'number' && v.value.kind === 'flags' && v.mask.kind === 'flags' && (x & bits(v.mask.names)) === bits(v.value.names);
    case 'str':
      return v.text.endsWith('*') ? String(x).startsWith(v.text.slice(0, -1)) : String(x) === v.text;
    case 'sym':
      return String(x) === v.text || (PROTO_NUMBERS[v.text] !== undefined && x === PROTO_NUMBERS[v.text]);
    default: {
      const k = pointKey(v);
      if (k !== undefined) return String(x) === k;
      const b = bounds(v);
      return b !== undefined && typeof x !== 'string' && BigInt(x) >= b[0] && BigInt(x) <= b[1];
    }
  }
}

/** `<`, `>`, `<=`, `>=` on numbers. */
export function orderMatches(x: RVal, op: '<' | '>' | '<=' | '>=', v: NftValue): boolean {
  if (typeof x === 'string' || v.kind !== 'num') return false;
  const a = Number(x);
  return op === '<' ? a < v.n : op === '>' ? a > v.n : op === '<=' ? a <= v.n : a >= v.n;
}
