/**
 * `-m tcp`, `-m udp`, `-m sctp` (`--sport`, `--dport`, `--tcp-flags`) and `-m multiport`
 * (net/netfilter/xt_tcpudp.c, xt_multiport.c, xt_sctp.c). A port match never matches a packet
 * of another protocol, whatever its `!` (the kernel checks the protocol before the options).
 */
import { InternalError } from '../../../../diag/diagnostic.js';
import type { TcpFlag } from '../../../../packet/packet.js';
import type { MatchSpec } from '../../rule.js';
import { IPPROTO } from '../../conntrack/tuple.js';
import { type EvalCtx, TCP_FLAG_BITS } from '../ctx.js';
import { arg, eachOpt, portRange } from '../opts.js';
import type { Matcher } from './types.js';

type Test = (c: EvalCtx) => boolean;

function portTest(side: 'sport' | 'dport', text: string, neg: boolean, where: string): Test {
  const { min, max } = portRange(text, where);
  return (c) => {
    const p = c.pkt[side];
    return p !== undefined && (p >= min && p <= max) !== neg;
  };
}

/** `--tcp-flags MASK COMP`: names as iptables-save prints them (`FIN,SYN,RST,ACK SYN`, `ALL`, `NONE`). */
function flagBits(text: string, where: string): number {
  if (text === 'NONE') return 0;
  if (text === 'ALL') return 0x3f;
  return text.split(',').reduce((acc, name) => {
    const bit = TCP_FLAG_BITS[name as TcpFlag];
    if (bit === undefined) throw new InternalError(`${where}: unknown TCP flag ${name}`);
    return acc | bit;
  }, 0);
}

function compileL4(spec: MatchSpec, proto: number): Matcher {
  const where = `-m ${spec.module}`;
  const tests: Test[] = [(c) => c.pkt.proto === proto];
  eachOpt(spec.opts, where, {
    '--sport': (o) => tests.push(portTest('sport', arg(o, where), o.neg, where)),
    '--dport': (o) => tests.push(portTest('dport', arg(o, where), o.neg, where)),
    '--tcp-flags': (o) => {
      const mask = flagBits(o.args[0] ?? '', where);
      const comp = flagBits(o.args[1] ?? '', where);
      tests.push((c) => ((c.pkt.tcpFlags & mask) === comp) !== o.neg);
    },
    '--syn': (o) => tests.push((c) => ((c.pkt.tcpFlags & 0x17) === 0x02) !== o.neg),
    // netsim's TCP header carries no options: `--tcp-option N` never matches, `!` always does.
    '--tcp-option': (o) => tests.push(() => o.neg),
  });
  return (c) => tests.every((t) => t(c));
}

/** `-m tcp`. */
export const tcpMatch = (spec: MatchSpec): Matcher => compileL4(spec, IPPROTO.tcp);
/** `-m udp`. */
export const udpMatch = (spec: MatchSpec): Matcher => compileL4(spec, IPPROTO.udp);
/** `-m sctp` (ports only; `--chunk-types` is not modelled). */
export const sctpMatch = (spec: MatchSpec): Matcher => compileL4(spec, IPPROTO.sctp);

/** `-m multiport --dports|--sports|--ports 80,443,8000:8080`. */
export function multiportMatch(spec: MatchSpec): Matcher {
  const where = '-m multiport';
  let test: Test | undefined;
  const list = (text: string) => text.split(',').map((p) => portRange(p, where));
  const side = (pick: (c: EvalCtx) => readonly (number | undefined)[]) => (o: { args: readonly string[]; neg: boolean }) => {
    const ranges = list(o.args[0] ?? '');
    test = (c) => {
      const ports = pick(c);
      if (ports.some((p) => p === undefined)) return false;
      const hit = ports.some((p) => ranges.some((r) => p !== undefined && p >= r.min && p <= r.max));
      return hit !== o.neg;
    };
  };
  eachOpt(spec.opts, where, {
    '--dports': side((c) => [c.pkt.dport]),
    '--destination-ports': side((c) => [c.pkt.dport]),
    '--sports': side((c) => [c.pkt.sport]),
    '--source-ports': side((c) => [c.pkt.sport]),
    '--ports': side((c) => [c.pkt.sport, c.pkt.dport]),
  });
  const t = test;
  if (t === undefined) throw new InternalError(`${where}: no port list`);
  return t;
}
