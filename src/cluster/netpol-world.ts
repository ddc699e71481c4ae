/**
 * The cluster's objects as the NetworkPolicy evaluator (src/policy) reads them: namespaces with
 * their labels, the policies, and each running pod with the address its packets carry. The
 * objects fit the evaluator's structural types as they are; this only picks them out and pairs
 * pods with the addresses the CNI plugin gave them.
 */
import type { Family } from '../addr/index.js';
import type { MatrixPod, PolicyWorld } from '../policy/index.js';
import type { BuiltCluster } from './assemble/cluster.js';
import type { ClusterSpec } from './objects.js';

/**
 * Namespaces and NetworkPolicies of a validated scenario, with its AdminNetworkPolicies, its
 * BaselineAdminNetworkPolicy and its nodes (for `nodes` peers) when it has them.
 */
export function policyWorldOf(spec: Pick<ClusterSpec, 'namespaces' | 'networkPolicies'> & Partial<Pick<ClusterSpec, 'adminNetworkPolicies' | 'baselineAdminNetworkPolicy' | 'nodes'>>): PolicyWorld {
  return {
    namespaces: spec.namespaces,
    policies: spec.networkPolicies,
    ...(spec.adminNetworkPolicies === undefined ? {} : { adminPolicies: spec.adminNetworkPolicies }),
    ...(spec.baselineAdminNetworkPolicy === undefined ? {} : { baselinePolicy: spec.baselineAdminNetworkPolicy }),
    ...(spec.nodes === undefined ? {} : { nodes: spec.nodes }),
  };
}

/**
 * Every pod with a sandbox, in the built cluster's order, with its address of `family` (the
 * cluster's own by default; absent when the pod has none). hostNetwork pods carry their node's
 * address, and are never selected.
 */
export function policyPodsOf(built: Pick<BuiltCluster, 'pods' | 'spec'>, family: Family = built.spec.cluster.clusterCIDR.addr.family): MatrixPod[] {
  return built.pods.map((b) => {
    const addr = b.ips.find((i) => i.family === family);
    return addr === undefined ? b.pod : { ...b.pod, ip: addr };
  });
}
