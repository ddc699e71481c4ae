/**
 * Layer `proxy`: kube-proxy as a pure function of its own view of the world.
 *
 * Owns: the proxier inputs (types.ts), what both modes share before writing (ports.ts: the
 * family's service ports with normalised endpoints; the plan, endpoint categorisation and
 * service-port normalisation live in iptables/ and are read by nftables/), and one folder per
 * proxy mode. iptables/: buildIptablesPayload turns service ports and endpoints into the exact
 * `iptables-restore` payload kube-proxy writes on a full sync, and builtinJumps lists the rules
 * it ensures in the built-in chains. nftables/: buildNftablesTransaction writes the `nft -f`
 * transaction of the `ip`/`ip6 kube-proxy` table. Naming follows each mode's proxier.go.
 *
 * May import: addr and hash (the chain-name digest). It does not import the kernel:
 * its output is text in kube-proxy's own format, which the cluster layer loads into the kernel
 * model through the netfilter restore verb.
 *
 * Invariants: output depends only on the inputs (no clock, no randomness, no I/O); services are
 * emitted in input order (kube-proxy uses Go map order, so compare with sortedForTest); every
 * `-j` target in a payload is a declared chain or a built-in target (checkRuleJumps).
 *
 * Not modelled: IPVS mode, partial syncs, conntrack cleanup, health-check servers.
 * Stale-chain deletion (`-X`) happens only when the caller passes the existing nat chains.
 * See docs/kube-proxy.md.
 */
export * from './types.js';
export {
  type IptablesPayload,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  type SyncOptions,
  buildIptablesPayload,
  buildPayloadLines,
} from './iptables/payload.js';
export { type BuiltinJump, builtinJumpSpecs, builtinJumps } from './iptables/builtin-jumps.js';
export { sortedForTest } from './iptables/sorted.js';
export { BUILTIN_TARGETS, checkRuleJumps } from './iptables/consistency.js';
export {
  CHAIN_PREFIX,
  isServiceChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortChainName,
  servicePortEndpointChainName,
  servicePortLocalChainName,
  servicePortNameString,
} from './iptables/naming.js';
export { computeProbability } from './iptables/probability.js';
export { type CategorizedEndpoints, type EndpointInfo, categorizeEndpoints, normalizeEndpoints } from './iptables/endpoints.js';
export { type ServicePortInfo, toServicePortInfo } from './iptables/service-port.js';
export { type NftablesTransaction, buildNftablesTransaction } from './nftables/transaction.js';
export { KUBE_PROXY_TABLE, hashAndTruncate, servicePortChainNameBase, servicePortEndpointChainNameBase } from './nftables/naming.js';
export { type PortFragment } from './iptables/payload.js';
export { type PayloadMemo, type PayloadParts, buildPayloadParts, createPayloadMemo, renderPayloadParts, sharedFragments } from './iptables/shared-payload.js';
export { FILTER_TOP_CHAINS, NAT_TOP_CHAINS } from './iptables/fixed-rules.js';
export { KUBE_FIREWALL } from './iptables/naming.js';
