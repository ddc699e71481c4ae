/**
 * KUBE-EXT-… (reference note §5, step 7): the entry point for NodePort, externalIP and LB
 * traffic. Under externalTrafficPolicy Cluster everything is masqueraded. Under Local, pod and
 * node traffic is short-circuited to the Cluster chain (as if it had gone out to the load
 * balancer and come back), and only the rest is restricted to local endpoints.
 */
import { KUBE_MARK_MASQ } from './naming.js';
import type { PortPlan } from './plan.js';
import { comment, line } from './rule.js';
import type { ChainContext } from './svc-chain.js';

function localPolicyRules(plan: PortPlan, ctx: ChainContext): string[] {
  const { info } = plan;
  const chain = info.chains.ext;
  const rules: string[] = [];
  const detector = ctx.rc.detector;
  if (detector !== undefined) {
    const text = `pod traffic for ${info.spn} external destinations`;
    rules.push(line('-A', chain, comment(text), detector.ifLocal, '-j', info.chains.svc));
  }
  // Node-originated traffic keeps a local source address (often the VIP itself), so it must
  // be masqueraded for the reply to come back through this node.
  const srcLocal = ['-m', 'addrtype', '--src-type', 'LOCAL'];
  const masq = `masquerade LOCAL traffic for ${info.spn} external destinations`;
  rules.push(line('-A', chain, comment(masq), srcLocal, '-j', KUBE_MARK_MASQ));
  const route = `route LOCAL traffic for ${info.spn} external destinations`;
  rules.push(line('-A', chain, comment(route), srcLocal, '-j', info.chains.svc));
  return rules;
}

/** The rules of the EXT chain, or none when the service has no EXT chain. */
export function buildExternalChain(plan: PortPlan, ctx: ChainContext): string[] {
  if (!plan.usesExternalTrafficChain) return [];
  const { info } = plan;
  const rules = info.externalPolicyLocal
    ? localPolicyRules(plan, ctx)
    : [line('-A', info.chains.ext, comment(`masquerade traffic for ${info.spn} external destinations`), '-j', KUBE_MARK_MASQ)];
  // Without local endpoints under eTP Local, external clients fall through to the filter DROP.
  if (plan.hasExternalEndpoints) rules.push(line('-A', info.chains.ext, '-j', plan.externalPolicyChain));
  return rules;
}
