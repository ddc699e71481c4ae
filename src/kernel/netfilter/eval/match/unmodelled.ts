/**
 * A real match netsim does not evaluate (`-m string`, `-m connlimit`, `-m hashlimit`'s cousins,
 * …). Rather than refusing the dump, the rule loads; where a packet reaches it, the injected
 * chooser is asked, as for `-m statistic`, with a label the tracer recognises
 * ({@link UNMODELLED_LABEL}), so `--all-paths` follows both outcomes (match first). The 1/2
 * weights are not a probability of anything: the tracer reports these branches as unknown.
 */
import type { MatchSpec } from '../../rule.js';
import type { Matcher } from './types.js';

/** The chooser label's marker: `TABLE/CHAIN#N not-modelled:-m MODULE`. */
export const UNMODELLED_LABEL = 'not-modelled:';

/** `-m MODULE …` that netsim cannot evaluate. */
export function unmodelledMatch(spec: MatchSpec): Matcher {
  return (c) => c.env.ctx.chooser.choose(`${c.table}/${c.chain}#${c.position} ${UNMODELLED_LABEL}-m ${spec.module}`, [0.5, 0.5]) === 0;
}
