/**
 * The two admin tiers around NetworkPolicy, for one side of a connection (the source's egress
 * or the destination's ingress), as the network-policy-api defines their precedence:
 *
 *   AdminNetworkPolicy (priority ascending, rules in order): Allow / Deny are final,
 *     Pass skips every remaining ANP rule and hands the side to NetworkPolicy
 *   NetworkPolicy: decides when it isolates the pod
 *   BaselineAdminNetworkPolicy (rules in order): Allow / Deny
 *   otherwise allowed
 *
 * This file holds the first and the third steps; evaluate.ts chains them around NetworkPolicy.
 */
import { type AdminNetworkPolicySpecObject, type AdminRule, type BaselineAdminNetworkPolicySpecObject, adminOrder } from './admin-api.js';
import { adminPeerMatches, adminPortMatches, selectionMatches } from './admin-match.js';
import type { PolicyType } from './api.js';
import type { PolicyPacket } from './match.js';
import type { PolicyEndpoint, PolicyPod, PolicyWorld } from './world.js';

/** Which admin tier a rule belongs to. */
export type AdminTier = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** A rule of an admin policy: `spec.ingress[ruleIndex]` (or egress) of `policy`, with its name. */
export interface AdminRuleRef {
  readonly tier: AdminTier;
  readonly policy: string;
  /** The AdminNetworkPolicy's priority (absent for the baseline). */
  readonly priority?: number;
  readonly ruleIndex: number;
  readonly ruleName: string;
}

/** The rule that decided a side, and what it said. */
export interface AdminDecision extends AdminRuleRef {
  readonly action: 'Allow' | 'Deny';
}

/** What the ANP tier says: a final Allow/Deny, a Pass to NetworkPolicy, or nothing matched. */
export type AdminTierResult =
  | { readonly kind: 'decided'; readonly decision: AdminDecision }
  | { readonly kind: 'pass'; readonly rule: AdminRuleRef }
  | { readonly kind: 'no-match' };

/** The admin policies that select a pod, found once per pod (the matrix reuses them). */
export interface AdminSelected {
  /** ANPs whose subject selects the pod, in evaluation order. */
  readonly admin: readonly AdminNetworkPolicySpecObject[];
  /** The BANP, when its subject selects the pod. */
  readonly baseline?: BaselineAdminNetworkPolicySpecObject;
}

/** The ANPs (in evaluation order) and the BANP whose subjects select `pod`. */
export function adminSelecting(world: PolicyWorld, pod: PolicyPod): AdminSelected {
  if (pod.hostNetwork) return { admin: [] };
  const admin = (world.adminPolicies ?? []).filter((p) => selectionMatches(world, p.subject, pod)).sort(adminOrder);
  const b = world.baselinePolicy;
  return b !== undefined && selectionMatches(world, b.subject, pod) ? { admin, baseline: b } : { admin };
}

/** The query one tier reads: the other end and the packet. */
export interface TierQuery extends PolicyPacket {
  readonly src: PolicyEndpoint;
  readonly dst: PolicyEndpoint;
}

/** The ANP tier for one side: the first matching rule of the first policy that has one. */
export function adminTier(world: PolicyWorld, q: TierQuery, type: PolicyType, policies: readonly AdminNetworkPolicySpecObject[]): AdminTierResult {
  for (const p of policies) {
    const hit = firstMatch(world, q, type, type === 'Ingress' ? p.ingress : p.egress);
    if (hit === undefined) continue;
    const ref: AdminRuleRef = { tier: 'AdminNetworkPolicy', policy: p.name, priority: p.priority, ruleIndex: hit.index, ruleName: hit.rule.name };
    if (hit.rule.action === 'Pass') return { kind: 'pass', rule: ref };
    return { kind: 'decided', decision: { ...ref, action: hit.rule.action } };
  }
  return { kind: 'no-match' };
}

/** The BANP tier for one side: its first matching rule, or undefined. */
export function baselineTier(world: PolicyWorld, q: TierQuery, type: PolicyType, banp: BaselineAdminNetworkPolicySpecObject | undefined): AdminDecision | undefined {
  if (banp === undefined) return undefined;
  const hit = firstMatch(world, q, type, type === 'Ingress' ? banp.ingress : banp.egress);
  // A Pass cannot reach here (the loader refuses it in a BANP); were it there, it would fall through to the default.
  if (hit === undefined || hit.rule.action === 'Pass') return undefined;
  return { tier: 'BaselineAdminNetworkPolicy', policy: banp.name, ruleIndex: hit.index, ruleName: hit.rule.name, action: hit.rule.action };
}

/** The first rule (in order) whose peers match the other end and whose ports match the packet. */
function firstMatch(world: PolicyWorld, q: TierQuery, type: PolicyType, rules: readonly AdminRule[]): { readonly index: number; readonly rule: AdminRule } | undefined {
  const other = type === 'Ingress' ? q.src : q.dst;
  for (const [index, rule] of rules.entries()) {
    if (!rule.peers.some((peer) => adminPeerMatches(world, peer, other))) continue;
    if (rule.ports !== undefined && !rule.ports.some((port) => adminPortMatches(port, q, q.dst.pod))) continue;
    return { index, rule };
  }
  return undefined;
}
