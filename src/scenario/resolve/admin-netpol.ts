/**
 * AdminNetworkPolicies and the BaselineAdminNetworkPolicy: unique by name (the BANP can only
 * be `default`, so a second one is a duplicate), a warning for two ANPs of one priority (the
 * API leaves their order undefined), and a warning when nothing in the cluster would enforce
 * them (SCN_ANP_NOT_ENFORCED: no agent, or kube-router, which implements NetworkPolicy only),
 * and, where Felix enforces them (calico, canal), a warning for each rule Calico's conversion
 * reads differently from the API (SCN_ANP_CALICO_GAP, src/cluster/calico-admin-netpol.ts).
 */
import type { AdminNetworkPolicy, AdminRule, BaselineAdminNetworkPolicy, NetworkPolicyConfig } from '../../cluster/objects.js';
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
  if (config.enforcer !== 'none' && config.enforcer !== 'kube-router') {
    for (const p of admin) calicoGapWarnings(p.kindField, `AdminNetworkPolicy ${p.meta.name}`, p.policy);
    if (baseline !== undefined) calicoGapWarnings(baseline.kindField, 'BaselineAdminNetworkPolicy default', baseline.policy);
  }
  return { adminNetworkPolicies: admin.map((p) => p.policy), ...(baseline === undefined ? {} : { baselineAdminNetworkPolicy: baseline.policy }) };
}

function enforcementWarning(at: RawAdminNetworkPolicy['kindField'], names: readonly string[], config: NetworkPolicyConfig): void {
  const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  if (config.enforcer === 'none' || config.enforcer === 'kube-router') {
    const why = config.enforcer === 'none' ? 'the cluster has no policy agent' : "kube-router's network policy controller implements NetworkPolicy only";
    warn(at, 'SCN_ANP_NOT_ENFORCED', `${list}: nothing enforces admin network policies here (${why}); use cni calico, or enforcer canal (Calico 3.29 and later; 3.30 for the baseline)`);
  }
}

/** What Calico 3.30's conversion does with a rule the API reads otherwise, or undefined. */
function calicoGap(rule: AdminRule): string | undefined {
  if (rule.peers.some((p) => 'nodes' in p || 'domainNames' in p)) return rule.action === 'Allow' ? 'is left out (Calico converts no nodes or domainNames peer)' : 'becomes a deny-all rule (Calico converts no nodes or domainNames peer, and fails closed)';
  if ((rule.ports ?? []).some((p) => 'namedPort' in p)) return 'matches every port and protocol (Calico converts no namedPort)';
  return undefined;
}

function calicoGapWarnings(at: RawAdminNetworkPolicy['kindField'], what: string, policy: { readonly ingress: readonly AdminRule[]; readonly egress: readonly AdminRule[] }): void {
  for (const [dir, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
    rules.forEach((r, i) => {
      const gap = calicoGap(r);
      if (gap !== undefined) warn(at, 'SCN_ANP_CALICO_GAP', `${what} ${dir} rule #${i + 1}${r.name === '' ? '' : ` "${r.name}"`} ${gap}: Felix's datapath differs from the API here, so the matrix reports these cells as inconsistent`);
    });
  }
}
