/**
 * Where the controllers' pods go. The scheduler is not modelled; netsim places pods by a fixed
 * rule so that the same scenario always gives the same placement:
 *
 * - A node is *eligible* for a pod template when it carries every `nodeSelector` label and the
 *   template tolerates each of its `NoSchedule` and `NoExecute` taints (the scheduler's
 *   NodeAffinity and TaintToleration filters; `PreferNoSchedule` only scores, so it does not
 *   exclude).
 * - Deployment, ReplicaSet and StatefulSet pods go round-robin over the eligible nodes in node
 *   order, with one counter for every pod the controllers place (workloads in document order,
 *   replicas in order): pod k goes to eligible[k mod n]. That spreads each workload and the
 *   cluster as a whole.
 * - A DaemonSet puts one pod on each eligible node, with the tolerations its controller adds
 *   (pkg/controller/daemon/util `AddOrUpdateDaemonPodTolerations`).
 */
import type { Labels, Node } from '../objects.js';
import type { Taint, Toleration } from '../workload-objects.js';

/** v1helper.TolerationsTolerateTaint for one toleration: key, operator/value, effect. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  return t.operator === 'Exists' || t.value === taint.value;
}

/** The taints that keep a pod off a node unless tolerated (NoSchedule, NoExecute). */
export function untoleratedTaint(node: Node, tolerations: readonly Toleration[]): Taint | undefined {
  return (node.taints ?? []).find((taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** True when the node carries every label of `nodeSelector`. */
export function matchesNodeSelector(node: Node, nodeSelector: Labels): boolean {
  for (const [k, v] of Object.entries(nodeSelector)) if (node.labels[k] !== v) return false;
  return true;
}

/** The nodes a template may run on, in node order. */
export function eligibleNodes(nodes: readonly Node[], nodeSelector: Labels, tolerations: readonly Toleration[]): Node[] {
  return nodes.filter((n) => matchesNodeSelector(n, nodeSelector) && untoleratedTaint(n, tolerations) === undefined);
}

/** The tolerations the DaemonSet controller adds to every daemon pod (hostNetwork pods also tolerate network-unavailable). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: Toleration['effect']): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', value: '', ...(effect === undefined ? {} : { effect }) });
  return [
    t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'),
    t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule'), ...(hostNetwork ? [t('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** Why no node is eligible, in words (for the warning). */
export function whyNoNode(nodes: readonly Node[], nodeSelector: Labels, tolerations: readonly Toleration[]): string {
  const selected = nodes.filter((n) => matchesNodeSelector(n, nodeSelector));
  if (selected.length === 0) return `no node has the labels of its nodeSelector (${Object.entries(nodeSelector).map(([k, v]) => `${k}=${v}`).join(',')})`;
  const taint = selected.map((n) => untoleratedTaint(n, tolerations)).find((x) => x !== undefined);
  return taint === undefined ? 'no node is eligible' : `every node it selects has a taint it does not tolerate (${taint.key}${taint.value === '' ? '' : `=${taint.value}`}:${taint.effect})`;
}
