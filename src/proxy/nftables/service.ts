/**
 * One service port in kube-proxy's nftables table (the body of syncProxyRules' service loop):
 * its dispatch elements in the `service-ips`/`service-nodeports` vmaps, its `no-endpoint-*`
 * and `firewall-ips` elements, and its `service-`/`local-`/`external-`/`firewall-`/`endpoint-`
 * chains and `affinity-` sets. The derived flags come from the PortPlan both modes share.
 */
import type { EndpointInfo } from '../iptables/endpoints.js';
import type { PortPlan } from '../iptables/plan.js';
import type { ServicePortInfo } from '../iptables/service-port.js';
import type { NftLocalDetector } from './detector.js';
import { NFT_PREFIX, type PortName, servicePortChainNameBase, servicePortEndpointChainNameBase } from './naming.js';
import type { Tx } from './tx.js';

/** What every service port's rules read. */
export interface ServiceContext {
  readonly tx: Tx;
  readonly detector: NftLocalDetector | undefined;
  readonly masqueradeAll: boolean;
  /** True when the CIDR holds the primary node IP (then LB IPs pass the firewall too). */
  readonly cidrContainsNode: (cidr: string) => boolean;
}

/** The nft names of one service port and its endpoints. */
export interface NftNames {
  readonly service: string;
  readonly local: string;
  readonly external: string;
  readonly firewall: string;
  readonly endpoint: (ep: EndpointInfo) => string;
  readonly affinity: (ep: EndpointInfo) => string;
}

/** The names of a service port (newServiceInfo / newEndpointInfo). */
export function nftNames(p: PortName): NftNames {
  const base = servicePortChainNameBase(p);
  return {
    service: NFT_PREFIX.service + base,
    local: NFT_PREFIX.local + base,
    external: NFT_PREFIX.external + base,
    firewall: NFT_PREFIX.firewall + base,
    endpoint: (ep) => NFT_PREFIX.endpoint + servicePortEndpointChainNameBase(p, ep.str),
    affinity: (ep) => NFT_PREFIX.affinity + servicePortEndpointChainNameBase(p, ep.str),
  };
}

const MARK_MASQ = 'mark-for-masquerade';
const REJECT_VERDICT = 'goto reject-chain';

/** The verdicts for traffic that has nowhere to go: reject without endpoints, else drop. */
function filterVerdicts(plan: PortPlan): { internal: string | undefined; external: string | undefined } {
  if (!plan.hasEndpoints) return { internal: REJECT_VERDICT, external: REJECT_VERDICT };
  return { internal: plan.hasInternalEndpoints ? undefined : 'drop', external: plan.hasExternalEndpoints ? undefined : 'drop' };
}

/** `service-ips`, `no-endpoint-*`, `firewall-ips` and `cluster-ips` elements of one port. */
function dispatchElements(plan: PortPlan, names: NftNames, ctx: ServiceContext): void {
  const { tx } = ctx;
  const { info } = plan;
  const key = (ip: string) => [ip, info.protocol, String(info.port)];
  const verdict = filterVerdicts(plan);
  const internalChain = info.internalPolicyLocal ? names.local : names.service;
  tx.element('cluster-ips', [info.clusterIP]);
  if (plan.hasInternalEndpoints) tx.element('service-ips', key(info.clusterIP), `goto ${internalChain}`);
  else tx.element('no-endpoint-services', key(info.clusterIP), verdict.internal, info.spn);
  for (const ip of info.externalIPs) {
    if (plan.hasEndpoints) tx.element('service-ips', key(ip), `goto ${names.external}`);
    if (verdict.external !== undefined) tx.element('no-endpoint-services', key(ip), verdict.external, info.spn);
  }
  for (const ip of info.loadBalancerVIPs) {
    if (plan.hasEndpoints) tx.element('service-ips', key(ip), `goto ${names.external}`);
    if (usesFirewall(info)) tx.element('firewall-ips', key(ip), `goto ${names.firewall}`);
  }
  if (verdict.external !== undefined) {
    for (const ip of info.loadBalancerVIPs) tx.element('no-endpoint-services', key(ip), verdict.external, info.spn);
  }
  if (info.nodePort === 0) return;
  const npKey = [info.protocol, String(info.nodePort)];
  if (plan.hasEndpoints) tx.element('service-nodeports', npKey, `goto ${names.external}`);
  if (verdict.external !== undefined) tx.element('no-endpoint-nodeports', npKey, verdict.external, info.spn);
}

/** nftables mode checks source ranges whenever there are LB IPs (no hasEndpoints condition). */
function usesFirewall(info: ServicePortInfo): boolean {
  return info.loadBalancerVIPs.length > 0 && info.sourceRanges.length > 0;
}

/** `ip saddr != { ranges[, LB IPs] } drop`: the LB IPs too when a range holds the node IP. */
function firewallChain(info: ServicePortInfo, names: NftNames, ctx: ServiceContext): void {
  if (!usesFirewall(info)) return;
  const sources = [...info.sourceRanges];
  if (info.sourceRanges.some((c) => ctx.cidrContainsNode(c))) sources.push(...info.loadBalancerVIPs);
  ctx.tx.chain(names.firewall);
  ctx.tx.rule(names.firewall, `${ctx.tx.words.ipX} saddr != { ${sources.join(' , ')} } drop`);
}

/** The head of the internal chain: which ClusterIP traffic gets masqueraded. */
function clusterIPMasqRule(plan: PortPlan, chain: string, ctx: ServiceContext): void {
  const daddr = `${ctx.tx.words.ipX} daddr ${plan.info.clusterIP}`;
  if (ctx.masqueradeAll) ctx.tx.rule(chain, `${daddr} jump ${MARK_MASQ}`);
  else if (ctx.detector !== undefined) ctx.tx.rule(chain, `${daddr} ${ctx.detector.ifNotLocal} jump ${MARK_MASQ}`);
}

/** external-…: masquerade (eTP Cluster) or the short-circuits (eTP Local), then the policy chain. */
function externalChain(plan: PortPlan, names: NftNames, ctx: ServiceContext): void {
  if (!plan.usesExternalTrafficChain) return;
  const { tx } = ctx;
  const ext = names.external;
  tx.chain(ext);
  if (!plan.info.externalPolicyLocal) {
    tx.rule(ext, `jump ${MARK_MASQ}`);
  } else {
    if (ctx.detector !== undefined) tx.rule(ext, `${ctx.detector.ifLocal} goto ${names.service}`, 'short-circuit pod traffic');
    tx.rule(ext, `fib saddr type local jump ${MARK_MASQ}`, 'masquerade local traffic');
    tx.rule(ext, `fib saddr type local goto ${names.service}`, 'short-circuit local traffic');
  }
  if (plan.hasExternalEndpoints) tx.rule(ext, `goto ${plan.info.externalPolicyLocal ? names.local : names.service}`);
}

/** writeServiceToEndpointRules: affinity checks, then `numgen random mod N vmap { … }`. */
function endpointSelection(plan: PortPlan, chain: string, eps: readonly EndpointInfo[], names: NftNames, ctx: ServiceContext): void {
  const ipX = ctx.tx.words.ipX;
  if (plan.info.affinityTimeout !== undefined) {
    for (const ep of eps) ctx.tx.rule(chain, `${ipX} saddr @${names.affinity(ep)} goto ${names.endpoint(ep)}`);
  }
  const entries = eps.map((ep, i) => `${i} : goto ${names.endpoint(ep)}`).join(' , ');
  ctx.tx.rule(chain, `numgen random mod ${eps.length} vmap { ${entries} }`);
}

/** endpoint-…: hairpin masquerade, the affinity update, the DNAT. */
function endpointRules(plan: PortPlan, ep: EndpointInfo, names: NftNames, ctx: ServiceContext): void {
  const { tx } = ctx;
  const chain = names.endpoint(ep);
  tx.rule(chain, `${tx.words.ipX} saddr ${ep.ip} jump ${MARK_MASQ}`);
  if (plan.info.affinityTimeout !== undefined) tx.rule(chain, `update @${names.affinity(ep)} { ${tx.words.ipX} saddr }`);
  tx.rule(chain, `meta l4proto ${plan.info.protocol} dnat to ${ep.str}`);
}

/** The policy chains a port uses, with their endpoints: Cluster first, then Local. */
function policyChains(plan: PortPlan, names: NftNames): { name: string; eps: readonly EndpointInfo[] }[] {
  const out: { name: string; eps: readonly EndpointInfo[] }[] = [];
  if (plan.usesClusterPolicyChain) out.push({ name: names.service, eps: plan.endpoints.cluster });
  if (plan.usesLocalPolicyChain) out.push({ name: names.local, eps: plan.endpoints.local });
  return out;
}

/**
 * Writes one service port. Objects are created in the order of upstream's expected test
 * output (affinity sets, policy chains, endpoint chains by name, external, firewall), which is
 * the order `nft list ruleset` lists them in.
 */
export function writeServicePort(plan: PortPlan, names: NftNames, ctx: ServiceContext): void {
  const { tx } = ctx;
  const reachable = plan.endpoints.allReachable;
  if (plan.info.affinityTimeout !== undefined) {
    for (const ep of reachable) {
      tx.set('set', names.affinity(ep), [`type ${tx.words.addrType}`, 'flags dynamic,timeout', `timeout ${plan.info.affinityTimeout}s`]);
    }
  }
  const internalChain = plan.info.internalPolicyLocal ? names.local : names.service;
  const policies = policyChains(plan, names);
  for (const p of policies) {
    tx.chain(p.name);
    if (p.name === internalChain && plan.hasInternalEndpoints) clusterIPMasqRule(plan, p.name, ctx);
  }
  for (const chain of reachable.map((ep) => names.endpoint(ep)).sort()) tx.chain(chain);
  for (const p of policies) endpointSelection(plan, p.name, p.eps, names, ctx);
  externalChain(plan, names, ctx);
  for (const ep of reachable) endpointRules(plan, ep, names, ctx);
  firewallChain(plan.info, names, ctx);
  dispatchElements(plan, names, ctx);
}
