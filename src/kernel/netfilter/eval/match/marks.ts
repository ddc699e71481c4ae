/**
 * `-m mark --mark V[/M]` (skb->mark) and `-m connmark --mark V[/M]` (ct->mark), after
 * net/netfilter/xt_mark.c and xt_connmark.c: `(mark & M) == V`, mask all ones by default.
 * Without a conntrack entry (untracked or invalid) connmark never matches, even negated.
 */
import type { MatchSpec } from '../../rule.js';
import { arg, eachOpt, valueMask } from '../opts.js';
import type { Matcher } from './types.js';

function compileMark(spec: MatchSpec, read: 'skb' | 'ct'): Matcher {
  const where = `-m ${spec.module}`;
  let m: Matcher = () => true;
  eachOpt(spec.opts, where, {
    '--mark': (o) => {
      const { value, mask } = valueMask(arg(o, where), where);
      if (read === 'skb') m = (c) => (((c.mark & mask) >>> 0) === value) !== o.neg;
      else m = (c) => c.ct.kind === 'tracked' && (((c.ct.entry.mark & mask) >>> 0) === value) !== o.neg;
    },
  });
  return m;
}

/** `-m mark`. */
export const markMatch = (spec: MatchSpec): Matcher => compileMark(spec, 'skb');
/** `-m connmark`. */
export const connmarkMatch = (spec: MatchSpec): Matcher => compileMark(spec, 'ct');
