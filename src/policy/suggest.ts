/**
 * The smallest change that lets a denied connection through: one rule added to the first
 * policy that isolates the denying side, matching exactly this peer and this port. A rule added
 * to a policy that already selects the pod can only open traffic (policies are a union of
 * allows), so nothing else that was allowed becomes denied; a new policy could isolate pods
 * that were open before, which is why the rule goes into an existing one.
 *
 * The peer is named as narrowly as the API can: a pod by its namespace's
 * `kubernetes.io/metadata.name` and all of its labels; anything a selector cannot match (an
 * address no pod owns, a hostNetwork pod) by an ipBlock of its single address.
 */
import { type Cidr, type Ip, cidr, formatIp } from '../addr/index.js';
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpecObject, PolicyType } from './api.js';
import { type PolicyQuery, allowed } from './evaluate.js';
import { METADATA_NAME_LABEL, type PolicyEndpoint, type PolicyWorld, namespaceLabels } from './world.js';

/** A rule to add to `spec.ingress` or `spec.egress` of policy `namespace/name`. */
export interface RuleSuggestion {
  readonly policy: { readonly namespace: string; readonly name: string };
  readonly type: PolicyType;
  readonly peer: NetworkPolicyPeer;
  readonly port: NetworkPolicyPort;
}

/**
 * The rules that would allow `q` (one per denying side, egress first), or none when it is
 * already allowed; undefined when no rule can (an endpoint with no address for an ipBlock).
 */
export function suggestAllow(world: PolicyWorld, q: PolicyQuery): RuleSuggestion[] | undefined {
  const v = allowed(world, q);
  const out: RuleSuggestion[] = [];
  for (const [type, side, self, other] of [['Egress', v.egress, q.src, q.dst], ['Ingress', v.ingress, q.dst, q.src]] as const) {
    if (side.kind !== 'denied') continue;
    const first = side.policies[0];
    const peer = peerFor(world, other);
    if (first === undefined || self.pod === undefined || peer === undefined) return undefined;
    const [namespace = '', name = ''] = first.split('/');
    out.push({ policy: { namespace, name }, type, peer, port: { protocol: q.protocol, port: q.port } });
  }
  return out;
}

/** The narrowest peer that matches `e`. */
export function peerFor(world: PolicyWorld, e: PolicyEndpoint): NetworkPolicyPeer | undefined {
  if (e.pod !== undefined && !e.pod.hostNetwork) {
    const nsLabels = namespaceLabels(world, e.pod.namespace);
    const nsName = nsLabels[METADATA_NAME_LABEL];
    const namespaceSelector: LabelSelector = { matchLabels: nsName === undefined ? nsLabels : { [METADATA_NAME_LABEL]: nsName }, matchExpressions: [] };
    return { namespaceSelector, podSelector: { matchLabels: e.pod.labels, matchExpressions: [] } };
  }
  if (e.ip === undefined) return undefined;
  return { ipBlock: { cidr: hostCidr(e.ip), except: [] } };
}

function hostCidr(ip: Ip): Cidr {
  return cidr(`${formatIp(ip)}/${ip.family === 4 ? 32 : 128}`);
}

/** The world with the suggested rules added. */
export function applySuggestions(world: PolicyWorld, rules: readonly RuleSuggestion[]): PolicyWorld {
  const policies = world.policies.map((p): NetworkPolicySpecObject => {
    const mine = rules.filter((r) => r.policy.namespace === p.namespace && r.policy.name === p.name);
    if (mine.length === 0) return p;
    const ingress = [...p.ingress, ...mine.filter((r) => r.type === 'Ingress').map((r) => ({ from: [r.peer], ports: [r.port] }))];
    const egress = [...p.egress, ...mine.filter((r) => r.type === 'Egress').map((r) => ({ to: [r.peer], ports: [r.port] }))];
    return { ...p, ingress, egress };
  });
  return { ...world, policies };
}
