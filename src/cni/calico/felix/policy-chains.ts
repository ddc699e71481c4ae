/**
 * Policies on a node: which apply to each local workload, in Felix's order, the `cali-pi-` /
 * `cali-po-` chain of each (felix/rules/policy.go PolicyToIptablesChains, PolicyChainName), and
 * the tier block a workload's chain jumps through (felix/rules/endpoints.go
 * endpointIptablesChain, Calico 3.29: one tier, `default`).
 *
 * The tier block: clear the pass bit ("Start of tier default"); for each policy, jump to its
 * chain while the pass bit is clear and RETURN when the chain set the accept bit ("Return if
 * policy accepted"); at the end, DROP while the pass bit is clear ("Drop if no policies passed
 * packet"). A workload no policy selects gets no block, and its profiles (which allow all for
 * Kubernetes) decide: that is what "not isolated" means in the datapath.
 */
import { lengthLimitedId } from './endpoints.js';
import { A, M } from './fragments.js';
import { type FelixWorkload, MARKS } from './input.js';
import { workloadLabels } from './policy-ipsets.js';
import type { FelixPolicy } from './policy-model.js';
import { policyDirectionRules } from './policy-rules.js';
import type { FelixChain, FelixRule } from './rule.js';
import { selectorMatches } from './selector.js';

/** PolicyInboundPfx, PolicyOutboundPfx. */
export const POLICY_PFX = { inbound: 'cali-pi-', outbound: 'cali-po-' } as const;

/** The comment Felix puts on the tier's final DROP (`<DropAction> if no policies passed packet`). */
export const TIER_DROP_COMMENT = 'Drop if no policies passed packet';

/** PolicyChainName: the prefix and `<tier>/<name>`, hashed when longer than 28 characters. */
export function policyChainName(prefix: string, p: Pick<FelixPolicy, 'tier' | 'name'>): string {
  return lengthLimitedId(prefix, `${p.tier}/${p.name}`);
}

/** Both chains of a policy (Felix programs the ones a workload chain references). */
export function policyChains(p: FelixPolicy, family: 4 | 6): FelixChain[] {
  return [
    { name: policyChainName(POLICY_PFX.inbound, p), rules: policyDirectionRules(p.inbound, family, `Policy ${p.name} ingress`) },
    { name: policyChainName(POLICY_PFX.outbound, p), rules: policyDirectionRules(p.outbound, family, `Policy ${p.name} egress`) },
  ];
}

/** PolicySorter: by order, then by name. */
export function sortPolicies(policies: readonly FelixPolicy[]): FelixPolicy[] {
  return [...policies].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The policies that select `w`, per direction, in the order its chains jump to them. */
export function workloadPolicies(policies: readonly FelixPolicy[], w: FelixWorkload): { ingress: FelixPolicy[]; egress: FelixPolicy[] } {
  const labels = workloadLabels(w);
  const mine = sortPolicies(policies).filter((p) => selectorMatches(p.selector, labels));
  return { ingress: mine.filter((p) => p.ingress), egress: mine.filter((p) => p.egress) };
}

/** The tier block of a workload chain for these policy chains (none when the list is empty). */
export function tierRules(tier: string, chains: readonly string[]): FelixRule[] {
  if (chains.length === 0) return [];
  return [
    { comments: [`Start of tier ${tier}`], action: A.clearMark(MARKS.pass) },
    ...chains.flatMap((c): FelixRule[] => [
      { match: [M.markClear(MARKS.pass)], action: A.jump(c) },
      { comments: ['Return if policy accepted'], match: [M.markSingleBitSet(MARKS.accept)], action: A.return },
    ]),
    { comments: [TIER_DROP_COMMENT], match: [M.markClear(MARKS.pass)], action: A.drop },
  ];
}
