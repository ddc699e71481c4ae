/** SCN_DUPLICATE_NAME: the first object with a name wins, later ones are reported and dropped. */
import type { Field } from '../reader.js';
import { fail } from '../reader.js';

/** The items with a key not seen before, in order; each repeat is reported at its field. */
export function dedupe<T>(items: readonly T[], key: (t: T) => string, field: (t: T) => Field, what: string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) {
      fail(field(item), 'SCN_DUPLICATE_NAME', `${what} ${k} is defined twice; this one is ignored`);
      continue;
    }
    seen.add(k);
    out.push(item);
  }
  return out;
}
