/**
 * Layer `policy`: NetworkPolicy, as the API defines it and as agents enforce it.
 *
 * It holds the API's shapes (api.ts) and the independent semantic evaluator (evaluate.ts and its
 * helpers): a verdict per connection with its reason in Kubernetes terms, and the upstream e2e
 * tests' reachability matrix. Policy agents live in subfolders and are imported from there:
 * kube-router's network policy controller (kube-router/) renders its chains and ipsets into the
 * kernel model; the evaluator is the oracle it is checked against.
 *
 * May import hash, diag, addr, packet, sim, kernel; never cni, proxy or bgp. Pure: no I/O.
 */
export * from './api.js';
export { type PolicyQuery, type PolicyVerdict, type SideVerdict, allowed, isolatingPolicies, side, sideWith } from './evaluate.js';
export { type PolicyPacket, ipBlockContains, peerMatches, portMatches } from './match.js';
export { type MatrixPod, type PolicyMatrix, matrixBooleans, policyMatrix } from './matrix.js';
export { endpointName, explainVerdict, peerText, portText } from './reason.js';
export { type RuleSuggestion, applySuggestions, peerFor, suggestAllow } from './suggest.js';
export { formatSelector, requirementMatches, selectorMatches, selectsEverything } from './selector.js';
export { METADATA_NAME_LABEL, type PolicyContainerPort, type PolicyEndpoint, type PolicyNamespace, type PolicyPod, type PolicyWorld, namespaceLabels, podKey } from './world.js';
