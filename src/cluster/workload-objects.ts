/**
 * The `apps/v1` workload objects (Deployment, ReplicaSet, StatefulSet, DaemonSet) as validated
 * data, and the node taints and pod tolerations that decide where a DaemonSet's pods go. The
 * controllers in controllers/workloads.ts expand them into Pods; the scenario loader reads them.
 *
 * Layer `cluster`: readonly, structured-cloneable values.
 */
import type { SourcePos } from '../diag/diagnostic.js';
import type { LabelSelector } from '../policy/api.js';
import type { Container, Labels } from './objects.js';

/** `taints[].effect` and `tolerations[].effect`. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** A node's `spec.taints[]` entry. */
export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

/** A pod's `spec.tolerations[]` entry; an empty key with `Exists` tolerates every taint. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value: string;
  /** Absent: every effect. */
  readonly effect?: TaintEffect;
}

/** `spec.template`: the pod every replica is made from (the fields netsim models). */
export interface PodTemplate {
  readonly labels: Labels;
  readonly hostNetwork: boolean;
  readonly containers: readonly Container[];
  /** `spec.nodeSelector`: a node must carry every label. */
  readonly nodeSelector: Labels;
  readonly tolerations: readonly Toleration[];
  /** `spec.nodeName`: the scheduler is bypassed (DaemonSets still place one per node). */
  readonly nodeName?: string;
}

/** The workload kinds of `apps/v1`. */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';

/** A Deployment, ReplicaSet, StatefulSet or DaemonSet, as written. */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** `spec.replicas` (default 1); DaemonSets have none (one pod per eligible node). */
  readonly replicas: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplate;
  /** StatefulSet `spec.serviceName`: the pods' subdomain (their DNS names come later). */
  readonly serviceName?: string;
  /** StatefulSet `spec.ordinals.start` (default 0): the first pod's ordinal. */
  readonly ordinalStart?: number;
  /** Deployment: `ComputeHash` of its template (controllers/workload-names.ts), the pod-template-hash. */
  readonly podTemplateHash?: string;
  readonly pos?: SourcePos;
}

/** Who made a pod: the controller's object (`metadata.ownerReferences[0]`). */
export interface PodOwner {
  readonly kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
}

/** A ReplicaSet: one written in the scenario, or the one a Deployment's controller made. */
export interface ReplicaSet {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly replicas: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplate;
  /** The Deployment that owns it (its name is `<deployment>-<pod-template-hash>`). */
  readonly deployment?: string;
}
