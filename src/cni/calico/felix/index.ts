/**
 * Felix, Calico's node agent, as far as its iptables dataplane decides the flows of a cluster
 * without network policy: the static chains (IPIP/VXLAN source checks, workload dispatch,
 * natOutgoing), the per-workload chains with their Kubernetes profiles, and the ipsets they
 * name. `felixRules` is pure (input → payload + ipsets); `loadFelix` applies it to a node's
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
