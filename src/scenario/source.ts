/**
 * Scenario texts → YAML documents that remember where every node came from, and the one
 * function that maps a path inside a document (`['spec', 'ports', 0, 'targetPort']`) to
 * `file:line:col`. Every scenario diagnostic gets its position here.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { type Diagnostic, type SourcePos, error } from '../diag/diagnostic.js';

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
  readonly doc: Document.Parsed;
  readonly lines: LineStarts;
}

/**
 * Offsets at which each line starts. Computed from the text rather than with yaml's
 * LineCounter, which misses newlines inside tokens it recovers from after a syntax error.
 */
export type LineStarts = readonly number[];

/** The line starts of a text (`\n` ends a line; a `\r` before it counts as a character). */
export function lineStarts(text: string): LineStarts {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Which part of a mapping entry a position points at: the key or the value. */
export type PathPart = 'key' | 'value';

/** Parses every file into documents; YAML syntax errors become `SCN_YAML_SYNTAX`. */
export function parseSources(files: readonly ScenarioFile[]): { docs: SourceDoc[]; diagnostics: Diagnostic[] } {
  const docs: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const lines = lineStarts(file.text);
    const parsed = parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: true, merge: true });
    const streamErrors = 'empty' in parsed ? parsed.errors : [];
    for (const doc of parsed) {
      // Only the first error of a document: the parser's later ones are mostly echoes of it.
      const first = doc.errors[0];
      if (first !== undefined) diagnostics.push(error('SCN_YAML_SYNTAX', cleanMessage(first.message), offsetPos(file.path, lines, first.pos[0])));
      else if (doc.contents !== null) docs.push({ file: file.path, doc, lines });
    }
    const streamFirst = streamErrors[0];
    if (streamFirst !== undefined) diagnostics.push(error('SCN_YAML_SYNTAX', cleanMessage(streamFirst.message), offsetPos(file.path, lines, streamFirst.pos[0])));
  }
  return { docs, diagnostics };
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
  let node: unknown = src.doc.contents;
  let offset = rangeStart(node) ?? src.doc.range[0];
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(src.doc);
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      if (i === path.length - 1 && part === 'key' && keyStart !== undefined) return offsetPos(src.file, src.lines, keyStart);
      next = pair.value ?? undefined;
      const valueStart = rangeStart(next);
      // `key:` with nothing after it has no value node: point at the key.
      if (valueStart === undefined) return offsetPos(src.file, src.lines, keyStart ?? offset);
      offset = valueStart;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      const start = rangeStart(next);
      if (start === undefined) break;
      offset = start;
    } else break;
    node = next;
  }
  return offsetPos(src.file, src.lines, offset);
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
