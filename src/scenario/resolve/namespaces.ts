/**
 * Namespaces: the declared ones (unique names), then `default` and any namespace an object
 * uses without declaring it, created implicitly as Kubernetes' admission would refuse to but
 * small scenarios should not need to spell out. Each gets `kubernetes.io/metadata.name`.
 */
import type { Namespace } from '../../cluster/objects.js';
import type { RawNamespace } from '../raw.js';
import { dedupe } from './unique.js';

/** Declared namespaces, then implicit ones for `used` names, in first-use order. */
export function resolveNamespaces(raw: readonly RawNamespace[], used: readonly string[]): Namespace[] {
  const declared = dedupe(raw, (n) => n.meta.name, (n) => n.meta.nameField, 'Namespace').map((n) => n.value);
  const names = new Set(declared.map((n) => n.name));
  const implicit: Namespace[] = [];
  for (const name of ['default', ...used]) {
    if (names.has(name)) continue;
    names.add(name);
    implicit.push({ name, labels: { 'kubernetes.io/metadata.name': name } });
  }
  return [...declared, ...implicit];
}
