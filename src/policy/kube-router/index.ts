/**
 * kube-router's network policy controller (pkg/controllers/netpol, v2.6.3, as k3s embeds it):
 * NetworkPolicy rendered into filter-table chains and ipsets, loaded into a node's netfilter
 * state with the verbs its commands stand for. Imports kernel; never cni, proxy or bgp.
 */
export { type KrIpBlockEntry, type KrNamedEndpoints, type KrPolicyInfo, type KrPolicyType, type KrPort, type KrRule, buildPolicyInfos, ipBlockEntries } from './info.js';
export { DEFAULT_NODE_PORT_RANGE, type KrPod, type KubeRouterInput, isActionable, podIpOf } from './input.js';
export { type KubeRouterSync, loadKubeRouter } from './load.js';
export { KR_CHAINS, KR_MARK, KR_TOP_CHAINS, type KrFamily, ipSetName, krFamily, krHash, krSetNames, networkPolicyChainName, podFirewallChainName, topLevelRuleUuid } from './names.js';
export { localPods, podChains } from './pod-chains.js';
export { type KrPolicyChains, type KrSet, policyChains } from './policy-chains.js';
export { type KrPositionedRule, commonChainRules, defaultChainRules, explicitAcceptLines, inputWhitelist, topLevelJumps } from './static.js';
