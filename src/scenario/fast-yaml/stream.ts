/**
 * A file's documents through the fast reader (reader.ts): `---` separates them, empty ones
 * are dropped as parse-yaml.ts drops them, `...` and anything after a root node declines.
 */
import type { Listed, PosNode } from './positions.js';
import { EOF, MARK_END, MARK_START, Reader } from './reader.js';
import { Unclosed, decline } from './scalar.js';

/** Where a document read by the fast path lies: what reading its positions again needs. */
export interface DocPlace {
  /** Offset of the root node's first character and of the start of its line. */
  readonly root: number;
  readonly rootLine: number;
  /** Where the items of the block sequences `items` and `spec.nodes` start (see {@link Reader.items}). */
  readonly items: Listed | undefined;
  readonly nodes: Listed | undefined;
}

/** One document read by the fast path: its value and where it lies. */
export interface FastDoc extends DocPlace {
  readonly value: unknown;
}

/** A file read by the fast path: its documents, and the quote its last document leaves open, if any. */
export interface FastRead {
  readonly docs: FastDoc[];
  /** The last document ends in a quote never closed (see {@link Unclosed}): it is not in `docs`. */
  readonly unclosed?: Unclosed;
}

/** The text's documents, or a {@link Decline} thrown when the text is not in the subset. */
export function readFast(text: string): FastRead {
  const docs: FastDoc[] = [];
  const unclosed = readFastEach(text, (place, value) => docs.push({ value, ...place }));
  return unclosed === undefined ? { docs } : { docs, unclosed };
}

/**
 * Reads the text's documents one by one, handing each to `each` as soon as it is read (so that
 * its values can die young); returns the quote the last document leaves open, if any. Throws
 * {@link Decline} when the text is not in the subset, possibly after some documents were handed
 * over: the caller then drops what it made of them.
 */
export function readFastEach(text: string, each: (place: DocPlace, value: unknown) => void): Unclosed | undefined {
  // Characters the subset leaves to yaml wherever they are: tabs, CR, BOM, and the directive,
  // anchor, alias and tag indicators are checked where they start a node.
  if (/[\t\r\uFEFF]/.test(text)) decline('tab, CR or BOM');
  const r = new Reader(text, false);
  let read = 0;
  r.next(0);
  while (r.ci !== EOF) {
    if (r.ci === MARK_END) decline('...');
    if (r.ci === MARK_START) {
      r.endLine(r.cp + 3, true);
      const after = r.ci as number;
      if (after === EOF || after === MARK_START) continue;
      if (after === MARK_END) decline('...');
    } else if (read > 0) decline('content after a document');
    const root = r.cp;
    const rootLine = r.ls;
    let value: unknown;
    r.items = undefined;
    r.nodes = undefined;
    try {
      value = r.node(root, -1);
    } catch (e) {
      if (e instanceof Unclosed) return e;
      throw e;
    }
    if (r.ci >= 0) decline('content after the root node');
    read++;
    each({ root, rootLine, items: r.items, nodes: r.nodes }, value);
  }
  return undefined;
}

/**
 * The positions of the nodes of one item of a {@link Listed} sequence (a `kind: List` object, a
 * Cluster's node), read again: a List's objects are located one at a time, not the whole List.
 */
export function readPositionedItem(text: string, list: Listed, start: number): PosNode {
  const r = new Reader(text, true);
  r.ls = text.lastIndexOf('\n', start - 1) + 1;
  r.node(start, list.indent);
  return r.pos as PosNode;
}

/** The positions of one document's nodes (its root at `doc.root`), read again. */
export function readPositioned(text: string, doc: DocPlace): PosNode {
  const r = new Reader(text, true);
  r.ls = doc.rootLine;
  r.node(doc.root, -1);
  return r.pos as PosNode;
}
