/**
 * Scenario texts → YAML documents that remember where every node came from, and the one
 * function that maps a path inside a document (`['spec', 'ports', 0, 'targetPort']`) to
 * `file:line:col`. Every scenario diagnostic gets its position here.
 */
import { type Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
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
  readonly lines: LineCounter;
}

/** Which part of a mapping entry a position points at: the key or the value. */
export type PathPart = 'key' | 'value';

/** Parses every file into documents; YAML syntax errors become `SCN_YAML_SYNTAX`. */
export function parseSources(files: readonly ScenarioFile[]): { docs: SourceDoc[]; diagnostics: Diagnostic[] } {
  const docs: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const lines = new LineCounter();
    const parsed = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const streamErrors = 'empty' in parsed ? parsed.errors : [];
    for (const e of streamErrors) diagnostics.push(error('SCN_YAML_SYNTAX', cleanMessage(e.message), offsetPos(file.path, lines, e.pos[0])));
    for (const doc of parsed) {
      const errs = doc.errors;
      for (const e of errs) diagnostics.push(error('SCN_YAML_SYNTAX', cleanMessage(e.message), offsetPos(file.path, lines, e.pos[0])));
      if (errs.length === 0 && doc.contents !== null) docs.push({ file: file.path, doc, lines });
    }
  }
  return { docs, diagnostics };
}

/** The 1-based position of a character offset. */
export function offsetPos(file: string, lines: LineCounter, offset: number): SourcePos {
  const { line, col } = lines.linePos(Math.max(0, offset));
  return { file, line, col };
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
