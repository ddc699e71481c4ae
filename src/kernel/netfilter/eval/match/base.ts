/**
 * The IP header part of a rule (`ip_packet_match()` in net/ipv4/netfilter/ip_tables.c):
 * `-s`, `-d`, `-i`, `-o`, `-p`, `-f`, each with `!`. Evaluated before any `-m` match.
 */
import type { Cidr } from '../../../../addr/cidr.js';
import { prefixMask } from '../../../../addr/cidr.js';
import { InternalError } from '../../../../diag/diagnostic.js';
import type { Negatable, Rule } from '../../rule.js';
import { protoNumber as syntaxProtoNumber } from '../../syntax/protocols.js';
import type { EvalCtx } from '../ctx.js';
import type { Matcher } from './types.js';

/** The protocol number of `-p NAME|NUMBER` (names from /etc/protocols, as the parser reads them); undefined for `all`. */
export function protoNumber(name: string): number | undefined {
  const n = syntaxProtoNumber(name);
  if (n === undefined) throw new InternalError(`-p ${name}: unknown protocol`);
  return n === 0 ? undefined : n;
}

/** A prefix test on the address; IPv4 compares unsigned 32-bit numbers. */
export function addrMatcher(c: Cidr, side: 'src' | 'dst'): (ctx: EvalCtx) => boolean {
  if (c.addr.family === 4) {
    const mask = Number(prefixMask(4, c.prefix));
    const net = (Number(c.addr.value) & mask) >>> 0;
    if (side === 'src') return (x) => x.pkt.family === 4 && ((x.pkt.src32 & mask) >>> 0) === net;
    return (x) => x.pkt.family === 4 && ((x.pkt.dst32 & mask) >>> 0) === net;
  }
  const mask = prefixMask(6, c.prefix);
  const net = c.addr.value & mask;
  return (x) => x.pkt.family === 6 && ((side === 'src' ? x.pkt.src : x.pkt.dst).value & mask) === net;
}

/** `-i eth0`, `-i veth+` (a trailing `+` matches any name with that prefix). */
export function ifaceTest(pattern: string): (name: string) => boolean {
  if (pattern.endsWith('+')) {
    const prefix = pattern.slice(0, -1);
    return (name) => name.startsWith(prefix);
  }
  return (name) => name === pattern;
}

function negate<T>(n: Negatable<T>, test: Matcher): Matcher {
  return n.neg ? (c) => !test(c) : test;
}

/**
 * The IPv4 address and protocol tests as numbers, evaluated inline by one shared function
 * (see ../compile.ts): per-rule closures would each need their own warm-up in V8, which costs
 * more than the test itself on a 20,000-rule chain.
 */
export interface FastFilter {
  readonly dstOn: boolean;
  readonly dstNet: number;
  readonly dstMask: number;
  readonly dstNeg: boolean;
  readonly srcOn: boolean;
  readonly srcNet: number;
  readonly srcMask: number;
  readonly srcNeg: boolean;
  /** -1: any protocol. */
  readonly proto: number;
  readonly protoNeg: boolean;
}

function v4(c: Negatable<Cidr> | undefined): { on: boolean; net: number; mask: number; neg: boolean } {
  if (c === undefined || c.value.addr.family !== 4) return { on: false, net: 0, mask: 0, neg: false };
  const mask = Number(prefixMask(4, c.value.prefix));
  return { on: true, net: (Number(c.value.addr.value) & mask) >>> 0, mask, neg: c.neg };
}

/** The numeric part of a rule's IP header match. */
export function fastFilter(rule: Rule): FastFilter {
  const d = v4(rule.dst);
  const s = v4(rule.src);
  const n = rule.proto === undefined ? undefined : protoNumber(rule.proto.value);
  return {
    dstOn: d.on,
    dstNet: d.net,
    dstMask: d.mask,
    dstNeg: d.neg,
    srcOn: s.on,
    srcNet: s.net,
    srcMask: s.mask,
    srcNeg: s.neg,
    proto: n ?? -1,
    protoNeg: rule.proto?.neg === true,
  };
}

/** The rest of a rule's IP header part: IPv6 addresses, interfaces, `-f`, `! -p all`. */
export function slowBaseMatchers(rule: Rule): Matcher[] {
  const out: Matcher[] = [];
  if (rule.dst !== undefined && rule.dst.value.addr.family === 6) out.push(negate(rule.dst, addrMatcher(rule.dst.value, 'dst')));
  if (rule.src !== undefined && rule.src.value.addr.family === 6) out.push(negate(rule.src, addrMatcher(rule.src.value, 'src')));
  if (rule.proto !== undefined && protoNumber(rule.proto.value) === undefined && rule.proto.neg) out.push(() => false);
  if (rule.inIface !== undefined) {
    const test = ifaceTest(rule.inIface.value);
    out.push(negate(rule.inIface, (c) => test(c.env.inDev ?? '')));
  }
  if (rule.outIface !== undefined) {
    const test = ifaceTest(rule.outIface.value);
    out.push(negate(rule.outIface, (c) => test(c.env.outDev ?? '')));
  }
  // netsim packets are never fragments: `-f` never matches, `! -f` always does.
  if (rule.fragment !== undefined) out.push(() => rule.fragment?.neg === true);
  return out;
}
