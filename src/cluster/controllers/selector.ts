/**
 * Equality-based label selectors, as a Service's `spec.selector` is: every key must be present
 * with the same value. An empty selector is not "match everything" for a Service; Kubernetes
 * treats `selector: {}` as no selector, and the loader reads it that way.
 */
import type { Labels } from '../objects.js';

/** True when every `key: value` of `selector` is among `labels`. */
export function selectorMatches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Objects of some namespace found by an equality selector, in the order they were given. */
export interface LabelIndex<T> {
  select(namespace: string, selector: Labels): readonly T[];
}

/**
 * An index of objects by `namespace` and each `key=value` label, so that selecting is a lookup
 * of the selector's rarest pair and a check of the few candidates, not a scan of every pod (a
 * scan per Service was 10,000 × 150,000 checks). Same answer and order as filtering with
 * {@link selectorMatches}.
 */
export function labelIndex<T>(items: readonly T[], meta: (t: T) => { readonly namespace: string; readonly labels: Labels }): LabelIndex<T> {
  const byPair = new Map<string, T[]>();
  const byNamespace = new Map<string, T[]>();
  const push = (map: Map<string, T[]>, key: string, t: T): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [t]);
    else list.push(t);
  };
  // The replicas of a workload come one after another with the same labels object: their
  // keys are made once (150,000 pods, two labels each, in large.yaml).
  let lastLabels: Labels | undefined;
  let lastNamespace = '';
  let lastKeys: string[] = [];
  for (const t of items) {
    const { namespace, labels } = meta(t);
    push(byNamespace, namespace, t);
    if (labels !== lastLabels || namespace !== lastNamespace) {
      lastKeys = Object.entries(labels).map(([k, v]) => `${namespace}\u0000${k}\u0000${v}`);
      lastLabels = labels;
      lastNamespace = namespace;
    }
    for (const key of lastKeys) push(byPair, key, t);
  }
  return {
    select(namespace, selector) {
      let candidates = byNamespace.get(namespace) ?? [];
      for (const [k, v] of Object.entries(selector)) {
        const list = byPair.get(`${namespace}\u0000${k}\u0000${v}`) ?? [];
        if (list.length < candidates.length) candidates = list;
      }
      return candidates.filter((t) => selectorMatches(selector, meta(t).labels));
    },
  };
}
