/**
 * Colours for Kubernetes namespaces: a fixed palette assigned in sorted name order, so the same
 * scenario always paints `default` and `kube-system` the same way whatever the pod order.
 */

/** Pastel fills readable behind black text (ColorBrewer Pastel1 and Set3). */
const FILLS = ['#cfe2f3', '#d9ead3', '#fff2cc', '#f4cccc', '#d9d2e9', '#fce5cd', '#d0e0e3', '#ead1dc', '#e6e6e6', '#c9daf8'] as const;

/** Namespace name → fill colour; namespaces past the palette wrap around (the label still says the name). */
export function namespaceColours(namespaces: Iterable<string>): ReadonlyMap<string, string> {
  const sorted = [...new Set(namespaces)].sort();
  return new Map(sorted.map((ns, i) => [ns, FILLS[i % FILLS.length] ?? FILLS[0]]));
}

/** Colours of the trace overlay: forward path, reply path, a drop. */
export const TRACE_COLOURS = { forward: '#d62728', reply: '#1f77b4', drop: '#b00020', ok: '#2ca02c' } as const;
