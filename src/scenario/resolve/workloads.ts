/**
 * Workloads: unique `namespace/name` per kind, a template nodeName that names a node, then the
 * controllers (cluster/controllers/workloads.ts) turn them into pods, which join the written
 * Pods in resolvePods. Replicas no node can take are reported (SCN_WORKLOAD_UNSCHEDULABLE): the
 * pods would stay Pending, and netsim models only placed pods.
 */
import { expandWorkloads } from '../../cluster/controllers/workloads.js';
import type { Node, Pod, ReplicaSet, Workload } from '../../cluster/objects.js';
import type { RawPod, RawWorkload } from '../raw.js';
import { fail, warn } from '../reader.js';
import { dedupe } from './unique.js';

/** A pod a controller made, with a RawPod standing for it in diagnostics (pointing at its workload). */
export interface MadePod {
  readonly pod: Pod;
  readonly raw: RawPod;
}

/** What the workloads resolve to. */
export interface ResolvedWorkloads {
  readonly workloads: Workload[];
  readonly replicaSets: ReplicaSet[];
  readonly pods: MadePod[];
}

/** Checks the workloads and runs their controllers; `podKeys` are the written Pods' `namespace/name`. */
export function resolveWorkloads(raw: readonly RawWorkload[], nodes: readonly Node[], podKeys: Iterable<string>): ResolvedWorkloads {
  const unique = dedupe(raw, (w) => `${w.workload.kind} ${w.meta.namespace}/${w.meta.name}`, (w) => w.meta.nameField, 'workload');
  const nodeNames = new Set(nodes.map((n) => n.name));
  const usable = unique.filter((w) => {
    const fixed = w.workload.template.nodeName;
    if (fixed === undefined || nodeNames.has(fixed)) return true;
    fail(w.templateNodeName, 'SCN_MISSING_REFERENCE', `${w.workload.kind} ${w.meta.name}'s template names node ${fixed}, which does not exist`);
    return false;
  });
  const workloads = usable.map((w) => w.workload);
  const made = expandWorkloads(workloads, nodes, new Set(podKeys));
  for (const p of made.pending) {
    const w = usable[p.workload];
    if (w === undefined) continue;
    const what = p.missing === 0 ? 'no pod is made' : `${p.missing} of ${w.workload.replicas} replicas stay Pending and are left out`;
    warn(w.meta.nameField, 'SCN_WORKLOAD_UNSCHEDULABLE', `${w.workload.kind} ${w.meta.name}: ${what}: ${p.reason}`);
  }
  // A loop, not flatMap: a workload expands to 150,000 pods in large.yaml.
  const pods: MadePod[] = [];
  for (const { pod, workload } of made.pods) {
    const w = usable[workload];
    if (w === undefined) continue;
    const raw: RawPod = { meta: { ...w.meta, name: pod.name, labels: pod.labels }, hostNetwork: pod.hostNetwork, ready: true, containers: pod.containers };
    pods.push({ pod, raw });
  }
  return { workloads, replicaSets: made.replicaSets, pods };
}
