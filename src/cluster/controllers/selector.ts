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
