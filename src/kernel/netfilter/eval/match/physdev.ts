/**
 * `-m physdev` (net/netfilter/xt_physdev.c): the bridge ports of a bridged packet that
 * br_netfilter hands to iptables. Without bridge information (not bridged, or not yet known),
 * the match succeeds only if every option used is negated, as the kernel does.
 */
import type { MatchSpec } from '../../rule.js';
import type { EvalCtx } from '../ctx.js';
import { arg, eachOpt } from '../opts.js';
import { ifaceTest } from './base.js';
import type { Matcher } from './types.js';

type Test = (c: EvalCtx) => boolean;

/** `-m physdev`. */
export function physdevMatch(spec: MatchSpec): Matcher {
  const where = '-m physdev';
  const tests: Test[] = [];
  const negs: boolean[] = [];
  const add = (neg: boolean, t: Test) => {
    negs.push(neg);
    tests.push((c) => t(c) !== neg);
  };
  eachOpt(spec.opts, where, {
    '--physdev-in': (o) => {
      const m = ifaceTest(arg(o, where));
      add(o.neg, (c) => m(c.env.physInDev ?? ''));
    },
    '--physdev-out': (o) => {
      const m = ifaceTest(arg(o, where));
      add(o.neg, (c) => m(c.env.physOutDev ?? ''));
    },
    '--physdev-is-in': (o) => add(o.neg, (c) => c.env.physInDev !== undefined),
    '--physdev-is-out': (o) => add(o.neg, (c) => c.env.physOutDev !== undefined),
    '--physdev-is-bridged': (o) => add(o.neg, (c) => c.env.physOutDev !== undefined),
  });
  const allNegated = negs.every((n) => n);
  return (c) => {
    const bridged = c.env.bridged === true || c.env.physInDev !== undefined || c.env.physOutDev !== undefined;
    if (!bridged) return allNegated;
    return tests.every((t) => t(c));
  };
}
