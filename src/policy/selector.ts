/**
 * Label selector matching as apimachinery's `labels.Selector.Matches` does it
 * (k8s.io/apimachinery/pkg/labels/selector.go, `Requirement.Matches`): matchLabels and
 * matchExpressions are ANDed; `NotIn` and `DoesNotExist` match a pod that lacks the key.
 * And its text, as `kubectl describe networkpolicy` prints it (`app=web,tier notin (db)`).
 */
import type { LabelSelector, PolicyLabels, SelectorRequirement } from './api.js';

/** True when `labels` satisfy every term of `sel` (`{}` matches everything). */
export function selectorMatches(sel: LabelSelector, labels: PolicyLabels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  return sel.matchExpressions.every((r) => requirementMatches(r, labels));
}

/** One `matchExpressions` term. */
export function requirementMatches(r: SelectorRequirement, labels: PolicyLabels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key] ?? '');
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** True for `{}`: no terms at all. */
export function selectsEverything(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

/** The selector as `metav1.FormatLabelSelector` prints it: `<none>`-free, `{}` is `(all)`. */
export function formatSelector(sel: LabelSelector): string {
  if (selectsEverything(sel)) return '(all)';
  const terms = Object.entries(sel.matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions) {
    if (r.operator === 'Exists') terms.push(r.key);
    else if (r.operator === 'DoesNotExist') terms.push(`!${r.key}`);
    else terms.push(`${r.key} ${r.operator.toLowerCase()} (${r.values.join(',')})`);
  }
  return terms.join(',');
}
