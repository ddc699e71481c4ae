/** Reading `v1 Namespace`: a name and labels (NetworkPolicy selects namespaces by label). */
import { NAMESPACE } from './fields.js';
import { readMeta } from './read-meta.js';
import type { RawNamespace } from './raw.js';
import { type Field, optMap } from './reader.js';

/** Reads a Namespace. It also gets the `kubernetes.io/metadata.name` label Kubernetes sets. */
export function readNamespace(obj: Field): RawNamespace | undefined {
  optMap(obj, NAMESPACE);
  const meta = readMeta(obj, 'Namespace');
  if (meta === undefined) return undefined;
  const labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
  return { meta, value: { name: meta.name, labels, pos: meta.pos } };
}
