/**
 * NetworkPolicies: unique by namespace and name, and a warning when they exist but nothing
 * would enforce them (SCN_NETPOL_NOT_ENFORCED: the trap of a flannel or bridge cluster without
 * a policy agent) or when an agent would, but netsim's datapath does not apply them yet
 * (SCN_NETPOL_NOT_SIMULATED), so a trace's DELIVERED is not mistaken for the agent's verdict.
 * Calico's Felix is simulated: its policy chains and ipsets are in the kernel model.
 */
import type { NetworkPolicy, NetworkPolicyConfig } from '../../cluster/objects.js';
import type { RawNetworkPolicy } from '../raw.js';
import { warn } from '../reader.js';
import { dedupe } from './unique.js';

/** Enforcers whose rules netsim loads into the datapath (Felix's for calico: cni/calico/felix). */
const SIMULATED: ReadonlySet<string> = new Set(['calico']);

/** The policies, in document order, and the enforcement warning (one, at the first policy). */
export function resolveNetworkPolicies(raw: readonly RawNetworkPolicy[], config: NetworkPolicyConfig, cni: string): NetworkPolicy[] {
  const unique = dedupe(raw, (p) => `${p.meta.namespace}/${p.meta.name}`, (p) => p.meta.nameField, 'NetworkPolicy');
  const first = unique[0];
  if (first === undefined) return [];
  const names = listed(unique.map((p) => `${p.meta.namespace}/${p.meta.name}`));
  const count = unique.length === 1 ? '1 NetworkPolicy' : `${unique.length} NetworkPolicies`;
  if (config.enforcer === 'none') {
    warn(first.kindField, 'SCN_NETPOL_NOT_ENFORCED', `${count} (${names}) but nothing enforces them: cni ${cni} has no policy agent, so every pod reaches every pod; set Cluster spec.networkPolicy.enforcer (kube-router${cni === 'flannel' ? ' or canal' : ''}), or use cni calico`);
  } else if (!SIMULATED.has(config.enforcer)) {
    warn(first.kindField, 'SCN_NETPOL_NOT_SIMULATED', `${count} (${names}) would be enforced by ${config.enforcer}, but netsim does not apply NetworkPolicy in the datapath yet: traces ignore them`);
  }
  return unique.map((p) => p.policy);
}

/** Up to three names, then how many more. */
function listed(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
