/**
 * `-m set --match-set NAME src[,dst…]` (net/netfilter/xt_set.c) against the namespace's ipsets,
 * looked up by the ipset model (`../../ipset`): each flag names the packet field that feeds one
 * dimension of the set. An element flagged `nomatch` makes the lookup fail, or succeed alone
 * with `--return-nomatch` (iptables-extensions(8): "the matching is reversed"). A set that does
 * not exist matches nothing (iptables would have refused the rule; the parser reports it).
 * Element counters (`--packets-gt` …) compare against 0: netsim does not count.
 */
import type { MatchSpec, Opt } from '../../rule.js';
import { type IpsetPacket, ipsetLookup } from '../../ipset/index.js';
import type { EvalCtx } from '../ctx.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

type Side = 'src' | 'dst';

function counterTest(o: Opt, holds: (n: number) => boolean): boolean {
  return holds(Number.parseInt(o.args[0] ?? '0', 10)) !== o.neg;
}

function lookupPacket(c: EvalCtx): IpsetPacket {
  const p = c.pkt;
  const base = { src: p.src, dst: p.dst, proto: p.proto };
  return p.sport === undefined || p.dport === undefined ? base : { ...base, sport: p.sport, dport: p.dport };
}

/** `-m set`. */
export function setMatch(spec: MatchSpec): Matcher {
  const where = '-m set';
  let name = '';
  let sides: Side[] = ['src'];
  let neg = false;
  let returnNomatch = false;
  const counters: boolean[] = [];
  eachOpt(spec.opts, where, {
    '--match-set': (o) => {
      name = arg(o, where);
      sides = (o.args[1] ?? 'src').split(',') as Side[];
      neg = o.neg;
    },
    '--return-nomatch': () => (returnNomatch = true),
    '--update-counters': () => undefined,
    '--update-subcounters': () => undefined,
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
    const found = ipsetLookup(set, lookupPacket(c), sides, (n) => c.state.ipsets.get(n));
    const hit = returnNomatch ? found === 'nomatch' : found === 'hit';
    return hit !== neg && counters.every((ok) => ok);
  };
}
