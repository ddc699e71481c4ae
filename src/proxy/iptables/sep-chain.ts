/**
 * KUBE-SEP-… (reference note §5, step 10): one chain per reachable endpoint. The first rule
 * marks hairpin traffic (a pod reaching itself through the service) for masquerade; the second
 * records ClientIP affinity and DNATs to the endpoint.
 */
import type { EndpointInfo } from './endpoints.js';
import { KUBE_MARK_MASQ } from './naming.js';
import type { PortPlan } from './plan.js';
import { line, protoMatch } from './rule.js';
import { type ChainContext, endpointComment } from './svc-chain.js';

/** The two rules of one endpoint chain. */
export function buildEndpointChain(plan: PortPlan, ep: EndpointInfo, ctx: ChainContext): string[] {
  const { info } = plan;
  const head = ['-A', ep.chain, ...endpointComment(ctx, info.spn)];
  const affinity = info.affinityTimeout !== undefined ? ['-m', 'recent', '--name', ep.chain, '--set'] : [];
  return [
    line(head, '-s', ep.ip, '-j', KUBE_MARK_MASQ),
    line(head, affinity, protoMatch(info.protocol), '-j', 'DNAT', '--to-destination', ep.str),
  ];
}
