/**
 * Where the nodes of a document read by the fast path start, as yaml's `range[0]` gives them,
 * and {@link offsetOfPath}, the fast path's `positionOf`: the same walk over the same offsets.
 * Kept small, as a whole `kind: List` of 40,000 items may be read for positions: a scalar is
 * its offset, a mapping holds its entries in one flat array (a Map is built for the large ones
 * on lookup): a Map and an object per entry took 90 MB more on a 5 MB `kind: List`.
 */
import type { PathPart, YamlPath } from '../source.js';

/** A mapping: where it starts, and its entries as `key, key's start, value` triples (keys unique). */
export interface PosMap {
  readonly start: number;
  readonly entries: (string | PosNode)[];
  /** Key → index of its triple, built on the first lookup in a large mapping. */
  index?: Map<string, number>;
}
/** A sequence: where it starts, and its items. */
export interface PosSeq {
  readonly start: number;
  readonly items: PosNode[];
}
/** A scalar (or an empty value) is where it starts. */
export type PosNode = number | PosMap | PosSeq;

/** Where each item of a block sequence starts, and the indentation of its dashes. */
export interface Listed {
  readonly starts: readonly number[];
  readonly indent: number;
}

/** A mapping's position record, empty. */
export function posMap(start: number): PosMap {
  return { start, entries: [] };
}

/** Adds an entry to a mapping's record. */
export function posEntry(m: PosMap, key: string, keyStart: number, value: PosNode): void {
  m.entries.push(key, keyStart, value);
}

function startOf(node: PosNode): number {
  return typeof node === 'number' ? node : node.start;
}

function find(m: PosMap, key: string): number {
  const e = m.entries;
  if (e.length < 48) {
    for (let i = 0; i < e.length; i += 3) if (e[i] === key) return i;
    return -1;
  }
  if (m.index === undefined) {
    const index = new Map<string, number>();
    for (let i = 0; i < e.length; i += 3) index.set(e[i] as string, i);
    m.index = index;
  }
  return m.index.get(key) ?? -1;
}

/**
 * The offset of `path` in a document: as source.ts's `positionOf` does on yaml's nodes, the
 * value's start (the key's with `part: 'key'`), or the deepest node on the path that exists.
 */
export function offsetOfPath(root: PosNode, path: YamlPath, part: PathPart): number {
  let node: PosNode = root;
  let offset = startOf(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] ?? '';
    if (typeof node === 'number') break;
    if ('entries' in node) {
      const at = find(node, String(seg));
      if (at < 0) break;
      if (i === path.length - 1 && part === 'key') return node.entries[at + 1] as number;
      node = node.entries[at + 2] as PosNode;
    } else if (typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
    } else break;
    offset = startOf(node);
  }
  return offset;
}
