/**
 * proxy-flow.ts for kube-proxy's nftables mode: the node's ruleset is the `nft -f` transaction
 * loaded into an empty nft ruleset (no iptables rules at all), and rows are traced the same way
 * (traceHostAllPaths, every numgen branch), so output and masq read the same.
 */
import { ip } from '../../src/addr/ip.js';
import { type NftRuleset, type Ruleset, parseNft } from '../../src/kernel/netfilter/index.js';
import { type EndpointsBySPN, type ProxierConfig, type ServicePortInput, buildNftablesTransaction } from '../../src/proxy/index.js';
import { type HostTracePath } from '../../src/trace/iptables-trace.js';
import { type FlowResult, type FlowRow, flowResult, pathMasqueraded, tracePaths } from './proxy-flow.js';

/** A node running kube-proxy in nftables mode. */
export interface NftProxyNode {
  readonly payload: string;
  readonly nft: NftRuleset;
  readonly localAddrs: ReturnType<typeof ip>[];
  /** The node's iptables rulesets beside the nft one (a built scenario's CNI rules); none by default. */
  readonly rulesets?: readonly Ruleset[];
}

/** `nft -f` of the generated transaction into an empty ruleset. */
export function nftProxyNode(config: ProxierConfig, services: readonly ServicePortInput[], endpoints: EndpointsBySPN): NftProxyNode {
  const payload = buildNftablesTransaction(config, services, endpoints).text;
  const parsed = parseNft(payload, { file: 'kube-proxy' });
  if (parsed.diagnostics.length > 0) throw new Error(`transaction does not load: ${parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return { payload, nft: parsed.value, localAddrs: config.nodeIPs.filter((a) => !a.includes(':')).map((a) => ip(a)) };
}

/** Traces one row through the node's nft ruleset, every random branch. */
export function traceNftFlow(node: NftProxyNode, row: Pick<FlowRow, 'sourceIP' | 'destIP' | 'destPort' | 'protocol' | 'origin'>): FlowResult {
  return flowResult(tracePaths({ rulesets: node.rulesets ?? [], nft: node.nft, localAddrs: node.localAddrs }, row), nftMasqueraded);
}

/**
 * pathMasqueraded, or an nft `masquerade` statement that ran: a node's own packet keeps its
 * source address, and only `fully-random` changes its port, so the NAT record alone can miss it.
 */
function nftMasqueraded(p: HostTracePath): boolean {
  return pathMasqueraded(p) || (p.nft ?? []).some((e) => e.kind === 'nft-rule' && e.rule.startsWith('masquerade') && e.verdict === 'accept');
}
