/**
 * Reading the `ip -j` / `bridge -j` files of a node dump: a top-level JSON array whose elements
 * are objects, each with the line and column where it starts (iproute2 prints the whole array on
 * one line, so the column is what tells entries apart). Typed field readers report a wrong type
 * as a diagnostic at the entry instead of throwing.
 */
import { type Diagnostic, type SourcePos, error } from '../../diag/diagnostic.js';
import { jsonErrorAt } from './json-error.js';

/** One element of the array: the object and where it starts. */
export interface JsonEntry {
  readonly obj: Readonly<Record<string, unknown>>;
  readonly pos: SourcePos;
}

/** Line and column (1-based) of a character offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/** Offsets where each element of the top-level array starts (a scan that skips strings). */
function elementStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      if (depth === 1 && expectValue) starts.push(i);
      expectValue = false;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 1 && expectValue) starts.push(i);
    expectValue = false;
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  return starts;
}

/**
 * Parses an `ip -j` file: a JSON array of objects. A syntax error is `HOST_DUMP_JSON` at the line
 * and column where the parser stopped; an element that is not an object is skipped with the same code.
 * An empty file reads as `[]` (`ip -j neigh` prints nothing in a namespace without neighbours on
 * some iproute2 versions).
 */
export function parseJsonArray(text: string, file: string): { entries: JsonEntry[]; diagnostics: Diagnostic[] } {
  if (text.trim() === '') return { entries: [], diagnostics: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = jsonErrorAt(text) ?? { offset: text.length, expected: 'a value' };
    const got = at.offset >= text.length ? 'the end of the file' : JSON.stringify(text[at.offset]);
    return { entries: [], diagnostics: [error('HOST_DUMP_JSON', `not JSON as ip -j prints it: expected ${at.expected}, found ${got}`, { file, ...lineCol(text, at.offset) })] };
  }
  if (!Array.isArray(value)) return { entries: [], diagnostics: [error('HOST_DUMP_JSON', 'expected a JSON array (the output of ip -j …)', { file, line: 1, col: 1 })] };
  const starts = elementStarts(text);
  const entries: JsonEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  value.forEach((v: unknown, i) => {
    const pos = { file, ...lineCol(text, starts[i] ?? 0) };
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) entries.push({ obj: v as Record<string, unknown>, pos });
    else diagnostics.push(error('HOST_DUMP_JSON', `entry ${i + 1} is not a JSON object`, pos));
  });
  return { entries, diagnostics };
}

/** Field readers that record a diagnostic at the entry when a field has the wrong type. */
export class FieldReader {
  constructor(
    private readonly e: JsonEntry,
    private readonly out: Diagnostic[],
    private readonly what: string,
  ) {}

  private bad(key: string, want: string): undefined {
    this.out.push(error('HOST_DUMP_FIELD', `${this.what}: "${key}" should be ${want}, got ${JSON.stringify(this.e.obj[key])}`, this.e.pos));
    return undefined;
  }

  /** A string field; undefined when absent (or wrong, with a diagnostic). */
  str(key: string): string | undefined {
    const v = this.e.obj[key];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : this.bad(key, 'a string');
  }

  /** A number field. */
  num(key: string): number | undefined {
    const v = this.e.obj[key];
    if (v === undefined) return undefined;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.bad(key, 'a number');
  }

  /** A boolean field. */
  bool(key: string): boolean | undefined {
    const v = this.e.obj[key];
    if (v === undefined) return undefined;
    return typeof v === 'boolean' ? v : this.bad(key, 'true or false');
  }

  /** A list of strings (`flags`, `state`). */
  strs(key: string): string[] | undefined {
    const v = this.e.obj[key];
    if (v === undefined) return undefined;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : this.bad(key, 'a list of strings');
  }

  /** A nested object. */
  obj(key: string): Readonly<Record<string, unknown>> | undefined {
    const v = this.e.obj[key];
    if (v === undefined) return undefined;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : this.bad(key, 'an object');
  }

  /** A required string: a diagnostic when it is missing. */
  need(key: string): string | undefined {
    const v = this.str(key);
    if (v === undefined && this.e.obj[key] === undefined) this.out.push(error('HOST_DUMP_FIELD', `${this.what}: "${key}" is missing`, this.e.pos));
    return v;
  }

  /** A reader over a nested object, positioned at the same entry. */
  sub(obj: Readonly<Record<string, unknown>>, what: string): FieldReader {
    return new FieldReader({ obj, pos: this.e.pos }, this.out, what);
  }
}
