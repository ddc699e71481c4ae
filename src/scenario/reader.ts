/**
 * Typed reads from a YAML value with located diagnostics. A `Field` is a value with its path;
 * the `opt*` readers return undefined for an absent or null field (Kubernetes reads null as
 * unset) and report a value of the wrong type, `req*` readers also report a missing one.
 * Nothing here throws.
 */
import { type Diagnostic, type SourcePos, error, warning } from '../diag/diagnostic.js';
import { type FieldSet } from './fields.js';
import { type PathPart, type SourceDoc, type YamlPath, positionOf } from './source.js';

/** Where a document's diagnostics go, and where its object starts (inside a `List`). */
export interface ReadCtx {
  readonly src: SourceDoc;
  readonly diags: Diagnostic[];
  /** Path of the object inside its document (`['items', 3]` in a List, else empty). */
  readonly root: YamlPath;
}

/** A value read from YAML, with its path from the document root. */
export interface Field {
  readonly ctx: ReadCtx;
  readonly path: YamlPath;
  readonly value: unknown;
}

/** A plain mapping as `toJS` gives it. */
export type YamlMap = Readonly<Record<string, unknown>>;

/** The field of the object at the root of `ctx`. */
export function rootField(ctx: ReadCtx, value: unknown): Field {
  return { ctx, path: ctx.root, value };
}

/** The field of `item` (a `kind: List` item) as the root of its own object. */
export function reroot(item: Field): Field {
  return rootField({ ...item.ctx, root: item.path }, item.value);
}

/**
 * Where a field hangs: its parent's link and its key, without the parent's value. A field
 * kept by a raw object (a name, a port) would otherwise keep its parent, and through it the
 * whole document's values, alive until the spec is built; with links, a document's values die
 * young once its object is read (the loader reads each document as soon as it is parsed).
 */
class PathLink {
  private built: YamlPath | undefined;
  constructor(
    private readonly up: PathLink | YamlPath,
    private readonly key: string | number,
  ) {}

  get path(): YamlPath {
    if (this.built === undefined) {
      const up = this.up;
      this.built = [...(up instanceof PathLink ? up.path : up), this.key];
    }
    return this.built;
  }
}

/**
 * A field below another: its path is built only when asked for (a position or a message).
 * Copying the parent's path for every field read was a tenth of reading a 5 MB scenario, with
 * its garbage.
 */
class ChildField implements Field {
  private own: PathLink | undefined;
  constructor(
    readonly ctx: ReadCtx,
    readonly value: unknown,
    private readonly up: PathLink | YamlPath,
    private readonly key: string | number,
  ) {}

  get path(): YamlPath {
    return this.link().path;
  }

  /** This field's link, made when its first child is (most fields have none). */
  link(): PathLink {
    return (this.own ??= new PathLink(this.up, this.key));
  }
}

/** A child field (mapping key or list index); undefined value when the parent lacks it. */
export function child(f: Field, key: string | number): Field {
  const v = f.value;
  const value = typeof key === 'number' ? (Array.isArray(v) ? v[key] : undefined) : isMap(v) ? v[key] : undefined;
  // A root field's path is a value (its object's path in the document): the link starts there.
  return new ChildField(f.ctx, value, f instanceof ChildField ? f.link() : f.path, key);
}

/** The position of a field (of its key with `part: 'key'`). */
export function at(f: Field, part: PathPart = 'value'): SourcePos {
  return positionOf(f.ctx.src, f.path, part);
}

/** The field's path relative to its object, as people write it: `spec.ports[0].name`. */
export function fieldName(f: Field): string {
  const rel = f.path.slice(f.ctx.root.length);
  return rel.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(object)';
}

/** Reports an error at the field. */
export function fail(f: Field, code: string, message: string, part: PathPart = 'value'): void {
  f.ctx.diags.push(error(code, message, at(f, part)));
}

/** Reports a warning at the field. */
export function warn(f: Field, code: string, message: string, part: PathPart = 'value'): void {
  f.ctx.diags.push(warning(code, message, at(f, part)));
}

/**
 * `list` in an array of its own length. V8 gives an array built by `push` room for 16 items
 * on the first: kept in a raw object, the containers and ports of 22,000 pods held 8 MiB of
 * that room (and the scavenger copied it) for one item each.
 */
export function trimmed<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

/** True for a plain mapping (not a list, not null). */
export function isMap(v: unknown): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** How a value reads in a message: `a string`, `a list`, … */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isMap(v)) return 'a mapping';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `a ${typeof v}`;
}

/** Reports a wrong type; returns undefined for the caller to pass on. */
export function wrongType(f: Field, want: string): undefined {
  fail(f, 'SCN_WRONG_TYPE', `${fieldName(f)} must be ${want}, not ${describe(f.value)}`);
  return undefined;
}

/** Reports a missing field of `parent`. */
export function missing(parent: Field, key: string): undefined {
  const name = fieldName(parent);
  // A mapping under a key is pointed at by that key: a block mapping's value starts at its
  // first key, which is not the one at fault.
  const underKey = typeof parent.path.at(-1) === 'string' && parent.path.length > parent.ctx.root.length;
  fail(parent, 'SCN_MISSING_FIELD', `${name === '(object)' ? '' : `${name}.`}${key} is required`, underKey ? 'key' : 'value');
  return undefined;
}

/** True when the field is absent or null. */
export function absent(f: Field): boolean {
  return f.value === undefined || f.value === null;
}

/** A mapping field; reports a non-mapping. Checks its keys against `set` when given. */
export function optMap(f: Field, set?: FieldSet): YamlMap | undefined {
  if (absent(f)) return undefined;
  if (!isMap(f.value)) return wrongType(f, 'a mapping');
  if (set !== undefined) checkFields(f, set);
  return f.value;
}

/** A list field; reports a non-list. */
export function optList(f: Field): readonly Field[] | undefined {
  if (absent(f)) return undefined;
  if (!Array.isArray(f.value)) return wrongType(f, 'a list');
  return f.value.map((_, i) => child(f, i));
}

/** A string field. */
export function optString(f: Field): string | undefined {
  if (absent(f)) return undefined;
  return typeof f.value === 'string' ? f.value : wrongType(f, 'a string');
}

/** A required string field of `parent`. */
export function reqString(parent: Field, key: string): string | undefined {
  const f = child(parent, key);
  return absent(f) ? missing(parent, key) : optString(f);
}

/** A boolean field. */
export function optBool(f: Field): boolean | undefined {
  if (absent(f)) return undefined;
  return typeof f.value === 'boolean' ? f.value : wrongType(f, 'true or false');
}

/**
 * An integer field within [min, max]; out of range is SCN_BAD_VALUE, worded as the API
 * server's InclusiveRangeError. (Kubernetes' own fields take their ranges from
 * validate/uses.ts; this serves netsim's Cluster fields.)
 */
export function optInt(f: Field, min: number, max: number): number | undefined {
  if (absent(f)) return undefined;
  if (typeof f.value !== 'number' || !Number.isInteger(f.value)) return wrongType(f, 'an integer');
  if (f.value < min || f.value > max) {
    fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Invalid value: ${shownInteger(f.value)}: must be between ${min} and ${max}, inclusive`);
    return undefined;
  }
  return f.value;
}

/** An integer for a message. Past 2^53 the YAML number was already rounded: say so rather than echo another number. */
export function shownInteger(v: number): string {
  return Number.isSafeInteger(v) ? `${v}` : `${v} (too large to be exact)`;
}

/** One of a fixed set of strings; anything else is SCN_BAD_VALUE. */
export function optEnum<const T extends string>(f: Field, values: readonly T[]): T | undefined {
  const s = optString(f);
  if (s === undefined) return undefined;
  if ((values as readonly string[]).includes(s)) return s as T;
  const allowed = values.length === 1 ? `${values[0]} (the only value netsim models)` : `one of ${values.join(', ')}`;
  fail(f, 'SCN_BAD_VALUE', `${fieldName(f)} must be ${allowed}, not "${s}"`);
  return undefined;
}

/** Reports every key of a mapping that `set` neither reads nor ignores. */
export function checkFields(f: Field, set: FieldSet): void {
  if (!isMap(f.value)) return;
  for (const key of Object.keys(f.value)) {
    if (set.read.includes(key) || set.ignored.includes(key)) continue;
    const hint = closest(key, set.read);
    const where = fieldName(f);
    const name = where === '(object)' ? key : `${where}.${key}`;
    fail(child(f, key), 'SCN_UNKNOWN_FIELD', `unknown field ${name}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`, 'key');
  }
}

/** The candidate nearest to `word` by edit distance, when near enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
