/**
 * The fast reader's documents as the loader's {@link DocTree}s: the value read on the bulk
 * pass, positions read again (once per document) when the first diagnostic asks for one.
 */
import type { DocTree } from '../source.js';
import { offsetOfPath, type PosNode } from './positions.js';
import { type FastDoc, readFast, readPositioned } from './stream.js';
import { Decline } from './scalar.js';

/** The documents of `text` read by the fast reader, or undefined when it leaves the text to yaml. */
export function readFastDocs(text: string): DocTree[] | undefined {
  let docs: FastDoc[];
  try {
    docs = readFast(text);
  } catch (e) {
    if (e instanceof Decline) return undefined;
    // A stack overflow or a bug of the fast reader: yaml reads the file as it always did.
    return undefined;
  }
  return docs.map((doc) => fastTree(text, doc));
}

function fastTree(text: string, doc: FastDoc): DocTree {
  let positions: PosNode | undefined;
  return {
    toJS: () => doc.value,
    // Every object asks where it starts (its `pos`): the root is known without reading positions.
    offsetOf: (path, part) => (path.length === 0 ? doc.root : offsetOfPath((positions ??= readPositioned(text, doc)), path, part)),
    aliasOffset: () => undefined,
  };
}
