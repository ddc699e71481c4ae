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

/**
 * The namespaces `lists`' objects use, each once, in first-use order: what resolveNamespaces
 * makes of `lists.flat().map((o) => o.namespace)`, without that list (large.yaml's 150,000
 * pods were spread into one array, mapped, and spread again). Objects side by side mostly
 * share a namespace, so the last one is compared before the set is asked.
 */
export function usedNamespaces(lists: readonly (readonly { readonly namespace: string }[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let last: string | undefined;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const ns = (list[i] as { readonly namespace: string }).namespace;
      if (ns === last) continue;
      last = ns;
      if (seen.has(ns)) continue;
      seen.add(ns);
      out.push(ns);
    }
  }
  return out;
}
