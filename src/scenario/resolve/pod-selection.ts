/**
 * Whether a Service's selector selects any pod, and any that declares a port: what
 * checkSelectors asks of every Service. cluster/controllers' `labelIndex(…).select` answers with
 * every selected pod, each checked by `Object.entries` of the selector; the check here only
 * needs the first one (10,000 Services of 45 pods each were 450,000 such checks and arrays).
 * Same candidates, same order: the pods of the selector's rarest `key=value` (or of the
 * namespace), in the order given; pod-selection.test.ts holds it equal to `select(…).find(…)`.
 */
import type { Labels, Pod } from '../../cluster/objects.js';

/**
 * Pods side by side in the list given, of one namespace and one labels object: a workload's
 * replicas. Indexed as one entry, its labels matched once (a DaemonSet's 5,000 pods were
 * 10,000 list entries; now one run in each list).
 */
interface Run {
  readonly labels: Labels;
  readonly pods: Pod[];
}

/**
 * Runs by namespace and by namespace, label key and value. The key and the value are looked up
 * one after the other, not joined: a joined string is made, flattened and hashed anew for every
 * label of every run and every selector (10,000 Services and their runs in large.yaml), where
 * the key and value strings keep their hashes.
 */
export class PodSelection {
  private readonly byNamespace = new Map<string, Run[]>();
  /** namespace → key → value → runs. */
  private readonly byPair = new Map<string, Map<string, Map<string, Run[]>>>();

  constructor(pods: readonly Pod[]) {
    let last: Run | undefined;
    let lastNamespace = '';
    for (const pod of pods) {
      if (last !== undefined && pod.labels === last.labels && pod.namespace === lastNamespace) {
        last.pods.push(pod);
        continue;
      }
      const run: Run = { labels: pod.labels, pods: [pod] };
      push(this.byNamespace, pod.namespace, run);
      let pairs = this.byPair.get(pod.namespace);
      if (pairs === undefined) this.byPair.set(pod.namespace, (pairs = new Map()));
      for (const k of Object.keys(pod.labels)) {
        let values = pairs.get(k);
        if (values === undefined) pairs.set(k, (values = new Map()));
        push(values, pod.labels[k] ?? '', run);
      }
      last = run;
      lastNamespace = pod.namespace;
    }
  }

  /**
   * The first pod of `namespace` that `selector` selects and `accept` takes (every pod when
   * absent). Any list scanned holds every selected pod in order, so the shortest is scanned.
   */
  find(namespace: string, selector: Labels, accept?: (pod: Pod) => boolean): Pod | undefined {
    let candidates = this.byNamespace.get(namespace);
    if (candidates === undefined) return undefined;
    const pairs = this.byPair.get(namespace);
    const keys = Object.keys(selector);
    for (const k of keys) {
      const list = pairs?.get(k)?.get(selector[k] ?? '');
      if (list === undefined) return undefined;
      if (list.length < candidates.length) candidates = list;
    }
    for (const run of candidates) {
      if (!matches(keys, selector, run.labels)) continue;
      if (accept === undefined) return run.pods[0];
      for (const pod of run.pods) if (accept(pod)) return pod;
    }
    return undefined;
  }
}

function matches(keys: readonly string[], selector: Labels, labels: Labels): boolean {
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}

function push(map: Map<string, Run[]>, key: string, run: Run): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [run]);
  else list.push(run);
}
