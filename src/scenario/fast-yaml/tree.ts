/**
 * The fast reader's documents as the loader's {@link DocTree}s: the value read on the bulk
 * pass, positions read again (once per document) when the first diagnostic asks for one.
 */
import type { DocTree, PathPart, YamlPath } from '../source.js';
import { offsetOfPath, type PosNode } from './positions.js';
import { type DocPlace, type FastRead, readFast, readFastEach, readPositioned, readPositionedItem } from './stream.js';
import { Decline, type Unclosed } from './scalar.js';

/** What the fast reader read of a file: its documents, and the syntax error that ends it, if any. */
export interface FastDocs {
  readonly docs: DocTree[];
  readonly error?: FastError;
}

/** yaml's message for the error and the offset the loader reports it at. */
export interface FastError {
  readonly message: string;
  readonly offset: number;
}

/** The documents of `text` read by the fast reader, or undefined when it leaves the text to yaml. */
export function readFastDocs(text: string): FastDocs | undefined {
  let read: FastRead;
  try {
    read = readFast(text);
  } catch (e) {
    if (e instanceof Decline) return undefined;
    // A stack overflow or a bug of the fast reader: yaml reads the file as it always did.
    return undefined;
  }
  const docs = read.docs.map((doc) => new FastTree(text, doc, doc.value));
  return withError({ docs }, read.unclosed);
}

/** The syntax error the fast reader reports itself, as the loader reports it. */
function withError<T extends object>(read: T, open: Unclosed | undefined): T & { readonly error?: FastError } {
  // parse-yaml.ts's message for MISSING_CHAR, which source.ts moves to the opening quote.
  return open === undefined ? read : { ...read, error: { message: `Missing closing ${open.quote}quote: this quoted string is never closed`, offset: open.offset } };
}

/**
 * Reads `text` with the fast reader, handing each document to `each` as soon as it is read,
 * with its value (the tree keeps none: once `each` is done with it, the value may die young).
 * Undefined when the fast reader leaves the text to yaml, possibly after some documents were
 * handed over (the caller drops what it made of them); what `each` throws is thrown on.
 */
export function readFastEachDoc(text: string, each: (tree: DocTree, value: unknown) => void): { readonly error?: FastError } | undefined {
  let failed: { readonly thrown: unknown } | undefined;
  let open: Unclosed | undefined;
  try {
    open = readFastEach(text, (place, value) => {
      try {
        each(new FastTree(text, place, undefined), value);
      } catch (e) {
        failed = { thrown: e };
        throw e;
      }
    });
  } catch (e) {
    if (failed !== undefined) throw failed.thrown;
    // A Decline, a stack overflow or a bug of the fast reader: yaml reads the file as it always did.
    return undefined;
  }
  return withError({}, open);
}

/**
 * A document read by the fast path as a {@link DocTree}: one object a document (not three
 * closures), as a 5 MB scenario may hold 30,000 documents.
 */
class FastTree implements DocTree {
  private positions: PosNode | undefined;
  private itemPositions: Map<number, PosNode> | undefined;

  constructor(
    private readonly text: string,
    private readonly doc: DocPlace,
    /** Kept only when the documents are read in one batch (readFastDocs); never read through here when streamed. */
    private readonly value: unknown,
  ) {}

  toJS(): unknown {
    return this.value;
  }

  /**
   * Every object and listed node asks where it starts (its `pos`): the root is known without
   * reading positions, and so is where each object of a `kind: List` and each node of a
   * Cluster's `spec.nodes` starts (kept on the bulk pass); below one of those, only it is read
   * again.
   */
  offsetOf(path: YamlPath, part: PathPart): number {
    const doc = this.doc;
    if (path.length === 0) return doc.root;
    // The item's index in `path`: items[i] or spec.nodes[i].
    const k = path[0] === 'items' ? 1 : path[0] === 'spec' && path[1] === 'nodes' ? 2 : 0;
    const list = k === 1 ? doc.items : k === 2 ? doc.nodes : undefined;
    const i = path[k];
    const start = list !== undefined && typeof i === 'number' ? list.starts[i] : undefined;
    if (list === undefined || start === undefined || typeof i !== 'number') return offsetOfPath((this.positions ??= readPositioned(this.text, doc)), path, part);
    if (path.length === k + 1) return start;
    this.itemPositions ??= new Map();
    // Items by index, nodes by the one's complement of theirs.
    const key = k === 1 ? i : ~i;
    let item = this.itemPositions.get(key);
    if (item === undefined) {
      item = readPositionedItem(this.text, list, start);
      this.itemPositions.set(key, item);
    }
    return offsetOfPath(item, path.slice(k + 1), part);
  }

  aliasOffset(): number | undefined {
    return undefined;
  }
}
