/**
 * The independent evaluator of NetworkPolicy semantics, straight from the API objects (no
 * iptables, no ipsets): the oracle the datapath's verdicts are compared with.
 *
 * A connection is allowed when both ends agree: the source pod's egress side and the
 * destination pod's ingress side. A side is *isolated* when some policy of the pod's namespace
 * selects the pod and lists that direction in `policyTypes`; an isolated side allows the packet
 * when some rule of some selecting policy matches it (a pure union: no deny rules, no order).
 * A side that is not a pod (an external address) or a hostNetwork pod is never isolated.
 *
 * When the world has AdminNetworkPolicies or a BaselineAdminNetworkPolicy, each side passes
 * through the tiers first (tiers.ts): an ANP's Allow or Deny is final, its Pass (or no ANP
 * rule matching) leaves the side to NetworkPolicy, and a side NetworkPolicy does not isolate
 * goes to the BANP before the default allow.
 */
import type { NetworkPolicySpecObject, PolicyType } from './api.js';
import { type PolicyPacket, peerMatches, portMatches } from './match.js';
import { selectorMatches } from './selector.js';
import { type AdminDecision, type AdminRuleRef, type AdminSelected, adminSelecting, adminTier, baselineTier } from './tiers.js';
import { type PolicyEndpoint, type PolicyPod, type PolicyWorld } from './world.js';

/**
 * What one side (egress of the source, ingress of the destination) says about the packet.
 * `pass` names the ANP rule that passed the side on to NetworkPolicy, when one did.
 */
export type SideVerdict = (
  /** No policy selects this end for this direction (or it is no pod, or a hostNetwork pod). */
  | { readonly kind: 'not-isolated'; readonly why: 'no-policy' | 'not-a-pod' | 'host-network' }
  /** Isolated, and rule `ruleIndex` (0-based, as in `spec.ingress[i]`) of NetworkPolicy `policy` matches. */
  | { readonly kind: 'allowed'; readonly policy: string; readonly ruleIndex: number; readonly peerIndex?: number; readonly portIndex?: number }
  /** Isolated by `policies` (`ns/name`, in order), and none of their rules matches. */
  | { readonly kind: 'denied'; readonly policies: readonly string[] }
  /** An AdminNetworkPolicy or BaselineAdminNetworkPolicy rule decided (Allow or Deny). */
  | { readonly kind: 'admin'; readonly decision: AdminDecision }
) & { readonly pass?: AdminRuleRef };

/** Does this side let the packet through: anything but a NetworkPolicy default deny or an admin Deny. */
export function sideAllows(v: SideVerdict): boolean {
  if (v.kind === 'denied') return false;
  return v.kind !== 'admin' || v.decision.action === 'Allow';
}

/** A connection's verdict: both sides, and whether it gets through. */
export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** A connection attempt: from `src` to `dst` on `protocol`/`port` (the destination's port after DNAT). */
export interface PolicyQuery extends PolicyPacket {
  readonly src: PolicyEndpoint;
  readonly dst: PolicyEndpoint;
}

/** The verdict of NetworkPolicy on a new connection (replies ride conntrack and are not judged). */
export function allowed(world: PolicyWorld, q: PolicyQuery): PolicyVerdict {
  const egress = side(world, q, 'Egress');
  const ingress = side(world, q, 'Ingress');
  return { allowed: sideAllows(egress) && sideAllows(ingress), egress, ingress };
}

/** The policies of `pod`'s namespace that select it for `type`, in the world's order. */
export function isolatingPolicies(world: PolicyWorld, pod: PolicyPod, type: PolicyType): NetworkPolicySpecObject[] {
  if (pod.hostNetwork) return [];
  return world.policies.filter((p) => p.namespace === pod.namespace && p.policyTypes.includes(type) && selectorMatches(p.podSelector, pod.labels));
}

/**
 * One side of a connection: for Egress the source pod's policies, matched against the
 * destination; for Ingress the destination pod's, matched against the source.
 */
export function side(world: PolicyWorld, q: PolicyQuery, type: PolicyType): SideVerdict {
  const self = type === 'Egress' ? q.src.pod : q.dst.pod;
  if (self === undefined) return { kind: 'not-isolated', why: 'not-a-pod' };
  if (self.hostNetwork) return { kind: 'not-isolated', why: 'host-network' };
  return tieredSide(world, q, { type, policies: isolatingPolicies(world, self, type), ...adminSelecting(world, self) });
}

/**
 * One side through the three tiers, with the policies that select the pod already known:
 * ANP (a final Allow/Deny, or a Pass), then NetworkPolicy when it isolates the pod, then the
 * BANP, then the default (not isolated).
 */
export function tieredSide(world: PolicyWorld, q: PolicyQuery, sel: AdminSelected & { readonly type: PolicyType; readonly policies: readonly NetworkPolicySpecObject[] }): SideVerdict {
  const a = adminTier(world, q, sel.type, sel.admin);
  if (a.kind === 'decided') return { kind: 'admin', decision: a.decision };
  const pass = a.kind === 'pass' ? { pass: a.rule } : {};
  const np = sideWith(world, q, sel);
  if (np.kind !== 'not-isolated') return { ...np, ...pass };
  const b = baselineTier(world, q, sel.type, sel.baseline);
  return b === undefined ? { ...np, ...pass } : { kind: 'admin', decision: b, ...pass };
}

/** NetworkPolicy alone for one side, with the isolating policies already known (no admin tiers). */
export function sideWith(world: PolicyWorld, q: PolicyQuery, isolation: { readonly type: PolicyType; readonly policies: readonly NetworkPolicySpecObject[] }): SideVerdict {
  const { type, policies } = isolation;
  const other: PolicyEndpoint = type === 'Egress' ? q.dst : q.src;
  if (policies.length === 0) return { kind: 'not-isolated', why: 'no-policy' };
  for (const p of policies) {
    const rules = type === 'Ingress' ? p.ingress.map((r) => ({ peers: r.from, ports: r.ports })) : p.egress.map((r) => ({ peers: r.to, ports: r.ports }));
    for (const [ruleIndex, rule] of rules.entries()) {
      const peerIndex = rule.peers.length === 0 ? -1 : rule.peers.findIndex((peer) => peerMatches(world, p.namespace, peer, other));
      if (peerIndex === -1 && rule.peers.length > 0) continue;
      const portIndex = rule.ports.length === 0 ? -1 : rule.ports.findIndex((port) => portMatches(port, q, q.dst.pod));
      if (portIndex === -1 && rule.ports.length > 0) continue;
      return {
        kind: 'allowed',
        policy: `${p.namespace}/${p.name}`,
        ruleIndex,
        ...(peerIndex >= 0 ? { peerIndex } : {}),
        ...(portIndex >= 0 ? { portIndex } : {}),
      };
    }
  }
  return { kind: 'denied', policies: policies.map((p) => `${p.namespace}/${p.name}`) };
}
