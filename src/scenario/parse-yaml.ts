/**
 * One scenario file's text → YAML documents, through yaml's own Parser and Composer with a
 * look at the CST in between. The look is what `parseAllDocuments` cannot give:
 *
 * - nesting depth, measured without recursion on each document's CST before the (recursive)
 *   composer sees it: a document nested deeper than {@link MAX_DEPTH} is refused with
 *   `SCN_TOO_DEEP` instead of overflowing the engine's stack;
 * - where each quoted scalar starts, so that "missing closing quote" (which yaml reports at the
 *   end of the file) points at the opening quote;
 * - where each tag is written (`!!python/object`), for `SCN_YAML_TAG`.
 *
 * Linear in the text: each CST token is visited once.
 */
import { type CST, Composer, type Document, Parser } from 'yaml';

/**
 * How deep collections may nest in one document. Kubernetes objects are a dozen levels deep;
 * yaml's composer overflows the stack near 800, go-yaml (kubectl) stops at 10000
 * (`max_flow_level`, `max_indents` in its scanner).
 */
export const MAX_DEPTH = 100;

/**
 * yaml's options for scenario files. `logLevel: 'error'` keeps warnings off the console.
 * `uniqueKeys` is off because yaml checks it by scanning the map's earlier keys for each key,
 * quadratic in a mapping's size (a 400 KB mapping took 4 s); manifest-check.ts does it with a set.
 */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, merge: true, logLevel: 'error' } as const;

/** What the CST showed about a file. */
export interface CstFacts {
  /** Start offset of each quoted scalar, by its end offset (where yaml reports a missing quote). */
  readonly quoteStartByEnd: ReadonlyMap<number, number>;
  /** Offsets of every tag token, in order. */
  readonly tagOffsets: readonly number[];
}

/** A parsed file: its documents (one per non-empty CST document, in order), refusals and stream errors. */
export interface ParsedYaml {
  readonly docs: readonly Document.Parsed[];
  /** Index in `docs` → offset of the first collection nested too deep. */
  readonly tooDeep: ReadonlyMap<number, number>;
  readonly streamErrors: readonly { readonly message: string; readonly pos: readonly [number, number] }[];
  readonly facts: CstFacts;
}

/** Parses `text` like yaml's `parseAllDocuments`, refusing too deep documents before composing them. */
export function parseYaml(text: string): ParsedYaml {
  const quoteStartByEnd = new Map<number, number>();
  const tagOffsets: number[] = [];
  const tooDeep = new Map<number, number>();
  let index = 0;
  function* checked(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    // An empty document (`---` and nothing) is held back and dropped: yaml builds a whole
    // Document for each (1.3 million `---` took 12 s). Kept when a `...` follows it (the
    // composer wants its document) or a directive precedes it (the directive is its own).
    let held: CST.Document | undefined;
    let directive = false;
    for (const token of tokens) {
      if (held !== undefined && token.type === 'doc-end') yield* admit(held);
      held = undefined;
      if (token.type === 'directive') directive = true;
      if (token.type !== 'document') {
        yield token;
        continue;
      }
      if (token.value === undefined && !directive) {
        held = token;
        continue;
      }
      directive = false;
      yield* admit(token);
    }
  }
  function* admit(token: CST.Document): Generator<CST.Token> {
    const deep = scanDocument(token, { quoteStartByEnd, tagOffsets });
    if (deep !== undefined) tooDeep.set(index, deep);
    index++;
    // The document stays in the stream (so doc-end tokens keep their document) but empty.
    yield deep === undefined ? token : withoutValue(token);
  }
  const composer = new Composer(YAML_OPTIONS);
  const docs = Array.from(composer.compose(checked(new Parser().parse(text))));
  const streamErrors = docs.length === 0 ? composer.streamInfo().errors : [];
  tagOffsets.sort((a, b) => a - b);
  return { docs, tooDeep, streamErrors, facts: { quoteStartByEnd, tagOffsets } };
}

/** The document token with its content dropped. */
function withoutValue(doc: CST.Document): CST.Document {
  const { value: _dropped, ...rest } = doc;
  return rest;
}

/** A CST node and how many collections enclose it. */
type Pending = readonly [CST.Token | undefined, number];

/**
 * Walks a document's CST with an explicit stack, recording quoted scalars and tags; returns
 * the offset of the first collection deeper than {@link MAX_DEPTH}, if any.
 */
function scanDocument(doc: CST.Document, out: { quoteStartByEnd: Map<number, number>; tagOffsets: number[] }): number | undefined {
  const tags = (list: readonly CST.SourceToken[] | undefined): void => {
    for (const t of list ?? []) if (t.type === 'tag') out.tagOffsets.push(t.offset);
  };
  tags(doc.start);
  const stack: Pending[] = [[doc.value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [token, depth] = top;
    if (token === undefined) continue;
    switch (token.type) {
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        out.quoteStartByEnd.set(token.offset + token.source.length, token.offset);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > MAX_DEPTH) return token.offset;
        for (let i = token.items.length - 1; i >= 0; i--) {
          const item = token.items[i];
          if (item === undefined) continue;
          tags(item.start);
          tags(item.sep);
          stack.push([item.value, depth + 1], [item.key ?? undefined, depth + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
