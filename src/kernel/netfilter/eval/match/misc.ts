/**
 * Matches that do not look at much: `-m comment` (always), `-m limit` and `-m hashlimit`
 * (always: netsim has no packet rates, documented), `-m nfacct` (a counter; always) and
 * `-m iprange --src-range/--dst-range A-B`.
 */
import { parseIp } from '../../../../addr/ip.js';
import { InternalError } from '../../../../diag/diagnostic.js';
import type { MatchSpec } from '../../rule.js';
import { arg, eachOpt } from '../opts.js';
import { ALWAYS, type Matcher } from './types.js';

/** A matcher that accepts any option and always matches. */
export const alwaysMatch = (): Matcher => ALWAYS;

/** `-m iprange`. */
export function iprangeMatch(spec: MatchSpec): Matcher {
  const where = '-m iprange';
  const tests: Matcher[] = [];
  const side = (pick: 'src' | 'dst') => (o: { args: readonly string[]; neg: boolean; name: string }) => {
    const [a, b] = arg(o, where).split('-').map((t) => parseIp(t));
    if (a === undefined || b === undefined) throw new InternalError(`${where}: bad range ${arg(o, where)}`);
    tests.push((c) => {
      const x = c.pkt[pick];
      return (x.family === a.family && x.value >= a.value && x.value <= b.value) !== o.neg;
    });
  };
  eachOpt(spec.opts, where, { '--src-range': side('src'), '--dst-range': side('dst') });
  return (c) => tests.every((t) => t(c));
}
