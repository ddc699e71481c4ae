/**
 * A YAML reader for the subset Kubernetes manifests are written in: block mappings and
 * sequences, flow mappings and sequences, plain and quoted one-line scalars, block scalars,
 * comments and `---`. It builds the values `Document.toJS()` would give straight from the
 * text, without yaml's tokens, CST and node objects (about 1 µs a byte, most of validating a
 * 5 MB scenario). Whatever lies outside the subset, and every error but one, throws
 * {@link Decline}: the caller then reads the file with yaml (parse-yaml.ts), so what this reader
 * accepts must read exactly as yaml reads it, which fast-yaml.test.ts checks property by
 * property. The one error it reports itself is a quote left open to the end of the text
 * ({@link Unclosed}), yaml's message at yaml's position.
 *
 * Positions are not kept on the bulk pass: stream.ts's `readPositioned` reads one document again,
 * recording where each node starts, when a diagnostic asks for one.
 */
import { readBlockScalar } from './block-scalar.js';
import { type Listed, type PosNode, type PosMap, type PosSeq, posEntry, posMap } from './positions.js';
import { readFlow } from './flow.js';
import { Unclosed, checkName, decline, decodeDouble, decodeSingle, isFlowIndicator, keyName, plainStart, resolvePlain } from './scalar.js';

/** How deep collections may nest before the reader leaves the document to yaml (which refuses past MAX_DEPTH). */
const MAX_FAST_DEPTH = 64;

/** yaml refuses an implicit key whose `:` is more than 1024 characters after its start. */
const MAX_KEY = 1000;

const NL = 10;
const SP = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Values of {@link Reader.ci} that are not an indentation. */
export const EOF = -1;
export const MARK_START = -2;
export const MARK_END = -3;

/** The reader's cursor: the next content line, found by {@link Reader.next}. */
export class Reader {
  /** Start of the line the cursor is on. */
  ls = 0;
  /** Next content's offset and indentation (or EOF / a document marker). */
  cp = 0;
  ci = 0;
  /** The last node's position tree, when positions are kept. */
  pos: PosNode | undefined;
  /**
   * Where the items of the block sequences `items` (a `kind: List`'s objects) and `spec.nodes`
   * (a Cluster's nodes) start, kept on the bulk pass: every object and node asks for its
   * position, and these spare reading a whole List, or a Cluster of 5,000 nodes, again.
   */
  items: Listed | undefined;
  nodes: Listed | undefined;
  private depth = 0;
  /** The root mapping's key being read, and the key of the mapping below it ('' outside them). */
  private rootKey = '';
  private specKey = '';

  constructor(
    private readonly t: string,
    private readonly keep: boolean,
  ) {}

  /** Moves to the next line holding content, from `i` at a line start. */
  next(i: number): void {
    const t = this.t;
    const n = t.length;
    for (;;) {
      if (i >= n) {
        this.ci = EOF;
        this.cp = n;
        return;
      }
      let j = i;
      while (t.charCodeAt(j) === SP) j++;
      const c = t.charCodeAt(j);
      if (c === NL) {
        i = j + 1;
        continue;
      }
      if (j >= n) {
        i = n;
        continue;
      }
      if (c === HASH) {
        const e = t.indexOf('\n', j);
        i = e < 0 ? n : e + 1;
        continue;
      }
      this.ls = i;
      this.cp = j;
      this.ci = j - i;
      if (j === i && (c === DASH || c === 46) && t.charCodeAt(j + 1) === c && t.charCodeAt(j + 2) === c) {
        const after = t.charCodeAt(j + 3);
        if (after === SP || after === NL || j + 3 >= n) this.ci = c === DASH ? MARK_START : MARK_END;
      }
      return;
    }
  }

  /** After a node ends at `i`: only spaces and a comment may follow on its line; then {@link next}. */
  endLine(i: number, marker = false): void {
    const t = this.t;
    let j = i;
    while (t.charCodeAt(j) === SP) j++;
    const c = t.charCodeAt(j);
    if (j < t.length && c !== NL) {
      if (c !== HASH || (j === i && !marker)) decline('text after a node');
      if (marker && j === i) decline('text after a marker');
    }
    const e = t.indexOf('\n', j);
    this.next(e < 0 ? t.length : e + 1);
  }

  /**
   * The block node starting at `p` (first content of its line, or after `- `), inside a
   * collection indented `parent`. Leaves the cursor on the next content line.
   */
  node(p: number, parent: number): unknown {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === DASH && this.isBlank(p + 1)) return this.seq(p);
    if (c === 91 || c === 123) {
      const v = this.flow(p, parent);
      const q = this.skipSpaces(this.flowEnd);
      if (t.charCodeAt(q) === COLON) decline('complex key');
      this.endLine(this.flowEnd);
      return v;
    }
    if (c === 124 || c === 62) return this.block(p, parent);
    const s = this.scalar(p, false, true);
    if (t.charCodeAt(this.se) === COLON && this.isBlank(this.se + 1)) return this.map(p, s);
    const pos = this.keep ? p : undefined;
    this.endLine(this.se);
    if (this.keep) this.pos = pos;
    return s;
  }

  /** True when `i` holds a space, a line break or the end of the text. */
  private isBlank(i: number): boolean {
    const c = this.t.charCodeAt(i);
    return c === SP || c === NL || i >= this.t.length;
  }

  private skipSpaces(i: number): number {
    while (this.t.charCodeAt(i) === SP) i++;
    return i;
  }

  private enter(): void {
    if (++this.depth > MAX_FAST_DEPTH) decline('deep');
  }

  /** A block mapping whose first key (already read, value `first`) starts at `p`. */
  private map(p: number, first: unknown): Record<string, unknown> {
    this.enter();
    const t = this.t;
    const indent = p - this.ls;
    const obj: Record<string, unknown> = {};
    const pm: PosMap | undefined = this.keep ? posMap(p) : undefined;
    let key = first;
    let keyStart = p;
    for (;;) {
      const colon = this.se;
      if (colon - keyStart > MAX_KEY) decline('long key');
      const name = keyName(key);
      if (Object.hasOwn(obj, name)) decline('repeated key');
      if (this.depth === 1) this.rootKey = name;
      else if (this.depth === 2) this.specKey = name;
      const q = this.skipSpaces(colon + 1);
      const c = t.charCodeAt(q);
      let value: unknown;
      if (q >= t.length || c === NL || c === HASH) {
        const e = t.indexOf('\n', q);
        this.next(e < 0 ? t.length : e + 1);
        if (this.ci > indent) value = this.node(this.cp, indent);
        else if (this.ci === indent && t.charCodeAt(this.cp) === DASH && this.isBlank(this.cp + 1)) value = this.seq(this.cp);
        else {
          value = null;
          if (this.keep) this.pos = q;
        }
      } else value = this.inline(q, indent);
      checkName(name, value);
      obj[name] = value;
      if (pm !== undefined) posEntry(pm, name, keyStart, this.pos as PosNode);
      if (this.ci < indent) break;
      if (this.ci > indent) decline('indentation');
      keyStart = this.cp;
      key = this.scalar(keyStart, false);
      if (t.charCodeAt(this.se) !== COLON || !this.isBlank(this.se + 1)) decline('not a key');
    }
    if (this.depth === 1) this.rootKey = '';
    else if (this.depth === 2) this.specKey = '';
    this.depth--;
    if (pm !== undefined) this.pos = pm;
    return obj;
  }

  /** A mapping value on the key's line: a scalar, a flow collection or a block scalar. */
  private inline(q: number, indent: number): unknown {
    const t = this.t;
    const c = t.charCodeAt(q);
    if (c === 91 || c === 123) {
      const v = this.flow(q, indent);
      this.endLine(this.flowEnd);
      return v;
    }
    if (c === 124 || c === 62) return this.block(q, indent);
    const s = this.scalar(q, false, true);
    if (t.charCodeAt(this.se) === COLON) decline('mapping on a key line');
    const pos = this.keep ? q : undefined;
    this.endLine(this.se);
    if (this.keep) this.pos = pos;
    return s;
  }

  /** A block sequence whose first `-` is at `p`. */
  private seq(p: number): unknown[] {
    this.enter();
    const t = this.t;
    const indent = p - this.ls;
    const list: unknown[] = [];
    const ps: PosSeq | undefined = this.keep ? { start: p, items: [] } : undefined;
    // `items` of the root mapping (depth 1 before this sequence's own level), or `spec.nodes`.
    const at = this.depth === 2 ? this.rootKey === 'items' : this.depth === 3 && this.rootKey === 'spec' && this.specKey === 'nodes';
    const starts = at ? [] as number[] : undefined;
    const listedDepth = this.depth;
    let dash = p;
    for (;;) {
      const q = this.skipSpaces(dash + 1);
      const c = t.charCodeAt(q);
      if (q >= t.length || c === NL || c === HASH) {
        const e = t.indexOf('\n', q);
        this.next(e < 0 ? t.length : e + 1);
        if (this.ci > indent) {
          starts?.push(this.cp);
          list.push(this.node(this.cp, indent));
        } else {
          starts?.push(q);
          list.push(null);
          if (this.keep) this.pos = q;
        }
      } else {
        if (q === dash + 1) decline('dash');
        starts?.push(q);
        list.push(this.node(q, indent));
      }
      ps?.items.push(this.pos as PosNode);
      if (this.ci < indent) break;
      if (this.ci > indent) decline('indentation');
      dash = this.cp;
      if (t.charCodeAt(dash) !== DASH || !this.isBlank(dash + 1)) break;
    }
    this.depth--;
    if (ps !== undefined) this.pos = ps;
    if (starts !== undefined) this[listedDepth === 2 ? 'items' : 'nodes'] = { starts, indent };
    return list;
  }

  /** End of the last scalar read (the offset after its last character). */
  se = 0;

  /**
   * A one-line plain or quoted scalar at `p`; sets {@link se}. In flow context a plain scalar
   * also ends at `,[]{}`. `value`: the scalar stands where a block value may (not a mapping's
   * second or later key), so a quote left open to the end of the text throws {@link Unclosed}.
   */
  scalar(p: number, flow: boolean, value = false): unknown {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      let j = p + 1;
      for (;;) {
        const d = t.charCodeAt(j);
        if (j >= t.length || d === NL) {
          if (value && !flow) this.unclosedAtEnd(p, j);
          decline('quoted scalar over lines');
        }
        if (d === c) {
          if (c === 39 && t.charCodeAt(j + 1) === 39) {
            j += 2;
            continue;
          }
          break;
        }
        j += c === 34 && d === 92 ? 2 : 1;
      }
      this.se = j + 1;
      const raw = t.slice(p + 1, j);
      return c === 34 ? decodeDouble(raw) : decodeSingle(raw);
    }
    if (!plainStart(t, p, flow)) decline('not a plain scalar');
    let j = p;
    const n = t.length;
    for (; j < n; j++) {
      const d = t.charCodeAt(j);
      if (d === NL) break;
      if (d === COLON) {
        const e = t.charCodeAt(j + 1);
        if (e === SP || e === NL || j + 1 >= n || (flow && isFlowIndicator(e))) break;
      } else if (d === HASH) {
        if (t.charCodeAt(j - 1) === SP) break;
      } else if (flow && isFlowIndicator(d)) break;
    }
    let end = j;
    while (t.charCodeAt(end - 1) === SP) end--;
    this.se = end;
    return resolvePlain(t.slice(p, end));
  }

  /**
   * The quote opened at `p` runs to the line's end `e` unclosed: when only line breaks follow
   * and its body has no backslash (an escape yaml could report first), throws {@link Unclosed}.
   */
  private unclosedAtEnd(p: number, e: number): void {
    const t = this.t;
    for (let i = e; i < t.length; i++) if (t.charCodeAt(i) !== NL) return;
    if (t.charCodeAt(p) === 34 && t.slice(p, e).includes('\\')) return;
    throw new Unclosed(p, t[p] as string);
  }

  /** Offset after the last flow collection's closing bracket. */
  flowEnd = 0;

  /** A flow collection at `p` in a block collection indented `parent`; sets {@link flowEnd}. */
  private flow(p: number, parent: number): unknown {
    return readFlow(this, this.t, p, parent);
  }

  private block(p: number, parent: number): string {
    const r = readBlockScalar(this.t, p, parent);
    if (this.keep) this.pos = p;
    this.next(r.next);
    return r.value;
  }

  /** Hooks for flow.ts. */
  flowEnter(): void {
    this.enter();
  }
  flowLeave(): void {
    this.depth--;
  }
  get keepPositions(): boolean {
    return this.keep;
  }
}

