/**
 * `Cluster.spec.networkPolicy.enforcer`: what enforces NetworkPolicy. With `cni: calico` it is
 * Felix (`calico`, the only value); with flannel it is `none` (default), `canal` (Felix beside
 * flannel) or `kube-router`; with the bridge plugin `none` or `kube-router` (canal brings
 * flannel, so it needs `cni: flannel`).
 */
import type { CniConfig, NetworkPolicyConfig, NetworkPolicyEnforcer } from '../cluster/objects.js';
import { NETWORK_POLICY_CONFIG } from './fields.js';
import { type Field, child, fail, fieldName, optEnum, optMap } from './reader.js';

/** Every enforcer value. */
export const ENFORCERS: readonly NetworkPolicyEnforcer[] = ['calico', 'canal', 'kube-router', 'none'];

/** The enforcers each CNI plugin can run with; the first is the default. */
export const ENFORCERS_BY_CNI: Readonly<Record<CniConfig['type'], readonly NetworkPolicyEnforcer[]>> = {
  calico: ['calico'],
  flannel: ['none', 'canal', 'kube-router'],
  bridge: ['none', 'kube-router'],
};

/** Why an enforcer cannot run with a plugin, for the message. */
const WHY: Readonly<Partial<Record<`${CniConfig['type']}/${NetworkPolicyEnforcer}`, string>>> = {
  'calico/canal': 'with cni calico, Felix enforces NetworkPolicy itself (canal is Felix beside flannel)',
  'calico/kube-router': 'with cni calico, Felix enforces NetworkPolicy; a second policy agent would fight it',
  'calico/none': 'with cni calico, Felix always enforces NetworkPolicy',
  'flannel/calico': 'Felix beside flannel is canal: write enforcer: canal',
  'bridge/calico': 'Felix needs Calico\'s pod plumbing: use cni calico, or cni flannel with enforcer canal',
  'bridge/canal': 'canal is flannel with Calico\'s pod plumbing: it needs cni flannel',
};

/** Reads `spec.networkPolicy` for the cluster's plugin. */
export function readNetworkPolicyConfig(f: Field, cni: CniConfig['type']): NetworkPolicyConfig {
  const allowed = ENFORCERS_BY_CNI[cni];
  const fallback = { enforcer: allowed[0] ?? 'none' } as const;
  if (optMap(f, NETWORK_POLICY_CONFIG) === undefined) return fallback;
  const field = child(f, 'enforcer');
  const enforcer = optEnum(field, ENFORCERS);
  if (enforcer === undefined) return fallback;
  if (!allowed.includes(enforcer)) {
    const why = WHY[`${cni}/${enforcer}`] ?? `cni ${cni} runs with ${allowed.join(' or ')}`;
    fail(field, 'SCN_NETPOL_ENFORCER', `${fieldName(field)}: ${enforcer} cannot enforce NetworkPolicy with cni ${cni}: ${why}`);
    return fallback;
  }
  return { enforcer };
}
