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

/** `"id"`, `"id":"port"` for `id#port`, `"id":"port":e` for `id#port#e` (a compass point). */
function endpoint(ref: string): string {
  const [id = '', port, compass] = ref.split('#');
  if (port === undefined) return quote(id);
  return `${quote(id)}:${quote(port)}${compass !== undefined ? `:${compass}` : ''}`;
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

/**
 * The font every view uses. One PostScript name Graphviz knows: it then sizes labels with
 * Helvetica metrics (a list such as `Helvetica,Arial` falls back to narrower Times metrics, and
 * browsers overflow the boxes) and writes `font-family="Helvetica,sans-Serif"` in SVG.
 */
export const FONT = 'Helvetica';
