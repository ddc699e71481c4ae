/**
 * A map keyed by prefix id (prefixes.ts) that is a `Map` while it is sparse and becomes an
 * array indexed by prefix id once it holds a good share of all prefixes. A full-mesh session
 * carries one route (a `Map` of one), a route reflector client's session carries every block
 * (an array: 8 bytes a slot instead of a hash entry's ~40, so dense pays once a fifth of the slots are used), which keeps the 5,000-node RR
 * design's tables to a few hundred MiB and the garbage collector out of the way.
 *
 * Iteration: insertion order while a `Map`, prefix-id order once dense; deterministic either way.
 */
import type { PrefixTable } from './prefixes.js';

/** Below this many entries a map never goes dense. */
const DENSE_MIN = 64;

export class PrefixMap<V> {
  private sparse: Map<number, V> | undefined = new Map();
  private dense: (V | undefined)[] | undefined;
  private count = 0;

  constructor(private readonly universe: PrefixTable) {}

  get size(): number {
    return this.sparse?.size ?? this.count;
  }

  get(k: number): V | undefined {
    return this.sparse !== undefined ? this.sparse.get(k) : this.dense![k];
  }

  has(k: number): boolean {
    return this.get(k) !== undefined;
  }

  set(k: number, v: V): void {
    const sparse = this.sparse;
    if (sparse !== undefined) {
      sparse.set(k, v);
      if (sparse.size >= DENSE_MIN && sparse.size * 5 >= this.universe.size) this.densify(sparse);
      return;
    }
    const dense = this.dense!;
    if (dense[k] === undefined) this.count++;
    dense[k] = v;
  }

  delete(k: number): boolean {
    if (this.sparse !== undefined) return this.sparse.delete(k);
    const dense = this.dense!;
    if (dense[k] === undefined) return false;
    dense[k] = undefined;
    this.count--;
    return true;
  }

  *entries(): IterableIterator<[number, V]> {
    if (this.sparse !== undefined) {
      yield* this.sparse.entries();
      return;
    }
    const dense = this.dense!;
    for (let k = 0; k < dense.length; k++) {
      const v = dense[k];
      if (v !== undefined) yield [k, v];
    }
  }

  *keys(): IterableIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }

  private densify(sparse: Map<number, V>): void {
    const dense = new Array<V | undefined>(this.universe.size).fill(undefined);
    for (const [k, v] of sparse) dense[k] = v;
    this.dense = dense;
    this.count = sparse.size;
    this.sparse = undefined;
  }
}
