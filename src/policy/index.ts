/**
 * Layer `policy`: NetworkPolicy, as the API defines it and as agents enforce it.
 *
 * Today it holds the API's shapes (api.ts; AdminNetworkPolicy and BaselineAdminNetworkPolicy in
 * admin-api.ts) and the independent semantic evaluator (evaluate.ts, the admin tiers in tiers.ts,
 * and their helpers): a verdict per connection with its reason in Kubernetes terms, and the
 * upstream e2e tests' reachability matrix; kube-router's policy agent (kube-router/), and
 * the smallest rule that would allow a denied connection (suggest.ts). The evaluator is the
 * oracle the datapath's agents (Felix in cni/calico/felix, kube-router) are checked against.
 *
 * May import hash, diag, addr, packet, sim, kernel; never cni, proxy or bgp. Pure: no I/O.
 */
export * from './api.js';
export * from './admin-api.js';
export { adminPeerMatches, adminPortMatches, selectionMatches } from './admin-match.js';
export { type PolicyQuery, type PolicyVerdict, type SideVerdict, allowed, isolatingPolicies, side, sideAllows, sideWith, tieredSide } from './evaluate.js';
export { type PolicyPacket, ipBlockContains, peerMatches, portMatches } from './match.js';
export { type MatrixPod, type PolicyMatrix, matrixBooleans, policyMatrix } from './matrix.js';
export { adminRuleText, endpointName, explainVerdict, peerText, portText } from './reason.js';
export { type AdminDecision, type AdminRuleRef, type AdminSelected, type AdminTier, type AdminTierResult, adminSelecting, adminTier, baselineTier } from './tiers.js';
export { type RuleSuggestion, applySuggestions, peerFor, suggestAllow } from './suggest.js';
export { formatSelector, requirementMatches, selectorMatches, selectsEverything } from './selector.js';
export { METADATA_NAME_LABEL, type PolicyContainerPort, type PolicyEndpoint, type PolicyNamespace, type PolicyNode, type PolicyPod, type PolicyWorld, namespaceLabels, podKey } from './world.js';
