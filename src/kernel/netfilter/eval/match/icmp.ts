/**
 * `-m icmp --icmp-type T[/C]` and `-m icmp6 --icmpv6-type T[/C]` (net/netfilter/xt_tcpudp.c's
 * siblings in ip_tables.c / ip6_tables.c). Type 255 (`any`) matches every type. Names are
 * accepted for hand-written rules; iptables-save prints numbers.
 */
import { InternalError } from '../../../../diag/diagnostic.js';
import type { MatchSpec } from '../../rule.js';
import { IPPROTO } from '../../conntrack/tuple.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

const NAMES: ReadonlyMap<string, [number, number | undefined]> = new Map<string, [number, number | undefined]>([
  ['any', [255, undefined]],
  ['echo-reply', [0, undefined]],
  ['pong', [0, undefined]],
  ['destination-unreachable', [3, undefined]],
  ['port-unreachable', [3, 3]],
  ['fragmentation-needed', [3, 4]],
  ['echo-request', [8, undefined]],
  ['ping', [8, undefined]],
  ['time-exceeded', [11, undefined]],
  ['ipv6-echo-request', [128, undefined]],
  ['ipv6-echo-reply', [129, undefined]],
]);

function parseType(text: string, where: string): [number, number | undefined] {
  const named = NAMES.get(text);
  if (named !== undefined) return named;
  const [t, c] = text.split('/');
  const type = Number.parseInt(t ?? '', 10);
  if (!Number.isInteger(type)) throw new InternalError(`${where}: bad ICMP type ${text}`);
  return [type, c === undefined ? undefined : Number.parseInt(c, 10)];
}

function compileIcmp(spec: MatchSpec, proto: number): Matcher {
  const where = `-m ${spec.module}`;
  let test: Matcher = (c) => c.pkt.proto === proto;
  const opt = (o: { args: readonly string[]; neg: boolean; name: string }) => {
    const [type, code] = parseType(arg(o, where), where);
    test = (c) => {
      if (c.pkt.proto !== proto || c.pkt.icmpType === undefined) return false;
      const hit = type === 255 || (c.pkt.icmpType === type && (code === undefined || c.pkt.icmpCode === code));
      return hit !== o.neg;
    };
  };
  eachOpt(spec.opts, where, { '--icmp-type': opt, '--icmpv6-type': opt });
  return test;
}

/** `-m icmp`. */
export const icmpMatch = (spec: MatchSpec): Matcher => compileIcmp(spec, IPPROTO.icmp);
/** `-m icmp6`. */
export const icmp6Match = (spec: MatchSpec): Matcher => compileIcmp(spec, IPPROTO.icmpv6);
