/**
 * The one allocation rule netsim uses for addresses and ports it picks itself: the lowest
 * values in a range that nobody has taken, in request order. Deterministic by construction,
 * where Kubernetes picks at random; the docs (docs/scenario-format.md) say so.
 */

/** An inclusive range of integers (addresses as bigint, ports as bigint too). */
export interface IntRange {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * The lowest `count` values of `range` not in `taken`, in increasing order. Shorter than
 * `count` when the range runs out: the caller reports exhaustion for the requests left over.
 */
export function lowestFree(range: IntRange, taken: ReadonlySet<bigint>, count: number): bigint[] {
  const out: bigint[] = [];
  for (let v = range.first; v <= range.last && out.length < count; v++) {
    if (!taken.has(v)) out.push(v);
  }
  return out;
}
