/**
 * The names a stub resolver asks for, in order (glibc res_search): a name ending in a dot is
 * asked as it is; one with at least `ndots` dots is asked as it is first, then with each search
 * domain; one with fewer dots gets the search domains first and is asked as it is last.
 */
import { type ResolvConf, ndotsOf } from './resolv-conf.js';

/** The queries, in order, and the rule that ordered them. */
export interface SearchPlan {
  readonly names: readonly string[];
  readonly rule: string;
}

/** res_search's order for `name` under `conf`; every name is absolute (ends in a dot). */
export function searchPlan(name: string, conf: ResolvConf): SearchPlan {
  if (name.endsWith('.')) return { names: [name], rule: `${name} ends in a dot: asked as it is, no search list` };
  const dots = [...name].filter((c) => c === '.').length;
  const ndots = ndotsOf(conf);
  const searched = conf.searches.map((s) => `${name}.${s.endsWith('.') ? s : `${s}.`}`);
  const asIs = `${name}.`;
  if (dots >= ndots) return { names: [asIs, ...searched], rule: `${name} has ${dots} dot${dots === 1 ? '' : 's'}, not fewer than ndots:${ndots}: asked as it is first, then with the search list` };
  return { names: [...searched, asIs], rule: `${name} has ${dots} dot${dots === 1 ? '' : 's'}, fewer than ndots:${ndots}: the search list first, then as it is` };
}
