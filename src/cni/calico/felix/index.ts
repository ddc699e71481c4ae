/**
 * Felix, Calico's node agent, as far as its iptables dataplane decides the flows of a cluster:
 * the static chains (IPIP/VXLAN source checks, workload dispatch, natOutgoing), the per-workload
 * chains with their policy tier block and Kubernetes profiles, the policy chains
 * (`cali-pi-`/`cali-po-`, policy-*.ts) and the ipsets they name (pools, hosts, selectors,
 * named ports). `felixRules` is pure (input → payload + ipsets); `loadFelix` applies it to a node's
 * netfilter state with kernel verbs.
 *
 * Why here and not in `policy/`: these rules are Calico's datapath (encapsulation filtering,
 * NAT, the pool ipsets), computed from Calico's pools and endpoints beside the rest of the
 * calico plugin; `policy/` is for NetworkPolicy semantics, and cni/ and policy/ may not import
 * each other. May import addr, hash, diag and kernel; never cluster (the input is structural).
 */
export { type FelixEncapMode, type FelixInput, type FelixPool, type FelixWorkload, DEFAULT_VXLAN_PORT, MARKS, WORKLOAD_IFACE_PREFIX } from './input.js';
export { type FelixSetId, FELIX_MAXELEM, felixIpsets, felixSetName } from './ipsets.js';
export { type FelixChain, type FelixRule, HASH_LENGTH, escapeComment, renderRules, ruleHashes } from './rule.js';
export { type FelixHook, type FelixRules, felixRules } from './rules.js';
export { MAX_CHAIN_NAME_LENGTH, lengthLimitedId, workloadProfiles } from './endpoints.js';
export { isFelixRule, loadFelix } from './load.js';
export { type FelixNamedPort } from './input.js';
export { ALL, type CalicoSelector, andOf, inSet, makeUniqueId, prefixLabels, selectorMatches, selectorString, selectorUniqueId } from './selector.js';
export { CALICO_LABELS, DEFAULT_TIER, type FelixPolicy, type FelixPolicyRule, type FelixPort, type FelixPortRange, type FelixRuleAction, type FelixTier, NAMESPACE_LABEL_PREFIX } from './policy-model.js';
export { MAX_IPSET_NAME_LENGTH, type PolicySetData, mainSetName, policySet, ruleSets, setDataId, workloadLabels } from './policy-ipsets.js';
export { policyDirectionRules, policyRuleToIptables, splitPortList } from './policy-rules.js';
export { POLICY_PFX, policyChainName, policyChains, sortPolicies, sortTiers, tierDropComment, tierRules, workloadPolicies, workloadTierRules } from './policy-chains.js';
export { activePolicies, policySetsFor } from './policy-sets.js';
