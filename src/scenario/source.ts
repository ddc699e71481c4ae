/**
 * Scenario texts → YAML documents that remember where every node came from, and the one
 * function that maps a path inside a document (`['spec', 'ports', 0, 'targetPort']`) to
 * `file:line:col`. Every scenario diagnostic gets its position here.
 */
import { type Document, type Pair, type YAMLMap, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import { type Diagnostic, type SourcePos, error } from '../diag/diagnostic.js';
import { type LineStarts, lineStarts } from '../diag/lines.js';
import { badCharacter, manifestProblems } from './manifest-check.js';
import { readFastDocs } from './fast-yaml/tree.js';
import { type CstFacts, MAX_DEPTH, parseYaml } from './parse-yaml.js';

/** A scenario file as the CLI hands it over: a name for messages and the text. */
export interface ScenarioFile {
  readonly path: string;
  readonly text: string;
}

/** A path into a YAML document: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** One YAML document, with what is needed to locate its nodes. */
export interface SourceDoc {
  readonly file: string;
  readonly tree: DocTree;
  readonly lines: LineStarts;
}

/**
 * What the readers need of a document: its value and where its nodes start. yaml's composed
 * Document gives both ({@link yamlTree}); the fast reader gives the value and reads positions
 * again on demand (fast-yaml/tree.ts).
 */
export interface DocTree {
  /** The document as plain values, as yaml's `Document.toJS()`; throws on an alias bomb. */
  toJS(): unknown;
  /** The offset of `path` (see {@link positionOf}). */
  offsetOf(path: YamlPath, part: PathPart): number;
  /** The offset of the document's first alias, if any. */
  aliasOffset(): number | undefined;
}

/** Which YAML reader the loader uses: the fast one (falling back to yaml) or yaml alone. */
export type YamlReader = 'fast' | 'library';

/** Loader options. */
export interface LoadOptions {
  /** `library` reads every file with yaml (the fast reader's reference); default `fast`. */
  readonly yamlReader?: YamlReader;
}

/**
 * Offsets at which each line starts (diag/lines.ts). Computed from the text rather than with
 * yaml's LineCounter, which misses newlines inside tokens it recovers from after a syntax error.
 */
export { type LineStarts, lineStarts };

/** Which part of a mapping entry a position points at: the key or the value. */
export type PathPart = 'key' | 'value';

/**
 * Parses every file into documents. YAML syntax errors become `SCN_YAML_SYNTAX`; YAML that
 * parses but is no manifest gets the codes of manifest-check.ts; a document nested too deep,
 * `SCN_TOO_DEEP`. Such documents are skipped, and so are empty ones (`---` with nothing after
 * it), as kubectl skips them.
 */
export function parseSources(files: readonly ScenarioFile[], options: LoadOptions = {}): { docs: SourceDoc[]; diagnostics: Diagnostic[] } {
  const docs: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const { lines, locate, bad } = openFile(file);
    if (bad !== undefined) {
      diagnostics.push(bad);
      continue;
    }
    const fast = options.yamlReader === 'library' ? undefined : readFastDocs(file.text);
    if (fast !== undefined) {
      for (const doc of fast.docs) docs.push({ file: file.path, tree: doc, lines });
      if (fast.error !== undefined) diagnostics.push(error('SCN_YAML_SYNTAX', fast.error.message, locate(fast.error.offset)));
      continue;
    }
    parseWithYaml(file, lines, docs, diagnostics);
  }
  return { docs, diagnostics };
}

/** A file's line starts, the offset → position map, and the first character YAML refuses in it, if any. */
export function openFile(file: ScenarioFile): { readonly lines: LineStarts; readonly locate: (offset: number) => SourcePos; readonly bad?: Diagnostic } {
  const lines = lineStarts(file.text);
  const locate = (offset: number): SourcePos => offsetPos(file.path, lines, offset);
  const bad = badCharacter(file.text, locate);
  return bad === undefined ? { lines, locate } : { lines, locate, bad };
}

/** One file through yaml (parse-yaml.ts): its usable documents to `docs`, its problems to `diagnostics`. */
export function parseWithYaml(file: ScenarioFile, lines: LineStarts, docs: SourceDoc[], diagnostics: Diagnostic[]): void {
  const locate = (offset: number): SourcePos => offsetPos(file.path, lines, offset);
  const parsed = parseYaml(file.text);
  parsed.docs.forEach((doc, i) => {
    const deep = parsed.tooDeep.get(i);
    if (deep !== undefined) {
      diagnostics.push(error('SCN_TOO_DEEP', `collections nest more than ${MAX_DEPTH} levels deep here; no Kubernetes object is that deep`, locate(deep)));
      return;
    }
    const problems = documentProblems(doc, parsed.facts, locate);
    diagnostics.push(...problems);
    if (problems.length === 0 && !isEmpty(doc)) docs.push({ file: file.path, tree: yamlTree(doc), lines });
  });
  const streamFirst = parsed.streamErrors[0];
  if (streamFirst !== undefined) diagnostics.push(error('SCN_YAML_SYNTAX', cleanMessage(streamFirst.message), locate(streamFirst.pos[0])));
}

/** The document's syntax error (only the first: the parser's later ones are mostly echoes of it), else its manifest problems. */
function documentProblems(doc: Document.Parsed, facts: CstFacts, locate: (offset: number) => SourcePos): Diagnostic[] {
  const first = doc.errors[0];
  if (first === undefined) return manifestProblems(doc, facts, locate);
  // yaml reports a missing closing quote where the text ends; the reader wants the opening one.
  const opened = first.code === 'MISSING_CHAR' && /quote/.test(first.message) ? facts.quoteStartByEnd.get(first.pos[0]) : undefined;
  const message = opened === undefined ? cleanMessage(first.message) : `${cleanMessage(first.message)}: this quoted string is never closed`;
  return [error('SCN_YAML_SYNTAX', message, locate(opened ?? first.pos[0]))];
}

/** `---` followed by nothing (or only comments). */
function isEmpty(doc: Document.Parsed): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.source === '' && doc.contents.value === null);
}

/** The 1-based position of a character offset. */
export function offsetPos(file: string, lines: LineStarts, offset: number): SourcePos {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { file, line: lo + 1, col: Math.max(0, offset - (lines[lo] ?? 0)) + 1 };
}

/**
 * The position of `path` in a document: the value's first character, or the key's when
 * `part` is `key` (unknown fields point at their name). When the path leads nowhere (a
 * missing field, a key inside a merged mapping) it returns the deepest node that exists, so
 * "missing field" points at the mapping that lacks it.
 */
export function positionOf(src: SourceDoc, path: YamlPath, part: PathPart = 'value'): SourcePos {
  return offsetPos(src.file, src.lines, src.tree.offsetOf(path, part));
}

/** A composed yaml Document as a {@link DocTree}. */
export function yamlTree(doc: Document.Parsed): DocTree {
  return {
    toJS: () => doc.toJS({ maxAliasCount: 1000 }),
    offsetOf: (path, part) => yamlOffsetOf(doc, path, part),
    aliasOffset: () => {
      let at: number | undefined;
      visit(doc, {
        Alias: (_key, node) => {
          at = node.range?.[0];
          return visit.BREAK;
        },
      });
      return at;
    },
  };
}

function yamlOffsetOf(doc: Document.Parsed, path: YamlPath, part: PathPart): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? doc.range[0];
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = pairIndex(node).get(String(seg));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      if (i === path.length - 1 && part === 'key' && keyStart !== undefined) return keyStart;
      next = pair.value ?? undefined;
      const valueStart = rangeStart(next);
      // `key:` with nothing after it has no value node: point at the key.
      if (valueStart === undefined) return keyStart ?? offset;
      offset = valueStart;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      const start = rangeStart(next);
      if (start === undefined) break;
      offset = start;
    } else break;
    node = next;
  }
  return offset;
}

/** A mapping's pairs by key text (the first of repeated keys), built once per mapping. */
const PAIR_INDEX = new WeakMap<YAMLMap, ReadonlyMap<string, Pair>>();

/**
 * Looks keys up through an index rather than scanning: one diagnostic per key of a mapping
 * with 30,000 keys (unknown fields, labels of the wrong type) made a scan quadratic.
 */
function pairIndex(map: YAMLMap): ReadonlyMap<string, Pair> {
  let index = PAIR_INDEX.get(map);
  if (index === undefined) {
    const built = new Map<string, Pair>();
    for (const p of map.items) if (isScalar(p.key) && !built.has(String(p.key.value))) built.set(String(p.key.value), p);
    PAIR_INDEX.set(map, built);
    index = built;
  }
  return index;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

/** yaml's messages end with " at line L, column C" even without pretty errors; we print our own. */
function cleanMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
