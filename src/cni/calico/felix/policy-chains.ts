/**
 * Policies on a node: which apply to each local workload, in Felix's order, the `cali-pi-` /
 * `cali-po-` chain of each (felix/rules/policy.go PolicyToIptablesChains, PolicyChainName), and
 * the tier blocks a workload's chain jumps through (felix/rules/endpoints.go
 * endpointIptablesChain, Calico 3.30), one per tier with a policy that selects the workload, in
 * tier order (`adminnetworkpolicy` 1,000, `default` 1,000,000, `baselineadminnetworkpolicy`
 * 10,000,000).
 *
 * A tier block: clear the pass bit ("Start of tier <tier>"); for each policy, jump to its chain
 * while the pass bit is clear and RETURN when the chain set the accept bit ("Return if policy
 * accepted"); a policy's pass rule sets the pass bit, which skips the tier's later policies. At
 * the end of a tier whose default action is Deny, DROP while the pass bit is clear ("End of tier
 * default. Drop if no policies passed packet"); a Pass tier (the two admin tiers) just ends, and
 * the next tier decides. A workload no policy selects gets no block, and its profiles (which
 * allow all for Kubernetes) decide: that is what "not isolated" means in the datapath.
 *
 * Not modelled: Felix 3.28+ groups consecutive policies of a tier that share a selector into a
 * `cali-gi-`/`cali-go-` chain; here each policy is jumped to directly.
 */
import { lengthLimitedId } from './endpoints.js';
import { A, M } from './fragments.js';
import { type FelixWorkload, MARKS } from './input.js';
import { workloadLabels } from './policy-ipsets.js';
import { DEFAULT_TIER, type FelixPolicy, type FelixTier } from './policy-model.js';
import { policyDirectionRules } from './policy-rules.js';
import type { FelixChain, FelixRule } from './rule.js';
import { selectorMatches } from './selector.js';

/** PolicyInboundPfx, PolicyOutboundPfx. */
export const POLICY_PFX = { inbound: 'cali-pi-', outbound: 'cali-po-' } as const;

/** The comment Felix puts on a Deny tier's final DROP (`End of tier <tier>. <DropAction> if no policies passed packet`). */
export function tierDropComment(tier: string): string {
  return `End of tier ${tier}. Drop if no policies passed packet`;
}

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
export function tierRules(tier: FelixTier, chains: readonly string[]): FelixRule[] {
  if (chains.length === 0) return [];
  const end: FelixRule[] = tier.defaultAction === 'Pass' ? [] : [{ comments: [tierDropComment(tier.name)], match: [M.markClear(MARKS.pass)], action: A.drop }];
  return [
    { comments: [`Start of tier ${tier.name}`], action: A.clearMark(MARKS.pass) },
    ...chains.flatMap((c): FelixRule[] => [
      { match: [M.markClear(MARKS.pass)], action: A.jump(c) },
      { comments: ['Return if policy accepted'], match: [M.markSingleBitSet(MARKS.accept)], action: A.return },
    ]),
    ...end,
  ];
}

/** Tiers by order, then name (the calculation graph's tier sort); a policy's unknown tier sorts as `default`'s order. */
export function sortTiers(tiers: readonly FelixTier[]): FelixTier[] {
  return [...tiers].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The tier blocks of one direction of a workload's chain: its policies of that direction
 * (already in policy order) grouped by tier, the tiers in tier order.
 */
export function workloadTierRules(tiers: readonly FelixTier[] | undefined, policies: readonly FelixPolicy[], prefix: string): FelixRule[] {
  const known = tiers ?? [DEFAULT_TIER];
  const used = [...new Set(policies.map((p) => p.tier))].map((name) => known.find((t) => t.name === name) ?? { ...DEFAULT_TIER, name });
  return sortTiers(used).flatMap((t) =>
    tierRules(
      t,
      policies.filter((p) => p.tier === t.name).map((p) => policyChainName(prefix, p)),
    ),
  );
}
