/**
 * `-m set --match-set NAME src[,dst…]` (net/netfilter/xt_set.c) against the namespace's ipsets.
 * Each dimension of the set type (`hash:ip,port` has two) is compared with the packet field the
 * corresponding flag names. Members are compiled once per set value. A set that does not exist
 * matches nothing (iptables would have refused the rule; the scenario checker reports it).
 */
import { cidrContains, parseCidr } from '../../../../addr/cidr.js';
import type { Cidr } from '../../../../addr/cidr.js';
import type { MatchSpec } from '../../rule.js';
import type { IpSet } from '../../state.js';
import type { EvalCtx } from '../ctx.js';
import { arg, eachOpt, portRange } from '../opts.js';
import { protoNumber } from './base.js';
import type { Matcher } from './types.js';

type Side = 'src' | 'dst';
type Part = (c: EvalCtx, side: Side) => boolean;

function netPart(text: string): Part {
  const cidr: Cidr | undefined = parseCidr(text);
  return (c, side) => cidr !== undefined && cidrContains(cidr, c.pkt[side]);
}

/** `tcp:80`, `udp:53`, `80` (tcp), `tcp:8000-8080`. */
function portPart(text: string): Part {
  const [protoText, portText] = text.includes(':') ? text.split(':') : ['tcp', text];
  const proto = protoNumber(protoText ?? 'tcp');
  const r = portRange(portText ?? '', 'ipset member', '-');
  return (c, side) => {
    const p = side === 'src' ? c.pkt.sport : c.pkt.dport;
    return (proto === undefined || c.pkt.proto === proto) && p !== undefined && p >= r.min && p <= r.max;
  };
}

const compiledSets = new WeakMap<IpSet, ((c: EvalCtx, sides: readonly Side[]) => boolean)>();

/**
 * A set's members as tests. Members flagged `nomatch` (hash:net) exclude what they cover, the
 * kernel's more-specific-wins rule simplified to "any nomatch hit wins".
 */
function compileSet(set: IpSet): (c: EvalCtx, sides: readonly Side[]) => boolean {
  const dims = (set.type.split(':')[1] ?? '').split(',');
  const parse = (m: string) => (m.split(' ')[0] ?? '').split(',').map((text, i) => (dims[i] === 'port' ? portPart(text) : netPart(text)));
  const members = set.members.filter((m) => !/\snomatch\b/.test(m)).map(parse);
  const excluded = set.members.filter((m) => /\snomatch\b/.test(m)).map(parse);
  const hit = (parts: Part[], c: EvalCtx, sides: readonly Side[]) => parts.every((part, i) => part(c, sides[i] ?? sides[sides.length - 1] ?? 'src'));
  return (c, sides) => members.some((p) => hit(p, c, sides)) && !excluded.some((p) => hit(p, c, sides));
}

function counterTest(o: { args: readonly string[]; neg: boolean }, holds: (n: number) => boolean): boolean {
  return holds(Number.parseInt(o.args[0] ?? '0', 10)) !== o.neg;
}

/** `-m set`. */
export function setMatch(spec: MatchSpec): Matcher {
  const where = '-m set';
  let name = '';
  let sides: Side[] = ['src'];
  let neg = false;
  const counters: boolean[] = [];
  eachOpt(spec.opts, where, {
    '--match-set': (o) => {
      name = arg(o, where);
      sides = (o.args[1] ?? 'src').split(',') as Side[];
      neg = o.neg;
    },
    '--return-nomatch': () => undefined,
    '--update-counters': () => undefined,
    '--update-subcounters': () => undefined,
    // Element counters: netsim does not count, so every element has 0 packets and 0 bytes.
    '--packets-eq': (o) => counters.push(counterTest(o, (n) => n === 0)),
    '--packets-lt': (o) => counters.push(counterTest(o, (n) => 0 < n)),
    '--packets-gt': (o) => counters.push(counterTest(o, (n) => 0 > n)),
    '--bytes-eq': (o) => counters.push(counterTest(o, (n) => n === 0)),
    '--bytes-lt': (o) => counters.push(counterTest(o, (n) => 0 < n)),
    '--bytes-gt': (o) => counters.push(counterTest(o, (n) => 0 > n)),
  });
  return (c) => {
    const set = c.state.ipsets.get(name);
    if (set === undefined) return false;
    let test = compiledSets.get(set);
    if (test === undefined) {
      test = compileSet(set);
      compiledSets.set(set, test);
    }
    return test(c, sides) !== neg && counters.every((ok) => ok);
  };
}
