/**
 * `{ ...o, [key]: value }` made so that the copies share one hidden class. In Node 20's V8 an
 * object literal that spreads another and then adds a key gets a hidden class of its own, new
 * for each object made: 10,000 Deployments' ReplicaSets (their templates, labels and selectors)
 * made 40,000 of them in large.yaml, each with its own descriptors and enum cache, and every
 * later read of those objects (pod selection, the template of each of 150,000 pods) missed the
 * engine's inline caches. Keys added one by one to `{}` follow the shared transitions instead.
 * with-key.test.ts holds the copies equal to the spread, key order included.
 */

/** `{ ...o, [key]: value }`: o's own enumerable keys in order, `key` last unless o has it. */
export function withKey<T extends object>(o: T, key: string, value: unknown): T {
  const from = o as Record<string, unknown>;
  // A `__proto__` key (yaml reads one as an own property) would set the copy's prototype.
  if (key === '__proto__' || Object.prototype.hasOwnProperty.call(from, '__proto__')) return { ...o, [key]: value };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(from)) out[k] = from[k];
  out[key] = value;
  return out as T;
}
