/**
 * A square table whose cells are computed once per situation: `results` holds what was
 * computed, `index[from * n + to]` says which result a cell shares, and `pairs` which pod pair
 * each result was computed for (the pair a reader opens to see the trace). One Int32Array
 * instead of a million objects keeps a 1,000 × 1,000 table small.
 */
import { InternalError } from '../../diag/diagnostic.js';
import type { PodClasses } from './classes.js';

/** The computed cells and where each cell's result is. */
export interface SharedTable<T> {
  readonly n: number;
  readonly results: readonly T[];
  readonly pairs: readonly (readonly [number, number])[];
  readonly index: Int32Array;
}

/** Called after each computed result: `done` of `total`. */
export type Progress = (done: number, total: number) => void;

/** The result of cell `[from][to]`. */
export function cellOf<T>(t: SharedTable<T>, from: number, to: number): T {
  const r = t.results[t.index[from * t.n + to] ?? -1];
  if (r === undefined) throw new InternalError(`matrix cell ${from},${to} was never computed`);
  return r;
}

/** How many results grouping by `classes` computes: every ordered pair of classes, plus each class's own other-member pair and diagonal. */
export function groupedCount(classes: PodClasses): number {
  const c = classes.members.length;
  const pairsWithin = classes.members.filter((m) => m.length >= 2).length;
  return c * (c - 1) + pairsWithin + c;
}

/**
 * Every cell of an n × n table, computing `cell(from, to)` once per pair of classes: a pair of
 * distinct classes on their representatives, a class with itself on its first two members, and
 * the diagonal on each class's representative.
 */
export function groupedTable<T>(classes: PodClasses, cell: (from: number, to: number) => T, progress?: Progress): SharedTable<T> {
  const n = classes.classOf.length;
  const index = new Int32Array(n * n).fill(-1);
  const results: T[] = [];
  const pairs: (readonly [number, number])[] = [];
  const total = groupedCount(classes);
  const compute = (from: number, to: number): number => {
    results.push(cell(from, to));
    pairs.push([from, to]);
    progress?.(results.length, total);
    return results.length - 1;
  };
  const { members } = classes;
  for (const [ci, a] of members.entries()) {
    for (const [cj, b] of members.entries()) {
      const [ra, rb] = [a[0], b[0]];
      if (ra === undefined || rb === undefined) continue;
      if (ci === cj) {
        const second = a[1];
        const shared = second === undefined ? -1 : compute(ra, second);
        for (const i of a) for (const j of a) if (i !== j) index[i * n + j] = shared;
        const self = compute(ra, ra);
        for (const i of a) index[i * n + i] = self;
      } else {
        const r = compute(ra, rb);
        for (const i of a) for (const j of b) index[i * n + j] = r;
      }
    }
  }
  return { n, results, pairs, index };
}

/** Every cell computed on its own pair (what grouping must equal). */
export function cellByCellTable<T>(n: number, cell: (from: number, to: number) => T, progress?: Progress): SharedTable<T> {
  const index = new Int32Array(n * n);
  const results: T[] = [];
  const pairs: (readonly [number, number])[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      index[i * n + j] = results.length;
      results.push(cell(i, j));
      pairs.push([i, j]);
      progress?.(results.length, n * n);
    }
  }
  return { n, results, pairs, index };
}
