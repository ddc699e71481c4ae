/**
 * DOT text primitives: quoting identifiers, escaping labels, attribute lists and HTML-like
 * labels. Everything the writers emit goes through these functions, so a name with a quote, a
 * backslash or an angle bracket can never break the graph.
 */

/** An attribute value: plain text (quoted), or an HTML-like label (`<…>`, written as is). */
export type AttrValue = string | number | { readonly html: string };

/** Attributes of a node, edge or graph, written in insertion order. */
export type Attrs = Readonly<Record<string, AttrValue | undefined>>;

/** A DOT string literal: `"…"` with `"` and `\` escaped and newlines as `\n`. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** `[a="1", b=<…>]`, attributes in the order given; undefined values are left out. */
export function attrList(attrs: Attrs): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    parts.push(`${k}=${typeof v === 'object' ? `<${v.html}>` : quote(String(v))}`);
  }
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

/** One node statement. */
export function nodeStmt(id: string, attrs: Attrs): string {
  return `${quote(id)}${attrList(attrs)};`;
}

/** One edge statement (`a -> b` in a digraph); `from`/`to` may carry a `:port`. */
export function edgeStmt(from: string, to: string, attrs: Attrs): string {
  return `${endpoint(from)} -> ${endpoint(to)}${attrList(attrs)};`;
}

/** `"id"` or `"id":"port"` for an `id#port` reference. */
function endpoint(ref: string): string {
  const hash = ref.indexOf('#');
  return hash < 0 ? quote(ref) : `${quote(ref.slice(0, hash))}:${quote(ref.slice(hash + 1))}`;
}

/** Escapes text for an HTML-like label. */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A `subgraph cluster_…` block around `body`, indented one level. */
export function clusterBlock(id: string, attrs: Attrs, body: readonly string[]): string[] {
  const head = Object.entries(attrs)
    .filter((e): e is [string, AttrValue] => e[1] !== undefined)
    .map(([k, v]) => `  ${k}=${typeof v === 'object' ? `<${v.html}>` : quote(String(v))};`);
  return [`subgraph ${quote(`cluster_${id}`)} {`, ...head, ...body.map((l) => `  ${l}`), '}'];
}

/** A whole digraph: name, graph/node/edge defaults, then the body, one statement a line. */
export function digraph(name: string, defaults: { graph: Attrs; node: Attrs; edge: Attrs }, body: readonly string[]): string {
  const lines = [`digraph ${quote(name)} {`, `  graph${attrList(defaults.graph)};`, `  node${attrList(defaults.node)};`, `  edge${attrList(defaults.edge)};`];
  for (const l of body) lines.push(`  ${l}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Shortens text to `max` characters with an ellipsis (labels stay readable; tooltips keep the whole). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The fixed fonts and defaults every view shares, so the pictures look alike. */
export const FONT = 'Helvetica,Arial,sans-serif';
