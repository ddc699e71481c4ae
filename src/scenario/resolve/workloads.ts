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

/** What the workloads resolve to. */
export interface ResolvedWorkloads {
  readonly workloads: Workload[];
  readonly replicaSets: ReplicaSet[];
  /** The pods the controllers made. */
  readonly pods: readonly Pod[];
  /** Each pod's workload: its index in {@link raws}. */
  readonly podWorkload: readonly number[];
  /**
   * By workload: a RawPod that stands for each of its pods in diagnostics (its fields point at
   * the workload, it fixes no podIP). One a workload, not one a pod: the diagnostics of a made
   * pod read only these, and 150,000 copies of the workload's metadata were a fifth of
   * resolving large.yaml's workloads, with their garbage.
   */
  readonly raws: readonly RawPod[];
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
  const raws = usable.map((w): RawPod => ({ meta: w.meta, hostNetwork: w.workload.template.hostNetwork, ready: true, containers: w.workload.template.containers }));
  return { workloads, replicaSets: made.replicaSets, pods: made.pods, podWorkload: made.podWorkload, raws };
}
