/**
 * `-m statistic` (net/netfilter/xt_statistic.c).
 *
 * `--mode random --probability P`: the kernel draws a 31-bit number and compares it with
 * P·2³¹; iptables-save prints P already quantised (kube-proxy's 0.3333333333 comes back as
 * 0.33333333349). netsim asks the injected chooser with `[P, 1-P]` for the quantised P
 * (round(P·2³¹)/2³¹, so the text 0.3333333333 and 0.33333333349 behave alike), index 0 meaning "matches",
 * so the tracer can enumerate both outcomes. P = 0 and P = 1 are decided without asking.
 *
 * `--mode nth --every N --packet P`: a counter per rule; each packet moves it on (wrapping after
 * N-1) and the packet matches when it wraps to 0, as the kernel's cmpxchg loop in
 * statistic_mt(). iptables' final check (libxt_statistic) starts the counter at (N-1) - P, so in a
 * fresh ruleset packet number P (counting from 0) is the first to match: `--every 2 --packet 0`
 * matches the very first packet (checked against the kernel: test/kernel/cases.ts, "nth").
 * Counters live in state, keyed by family, table, chain and rule position.
 */
import { InternalError } from '../../../../diag/diagnostic.js';
import type { MatchSpec } from '../../rule.js';
import type { EvalCtx } from '../ctx.js';
import { ownNth } from '../../fork.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

/** The probability the kernel really applies: iptables stores round(P·2³¹) and compares 31 random bits with it. */
export function kernelProbability(p: number): number {
  return Math.round(p * 0x80000000) / 0x80000000;
}

function randomMatcher(given: number, neg: boolean): Matcher {
  if (!(given >= 0 && given <= 1)) throw new InternalError(`-m statistic: probability ${given} outside [0, 1]`);
  const p = kernelProbability(given);
  return (c: EvalCtx) => {
    let hit: boolean;
    if (p >= 1) hit = true;
    else if (p <= 0) hit = false;
    else hit = c.env.ctx.chooser.choose(`${c.table}/${c.chain}#${c.position} statistic`, [p, 1 - p]) === 0;
    return hit !== neg;
  };
}

function nthMatcher(every: number, packet: number, neg: boolean): Matcher {
  const last = every - 1;
  return (c: EvalCtx) => {
    const key = `${c.family} ${c.table} ${c.chain} ${c.position}`;
    const count = c.state.nth.get(key) ?? last - packet;
    const next = count === last ? 0 : count + 1;
    ownNth(c.state).set(key, next);
    return (next === 0) !== neg;
  };
}

/** `-m statistic`. */
export function statisticMatch(spec: MatchSpec): Matcher {
  const where = '-m statistic';
  let mode = 'random';
  let probability = 1;
  let every = 1;
  let packet = 0;
  let neg = false;
  eachOpt(spec.opts, where, {
    '--mode': (o) => (mode = arg(o, where)),
    '--probability': (o) => {
      probability = Number.parseFloat(arg(o, where));
      neg = neg || o.neg;
    },
    '--every': (o) => {
      every = Number.parseInt(arg(o, where), 10);
      neg = neg || o.neg;
    },
    '--packet': (o) => (packet = Number.parseInt(arg(o, where), 10)),
  });
  if (mode === 'random') return randomMatcher(probability, neg);
  if (mode === 'nth') return nthMatcher(every, packet, neg);
  throw new InternalError(`${where}: unknown mode ${mode}`);
}
