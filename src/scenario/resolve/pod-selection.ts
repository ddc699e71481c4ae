/**
 * Whether a Service's selector selects any pod, and any that declares a port: what
 * checkSelectors asks of every Service. cluster/controllers' `labelIndex(…).select` answers with
 * every selected pod, each checked by `Object.entries` of the selector; the check here only
 * needs the first one (10,000 Services of 45 pods each were 450,000 such checks and arrays).
 * Same candidates, same order: the pods of the selector's rarest `key=value` (or of the
 * namespace), in the order given; pod-selection.test.ts holds it equal to `select(…).find(…)`.
 */
import type { Labels, Pod } from '../../cluster/objects.js';

/** Pods by namespace and by namespace, label key and value. */
export class PodSelection {
  private readonly byNamespace = new Map<string, Pod[]>();
  /** namespace → `key\0value` → pods. */
  private readonly byPair = new Map<string, Map<string, Pod[]>>();

  constructor(pods: readonly Pod[]) {
    // The replicas of a workload come one after another with one labels object: its keys are made once.
    let lastLabels: Labels | undefined;
    let lastKeys: string[] = [];
    for (const pod of pods) {
      push(this.byNamespace, pod.namespace, pod);
      let pairs = this.byPair.get(pod.namespace);
      if (pairs === undefined) this.byPair.set(pod.namespace, (pairs = new Map()));
      if (pod.labels !== lastLabels) {
        lastKeys = [];
        for (const k of Object.keys(pod.labels)) lastKeys.push(`${k}\u0000${pod.labels[k]}`);
        lastLabels = pod.labels;
      }
      for (const key of lastKeys) push(pairs, key, pod);
    }
  }

  /** The first pod of `namespace` that `selector` selects and `accept` takes (every pod when absent). */
  find(namespace: string, selector: Labels, accept?: (pod: Pod) => boolean): Pod | undefined {
    let candidates = this.byNamespace.get(namespace);
    if (candidates === undefined) return undefined;
    const pairs = this.byPair.get(namespace);
    const keys = Object.keys(selector);
    for (const k of keys) {
      const list = pairs?.get(`${k}\u0000${selector[k]}`);
      if (list === undefined) return undefined;
      if (list.length < candidates.length) candidates = list;
    }
    for (const pod of candidates) if (matches(keys, selector, pod.labels) && (accept === undefined || accept(pod))) return pod;
    return undefined;
  }
}

function matches(keys: readonly string[], selector: Labels, labels: Labels): boolean {
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}

function push(map: Map<string, Pod[]>, key: string, pod: Pod): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [pod]);
  else list.push(pod);
}
