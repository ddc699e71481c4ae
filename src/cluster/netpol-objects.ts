/**
 * NetworkPolicy objects as netsim reads them from a scenario (`networking.k8s.io/v1
 * NetworkPolicy`, defaults applied), and who enforces them (`Cluster.spec.networkPolicy`).
 *
 * The spec's shapes are the policy layer's (src/policy/api.ts), so the objects the loader
 * produces are what the evaluator reads, with no conversion. Layer `cluster`, beside objects.ts
 * (which re-exports these): imports `diag` and `policy` types only.
 */
import type { SourcePos } from '../diag/diagnostic.js';
import type { NetworkPolicySpecObject } from '../policy/api.js';
/** `{}`, and SetDefaults_NetworkPolicy's policyTypes rule, for the loader. */
export { EVERYTHING, defaultPolicyTypes } from '../policy/api.js';

export type {
  IPBlock, LabelSelector, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort, PolicyType, SelectorOperator,
  SelectorRequirement,
} from '../policy/api.js';

/** A NetworkPolicy: name, namespace, labels, the spec with its defaults, and where it was written. */
export interface NetworkPolicy extends NetworkPolicySpecObject {
  readonly labels: Readonly<Record<string, string>>;
  readonly pos?: SourcePos;
}

/**
 * What enforces NetworkPolicy in the cluster:
 * - `calico`: Felix on every node (the only value with `cni: {type: calico}`, and its default);
 * - `canal`: flannel between nodes, Calico's pod plumbing and Felix on each node (with `cni: {type: flannel}`);
 * - `kube-router`: kube-router's network policy controller, as k3s embeds it beside flannel (flannel or bridge);
 * - `none`: nothing (the default for flannel and bridge): policies are stored and ignored.
 */
export type NetworkPolicyEnforcer = 'calico' | 'canal' | 'kube-router' | 'none';

/** `Cluster.spec.networkPolicy`. */
export interface NetworkPolicyConfig {
  readonly enforcer: NetworkPolicyEnforcer;
}
