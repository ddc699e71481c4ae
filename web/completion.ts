/**
 * Completion for scenario YAML from netsim's JSON Schema (`netsim schema`), without a YAML
 * language server: the document's `kind` picks the schema definition, the indentation of the
 * lines above the cursor gives the path of keys, and the schema at that path offers its
 * property names (keys) or its `enum`/`const` values (after `key: `).
 *
 * Pure: text and offset in, options out, so it is unit-tested without an editor.
 */

/** The slice of JSON Schema that netsim's scenario schema uses. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly definitions?: Readonly<Record<string, SchemaNode>>;
}

/** One completion option. */
export interface SchemaOption {
  readonly label: string;
  readonly type: 'property' | 'enum';
  readonly detail?: string;
  /** Text inserted (a key gets `: `). */
  readonly apply: string;
}

/** What to complete at `offset`: the options and where the word being typed starts. */
export interface SchemaCompletion {
  readonly from: number;
  readonly options: readonly SchemaOption[];
}

/** Options for the cursor at `offset` in `text`, or undefined where the schema says nothing. */
export function completeScenario(root: SchemaNode, text: string, offset: number): SchemaCompletion | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const doc = documentAround(text, offset);
  const kind = /^kind:\s*["']?([A-Za-z]+)/m.exec(doc.text)?.[1];
  const top = kind === undefined ? undefined : root.definitions?.[kind];
  if (top === undefined) return kind === undefined ? kindCompletion(root, before, offset) : undefined;
  const above = text.slice(doc.start, lineStart).split('\n').slice(0, -1);
  const value = /^(\s*(?:-\s+)*)([\w.-]+):\s*(["']?)([\w./-]*)$/.exec(before);
  const keyAt = /^(\s*(?:-\s+)*)([\w.-]*)$/.exec(before);
  if (value !== null) {
    const path = pathToLast([...above, `${value[1] ?? ''}${value[2] ?? ''}: x`]);
    const node = walk(root, top, path);
    const options = node === undefined ? [] : valueOptions(root, node);
    return options.length === 0 ? undefined : { from: offset - (value[4] ?? '').length, options };
  }
  if (keyAt === null) return undefined;
  const node = walk(root, top, pathToLast([...above, `${keyAt[1] ?? ''}k: x`]).slice(0, -1));
  const props = node === undefined ? undefined : objectProperties(root, node);
  if (props === undefined) return undefined;
  const options = Object.entries(props).map(([k, s]) => ({ label: k, type: 'property' as const, apply: `${k}: `, ...detailOf(root, s) }));
  return { from: offset - (keyAt[2] ?? '').length, options };
}

/** `kind: ` at the top of a document offers every kind the schema knows. */
function kindCompletion(root: SchemaNode, before: string, offset: number): SchemaCompletion | undefined {
  const m = /^kind:\s*([A-Za-z]*)$/.exec(before);
  if (m === null) return undefined;
  const kinds = Object.entries(root.definitions ?? {}).flatMap(([, d]) => {
    const k = d.properties?.['kind']?.const;
    return typeof k === 'string' ? [k] : [];
  });
  return { from: offset - (m[1] ?? '').length, options: kinds.map((k) => ({ label: k, type: 'enum', apply: k })) };
}

/** The `---`-separated document holding `offset`. */
function documentAround(text: string, offset: number): { start: number; text: string } {
  const sep = /^---[^\n]*$/gm;
  let start = 0;
  let end = text.length;
  for (const m of text.matchAll(sep)) {
    const at = m.index;
    if (at < offset && at + m[0].length <= offset) start = at + m[0].length + 1;
    else if (at >= offset) {
      end = at;
      break;
    }
  }
  return { start: Math.min(start, text.length), text: text.slice(Math.min(start, text.length), end) };
}

/** A place on a line that opens a level: a `- ` array item, or a `key:`. */
interface Anchor {
  readonly col: number;
  /** `[]` for an array item, else the key. */
  readonly step: string;
  /** A key whose value starts on a later line (`key:` and nothing after it). */
  readonly opens: boolean;
}

/** The anchors of one line, left to right. */
function anchorsOf(line: string): Anchor[] {
  const out: Anchor[] = [];
  const m = /^(\s*)((?:-\s+)*)(?:([\w./-]+|"[^"]*"|'[^']*')\s*:(\s*(?:#.*)?$|\s))?/.exec(line);
  if (m === null) return out;
  let col = (m[1] ?? '').length;
  for (const d of (m[2] ?? '').match(/-\s+/g) ?? []) {
    out.push({ col, step: '[]', opens: false });
    col += d.length;
  }
  if (m[3] !== undefined) out.push({ col, step: m[3].replace(/^["']|["']$/g, ''), opens: /^\s*(#.*)?$/.test(m[4] ?? '') });
  return out;
}

/** Whether `a` (on a line above) can hold `b`, the first anchor of a later line. */
function holds(a: Anchor, b: Anchor): boolean {
  if (a.col < b.col) return a.step === '[]' || a.opens;
  // `key:` then `- item` at the same column: YAML's compact block sequence.
  return a.col === b.col && a.opens && b.step === '[]';
}

/**
 * The path of keys (`[]` for array items) from the document's root to the last anchor of the
 * last line of `lines`, found by indentation the way a reader of the YAML would.
 */
export function pathToLast(lines: readonly string[]): string[] {
  const anchors = lines.map(anchorsOf);
  const path: string[] = [];
  let i = lines.length - 1;
  let k = (anchors[i]?.length ?? 0) - 1;
  while (i >= 0 && k >= 0) {
    const row = anchors[i] ?? [];
    const here = row[k];
    if (here === undefined) break;
    path.unshift(here.step);
    if (k > 0) {
      k -= 1;
      continue;
    }
    let found = false;
    for (let j = i - 1; j >= 0 && !found; j--) {
      const above = anchors[j] ?? [];
      for (let a = above.length - 1; a >= 0; a--) {
        const cand = above[a];
        if (cand !== undefined && holds(cand, here)) {
          i = j;
          k = a;
          found = true;
          break;
        }
      }
    }
    if (!found) break;
  }
  return path;
}

function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  let n = node;
  for (let i = 0; i < 20 && n.$ref !== undefined; i++) {
    const name = n.$ref.replace('#/definitions/', '');
    n = root.definitions?.[name] ?? {};
  }
  return n;
}

/** The schema at `path` below `top` (`[]` steps into array items). */
function walk(root: SchemaNode, top: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let n: SchemaNode | undefined = resolve(root, top);
  for (const key of path) {
    if (n === undefined) return undefined;
    n = key === '[]' ? (itemsOf(root, n) ?? n) : objectProperties(root, n)?.[key];
    if (n !== undefined) n = resolve(root, n);
  }
  return n;
}

/** The node and, recursively, its `oneOf`/`anyOf` alternatives (bounded: the schema is ours). */
function alternatives(root: SchemaNode, n: SchemaNode, depth = 0): SchemaNode[] {
  const r = resolve(root, n);
  const subs = [...(r.oneOf ?? []), ...(r.anyOf ?? [])];
  return depth > 8 ? [r] : [r, ...subs.flatMap((x) => alternatives(root, x, depth + 1))];
}

function itemsOf(root: SchemaNode, n: SchemaNode): SchemaNode | undefined {
  for (const a of alternatives(root, n)) if (a.items !== undefined) return resolve(root, a.items);
  return undefined;
}

/** The properties of every alternative; a key several define (a cni's `type`) offers all their values. */
function objectProperties(root: SchemaNode, n: SchemaNode): Readonly<Record<string, SchemaNode>> | undefined {
  const found = alternatives(root, n).flatMap((a) => (a.properties === undefined ? [] : [a.properties]));
  if (found.length === 0) return undefined;
  const merged: Record<string, SchemaNode> = {};
  for (const props of found) {
    for (const [k, v] of Object.entries(props)) {
      const seen = merged[k];
      merged[k] = seen === undefined ? v : { ...(seen.description === undefined ? {} : { description: seen.description }), anyOf: [seen, v] };
    }
  }
  return merged;
}

function valueOptions(root: SchemaNode, n: SchemaNode): SchemaOption[] {
  const values = alternatives(root, n).flatMap((a) => [...(a.enum ?? []), ...(a.const !== undefined ? [a.const] : [])]);
  return [...new Set(values.map(String))].map((v) => ({ label: v, type: 'enum', apply: v }));
}

function detailOf(root: SchemaNode, s: SchemaNode): { detail?: string } {
  const d = resolve(root, s).description ?? s.description;
  return d === undefined ? {} : { detail: d };
}
