/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy objects as netsim reads them from a
 * scenario (`policy.networking.k8s.io/v1alpha1`, cluster-scoped, protocols defaulted to TCP).
 * The spec's shapes are the policy layer's (src/policy/admin-api.ts), so the loader's objects
 * are what the evaluator reads. Layer `cluster`, beside objects.ts (which re-exports these).
 */
import type { SourcePos } from '../diag/diagnostic.js';
import type { AdminNetworkPolicySpecObject, BaselineAdminNetworkPolicySpecObject } from '../policy/admin-api.js';

export type { AdminAction, AdminPeer, AdminPort, AdminRule, AdminSelection, NamespacedPod } from '../policy/admin-api.js';
export { ADMIN_LIMITS } from '../policy/admin-api.js';

/** An AdminNetworkPolicy: the spec, its labels, and where it was written. */
export interface AdminNetworkPolicy extends AdminNetworkPolicySpecObject {
  readonly labels: Readonly<Record<string, string>>;
  readonly pos?: SourcePos;
}

/** The BaselineAdminNetworkPolicy (always named `default`), its labels, and where it was written. */
export interface BaselineAdminNetworkPolicy extends BaselineAdminNetworkPolicySpecObject {
  readonly labels: Readonly<Record<string, string>>;
  readonly pos?: SourcePos;
}
