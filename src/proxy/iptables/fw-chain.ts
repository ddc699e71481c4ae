/**
 * KUBE-FW-… (reference note §5, step 8): loadBalancerSourceRanges. Allowed sources continue to
 * KUBE-EXT; anything else falls off the end of the chain without DNAT and is dropped later by
 * filter KUBE-PROXY-FIREWALL, which still sees the LB IP as destination.
 */
import { cidrContains, parseCidr } from '../../addr/index.js';
import type { PortPlan } from './plan.js';
import { comment, line } from './rule.js';
import type { ChainContext } from './svc-chain.js';

/** The rules of the FW chain, or none when source ranges do not apply. */
export function buildFirewallChain(plan: PortPlan, ctx: ChainContext): string[] {
  if (!plan.usesFWChain) return [];
  const { info } = plan;
  const head = ['-A', info.chains.fw, ...comment(`${info.spn} loadbalancer IP`)];
  const rules = info.sourceRanges.map((range) => line(head, '-s', range, '-j', info.chains.ext));
  const nodeIP = ctx.rc.nodeIP;
  const allowFromNode =
    nodeIP !== undefined &&
    info.sourceRanges.some((range) => {
      const parsed = parseCidr(range);
      return parsed !== undefined && cidrContains(parsed, nodeIP);
    });
  // Node → own LB VIP is often looped back with the VIP as source address; if the node may
  // use the service, so may the VIP.
  if (allowFromNode) {
    for (const vip of info.loadBalancerVIPs) rules.push(line(head, '-s', vip, '-j', info.chains.ext));
  }
  rules.push(line('-A', info.chains.fw, comment(`other traffic to ${info.spn} will be dropped by KUBE-PROXY-FIREWALL`)));
  return rules;
}
