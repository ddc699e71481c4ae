/**
 * `-m addrtype --src-type T --dst-type T` (net/netfilter/xt_addrtype.c), answered by the
 * namespace's routing through `env.addrType`. Types may be a comma list and negated.
 * `--limit-iface-in/out` restrict the lookup to one device in the kernel; netsim answers for the
 * whole namespace (an approximation, documented in docs/netfilter.md).
 */
import type { MatchSpec } from '../../rule.js';
import type { AddrType } from '../../api.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

/** `-m addrtype`. */
export function addrtypeMatch(spec: MatchSpec): Matcher {
  const where = '-m addrtype';
  const tests: Matcher[] = [];
  const side = (pick: 'src' | 'dst') => (o: { args: readonly string[]; neg: boolean; name: string }) => {
    const types = new Set(arg(o, where).split(',') as AddrType[]);
    tests.push((c) => types.has(c.env.addrType(c.pkt[pick])) !== o.neg);
  };
  eachOpt(spec.opts, where, {
    '--src-type': side('src'),
    '--dst-type': side('dst'),
    '--limit-iface-in': () => undefined,
    '--limit-iface-out': () => undefined,
  });
  return (c) => tests.every((t) => t(c));
}
