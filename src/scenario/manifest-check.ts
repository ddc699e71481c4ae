/**
 * YAML that parses but is not a Kubernetes manifest. kubectl reads manifests with
 * sigs.k8s.io/yaml, which decodes with go-yaml and converts the result to JSON
 * (`yamlToJSON`): only JSON's types survive, mapping keys must be scalars, and go-yaml's
 * reader refuses control characters. Each check here refuses what that path refuses, at the
 * offending token:
 *
 * - `SCN_BAD_CHARACTER`: a character outside YAML's printable set (NUL, C0 and C1 controls,
 *   DEL, a lone surrogate), checked on the whole text before parsing, as go-yaml's reader does;
 *   and a control character written as an escape into a key or a name (`name: "a\x01b"`);
 * - `SCN_YAML_VERSION`: a `%YAML` directive other than 1.1 or 1.2;
 * - `SCN_YAML_TAG`: a tag outside YAML's core schema (`!!python/object`, `!foo`, `!!binary`);
 * - `SCN_COMPLEX_KEY`: a mapping key that is a mapping or a list (`? [a, b] : c`);
 * - `SCN_YAML_SYNTAX`: an alias to an anchor that is not defined before it, and a key that
 *   repeats in its mapping (checked here with a set rather than by yaml's `uniqueKeys`).
 */
import { type Alias, type Document, type Pair, type Scalar, type YAMLMap, type YAMLSeq, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import { type Diagnostic, type SourcePos, error } from '../diag/diagnostic.js';
import type { CstFacts } from './parse-yaml.js';

/** The core schema's tags: the JSON types a manifest can hold. */
const CORE_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Characters outside YAML 1.2's c-printable set (tab, LF and CR are allowed; U+0085 and the BOM
 * too), and surrogates that do not form a pair.
 */
const NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** {@link NON_PRINTABLE}'s characters and every surrogate: no match here, no match there. */
const MAYBE_NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Maps a character offset to its position. */
export type Locate = (offset: number) => SourcePos;

/** The first character YAML does not allow in a stream, as a diagnostic; undefined when none. */
export function badCharacter(text: string, locate: Locate): Diagnostic | undefined {
  // Most texts hold no such character and no surrogate at all: one character class settles
  // them (the full pattern's lookarounds cost more on 5 MB); it matches whatever the full one does.
  if (!MAYBE_NON_PRINTABLE.test(text)) return undefined;
  const m = NON_PRINTABLE.exec(text);
  if (m === null) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return error('SCN_BAD_CHARACTER', `character ${name} is not allowed in YAML (control characters and NUL must be written as escapes in a double-quoted string, if at all)`, locate(m.index));
}

/** Every reason a parsed document is not a manifest, at the offending tokens. */
export function manifestProblems(doc: Document.Parsed, facts: CstFacts, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const w of doc.warnings) {
    if (w.code === 'BAD_DIRECTIVE' && /YAML version/.test(w.message)) {
      out.push(error('SCN_YAML_VERSION', `${w.message.split('\n')[0]?.replace(/ at line.*$/, '')}: kubectl reads %YAML 1.1 and 1.2 documents`, locate(w.pos[0])));
    }
  }
  walk(doc.contents, {
    node: (node) => {
      const start = node.range?.[0] ?? 0;
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        out.push(error('SCN_YAML_TAG', `tag ${shortTag(node.tag)} is not a Kubernetes type: a manifest holds only strings, numbers, booleans, null, mappings and lists`, locate(tagStart(facts, start))));
      }
      if (isAlias(node) && node.resolve(doc) === undefined) {
        out.push(error('SCN_YAML_SYNTAX', `alias *${node.source} refers to no anchor &${node.source} defined before it`, locate(start)));
      }
      if (isMap(node)) out.push(...repeatedKeys(node, locate));
    },
    pair: (pair) => {
      const named = controlInName(pair, locate);
      if (named !== undefined) out.push(named);
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (isCollection(key)) {
        const at = (pair.key as { range?: readonly number[] } | null)?.range?.[0] ?? 0;
        out.push(error('SCN_COMPLEX_KEY', 'a mapping key must be a string, not a mapping or a list (a Kubernetes object is JSON, whose keys are strings)', locate(at)));
      }
    },
  });
  return out;
}

/** What {@link walk} calls for each node and each mapping entry. */
interface Walker {
  readonly node: (node: YamlNode) => void;
  readonly pair: (pair: Pair) => void;
}

/** A node of a composed document. */
type YamlNode = Scalar | Alias | YAMLMap | YAMLSeq;

/**
 * Every node and entry of a document in yaml's `visit` order (a node before its items, an entry
 * before its key and value), without `visit`'s cost: it builds and freezes a path array for
 * each node, which was a tenth of validating a 5 MB scenario. Recursion is bounded: documents
 * nest at most MAX_DEPTH collections (parse-yaml.ts refuses deeper ones before composing).
 */
function walk(item: unknown, w: Walker): void {
  if (isPair(item)) {
    w.pair(item);
    walk(item.key, w);
    walk(item.value, w);
    return;
  }
  if (!isNode(item)) return;
  w.node(item);
  if (isMap(item) || isSeq(item)) for (const child of item.items) walk(child, w);
}

/** Keys whose values are names (objects, namespaces, nodes, containers, ports). */
export const NAME_KEYS: ReadonlySet<string> = new Set(['name', 'namespace', 'nodeName', 'generateName', 'hostname', 'serviceName']);

/** C0 and C1 control characters and DEL, as a double-quoted escape (`"a\x01b"`) can still write them. */
export const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * A control character in a mapping key (a field, label or annotation name) or in the value of
 * a name field: YAML lets an escape write it, no Kubernetes name can hold it, and a terminal
 * would print it as a command. Values of other fields (annotations, container args) may hold
 * them, as in Kubernetes.
 */
function controlInName(pair: Pair, locate: Locate): Diagnostic | undefined {
  const key = isScalar(pair.key) ? pair.key : undefined;
  const value = isScalar(pair.value) && NAME_KEYS.has(String(key?.value)) ? pair.value : undefined;
  for (const s of [key, value]) {
    if (s === undefined || typeof s.value !== 'string') continue;
    const m = CONTROL.exec(s.value);
    if (m === null) continue;
    const code = `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return error('SCN_BAD_CHARACTER', `${s === key ? 'key' : `${String(key?.value)}`} ${JSON.stringify(s.value)} holds the control character ${code}; names cannot`, locate(s.range?.[0] ?? 0));
  }
  return undefined;
}

/**
 * Keys that repeat in one mapping, at their second occurrence; `1` and `"1"` differ, as in
 * yaml's own check. The merge key `<<` (parsed as a symbol when merging is on) may repeat.
 */
function repeatedKeys(map: YAMLMap, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const pair of map.items) {
    const k = pair.key;
    if (!isScalar(k) || typeof k.value === 'symbol') continue;
    const id = `${typeof k.value}:${String(k.value)}`;
    if (seen.has(id)) out.push(error('SCN_YAML_SYNTAX', `Map keys must be unique: ${String(k.value)} appears twice in this mapping`, locate(k.range?.[0] ?? 0)));
    seen.add(id);
  }
  return out;
}

/** `tag:yaml.org,2002:python/object` → `!!python/object`, as it was likely written. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** The offset of the tag written before a node that starts at `nodeStart`: the nearest tag token before it. */
function tagStart(facts: CstFacts, nodeStart: number): number {
  const tags = facts.tagOffsets;
  let lo = 0;
  let hi = tags.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tags[mid] ?? 0) <= nodeStart) lo = mid + 1;
    else hi = mid;
  }
  return tags[lo - 1] ?? nodeStart;
}
