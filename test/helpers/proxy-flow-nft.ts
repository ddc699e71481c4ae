/**
 * proxy-flow.ts for kube-proxy's nftables mode: the node's ruleset is the `nft -f` transaction
 * loaded into an empty nft ruleset (no iptables rules at all), and rows are traced the same way
 * (traceHostAllPaths, every numgen branch), so output and masq read the same.
 */
import { ip } from '../../src/addr/ip.js';
import { type NftRuleset, type Ruleset, parseNft } from '../../src/kernel/netfilter/index.js';
import { type EndpointsBySPN, type ProxierConfig, type ServicePortInput, buildNftablesTransaction } from '../../src/proxy/index.js';
import { type HostTracePath, traceHostAllPaths } from '../../src/trace/iptables-trace.js';
import { type FlowResult, type FlowRow, flowPacket, originOf, pathMasqueraded, pathOutput } from './proxy-flow.js';

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
  const origin = originOf(node, row);
  const paths = traceHostAllPaths({
    rulesets: [...(node.rulesets ?? [])],
    nft: node.nft,
    packet: flowPacket(row),
    ...(origin === 'node' ? {} : { inDev: origin }),
    outDev: 'eth0',
    localAddrs: node.localAddrs,
  });
  const outputs: string[] = [];
  for (const p of paths) {
    const o = pathOutput(p);
    if (!outputs.includes(o)) outputs.push(o);
  }
  const masqueraded = paths.filter(nftMasqueraded);
  const masq = masqueraded.length === 0 ? false : masqueraded.length === paths.length ? true : `${masqueraded.map(pathOutput).join(', ')} only`;
  return { output: outputs.filter((o) => o !== '' || outputs.length === 1).join(', '), masq, paths };
}

/**
 * pathMasqueraded, or an nft `masquerade` statement that ran: a node's own packet keeps its
 * source address, and only `fully-random` changes its port, so the NAT record alone can miss it.
 */
function nftMasqueraded(p: HostTracePath): boolean {
  return pathMasqueraded(p) || (p.nft ?? []).some((e) => e.kind === 'nft-rule' && e.rule.startsWith('masquerade') && e.verdict === 'accept');
}
