/**
 * `-m addrtype --src-type T --dst-type T` (net/netfilter/xt_addrtype.c), answered by the
 * namespace's routing through `env.addrType`. Types may be a comma list and negated.
 * `--limit-iface-in/out` ask about the input or output device only (inet_dev_addr_type): an
 * address routed locally through another device is UNICAST there.
 */
import type { MatchSpec } from '../../rule.js';
import type { AddrType } from '../../api.js';
import { arg, eachOpt } from '../opts.js';
import type { Matcher } from './types.js';

/** `-m addrtype`. */
export function addrtypeMatch(spec: MatchSpec): Matcher {
  const where = '-m addrtype';
  const tests: { readonly pick: 'src' | 'dst'; readonly types: ReadonlySet<AddrType>; readonly neg: boolean }[] = [];
  let limit: 'inDev' | 'outDev' | undefined;
  const side = (pick: 'src' | 'dst') => (o: { args: readonly string[]; neg: boolean; name: string }) => {
    tests.push({ pick, types: new Set(arg(o, where).split(',') as AddrType[]), neg: o.neg });
  };
  eachOpt(spec.opts, where, {
    '--src-type': side('src'),
    '--dst-type': side('dst'),
    '--limit-iface-in': () => void (limit = 'inDev'),
    '--limit-iface-out': () => void (limit = 'outDev'),
  });
  return (c) => {
    const dev = limit === undefined ? undefined : c.env[limit];
    return tests.every((t) => t.types.has(c.env.addrType(c.pkt[t.pick], dev)) !== t.neg);
  };
}
