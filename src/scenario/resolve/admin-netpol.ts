/**
 * AdminNetworkPolicies and the BaselineAdminNetworkPolicy: unique by name (the BANP can only
 * be `default`, so a second one is a duplicate), a warning for two ANPs of one priority (the
 * API leaves their order undefined), and a warning when nothing in the cluster would enforce
 * them (SCN_ANP_NOT_ENFORCED: no agent, or kube-router, which implements NetworkPolicy only)
 * or when Felix would but netsim's datapath does not apply them yet (SCN_ANP_NOT_SIMULATED).
 */
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy, NetworkPolicyConfig } from '../../cluster/objects.js';
import type { RawAdminNetworkPolicy, RawBaselineAdminNetworkPolicy } from '../raw.js';
import { warn } from '../reader.js';
import { dedupe } from './unique.js';

/** The admin policies of the scenario, checked across objects. */
export interface ResolvedAdminPolicies {
  readonly adminNetworkPolicies: AdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
}

/** Dedupes, warns about shared priorities and about enforcement; ANPs stay in document order. */
export function resolveAdminPolicies(anps: readonly RawAdminNetworkPolicy[], banps: readonly RawBaselineAdminNetworkPolicy[], config: NetworkPolicyConfig): ResolvedAdminPolicies {
  const admin = dedupe(anps, (p) => p.meta.name, (p) => p.meta.nameField, 'AdminNetworkPolicy');
  const baseline = dedupe(banps, (p) => p.meta.name, (p) => p.meta.nameField, 'BaselineAdminNetworkPolicy')[0];
  const byPriority = new Map<number, string>();
  for (const p of admin) {
    const other = byPriority.get(p.policy.priority);
    if (other !== undefined) {
      warn(p.priorityField, 'SCN_ANP_SAME_PRIORITY', `AdminNetworkPolicies ${other} and ${p.meta.name} share priority ${p.policy.priority}: where both match a connection the API leaves the winner undefined; netsim (like Calico) checks them in name order`);
    } else byPriority.set(p.policy.priority, p.meta.name);
  }
  const first = admin[0]?.kindField ?? baseline?.kindField;
  if (first !== undefined) enforcementWarning(first, [...admin.map((p) => `AdminNetworkPolicy ${p.meta.name}`), ...(baseline === undefined ? [] : ['BaselineAdminNetworkPolicy default'])], config);
  return { adminNetworkPolicies: admin.map((p) => p.policy), ...(baseline === undefined ? {} : { baselineAdminNetworkPolicy: baseline.policy }) };
}

function enforcementWarning(at: RawAdminNetworkPolicy['kindField'], names: readonly string[], config: NetworkPolicyConfig): void {
  const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  if (config.enforcer === 'none' || config.enforcer === 'kube-router') {
    const why = config.enforcer === 'none' ? 'the cluster has no policy agent' : "kube-router's network policy controller implements NetworkPolicy only";
    warn(at, 'SCN_ANP_NOT_ENFORCED', `${list}: nothing enforces admin network policies here (${why}); use cni calico, or enforcer canal (Calico 3.29 and later)`);
    return;
  }
  warn(at, 'SCN_ANP_NOT_SIMULATED', `${list} would be enforced by ${config.enforcer} (Felix's admin tiers), but netsim does not apply them in the datapath yet: traces ignore them`);
}
