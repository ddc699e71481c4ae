/**
 * netsim's scheduler, for pods that do not name a node: round-robin over the nodes in node
 * order, in the pods' document order. The first unscheduled pod goes to the first node, the
 * second to the second, and so on, wrapping. Pods with `spec.nodeName` do not take a turn.
 * It ignores resources, taints and affinity: placement is what a scenario is about, so a
 * scenario that cares names the node.
 */

/** Chooses a node for each of `count` unscheduled pods; empty when there are no nodes. */
export function scheduleRoundRobin(nodeNames: readonly string[], count: number): string[] {
  if (nodeNames.length === 0) return [];
  return Array.from({ length: count }, (_, i) => nodeNames[i % nodeNames.length] ?? '');
}
