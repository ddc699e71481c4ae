/**
 * Where the nodes of a document read by the fast path start, as yaml's `range[0]` gives them,
 * and {@link offsetOfPath}, the fast path's `positionOf`: the same walk over the same offsets.
 */
import type { PathPart, YamlPath } from '../source.js';

/** A scalar (or an empty value): where it starts. */
export interface PosScalar {
  readonly start: number;
}
/** A mapping: where it starts, and each key's start and value by key. */
export interface PosMap {
  readonly start: number;
  readonly entries: Map<string, { readonly keyStart: number; readonly value: PosNode }>;
}
/** A sequence: where it starts, and its items. */
export interface PosSeq {
  readonly start: number;
  readonly items: PosNode[];
}
export type PosNode = PosScalar | PosMap | PosSeq;

export function scalarPos(start: number): PosScalar {
  return { start };
}

/**
 * The offset of `path` in a document: as source.ts's `positionOf` does on yaml's nodes, the
 * value's start (the key's with `part: 'key'`), or the deepest node on the path that exists.
 */
export function offsetOfPath(root: PosNode, path: YamlPath, part: PathPart): number {
  let node: PosNode = root;
  let offset = root.start;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] ?? '';
    if ('entries' in node) {
      const entry = node.entries.get(String(seg));
      if (entry === undefined) break;
      if (i === path.length - 1 && part === 'key') return entry.keyStart;
      node = entry.value;
    } else if ('items' in node && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
    } else break;
    offset = node.start;
  }
  return offset;
}
