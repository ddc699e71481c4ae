/**
 * KUBE-SVC-… and KUBE-SVL-… (reference note §5, steps 6 and 9): the ClusterIP masquerade rule
 * at the head of the internal chain, then ClientIP-affinity checks, then the random choice of
 * an endpoint, one `-m statistic` rule per endpoint but the last.
 */
import type { ResolvedConfig } from './config.js';
import type { EndpointInfo } from './endpoints.js';
import { KUBE_MARK_MASQ } from './naming.js';
import type { PortPlan } from './plan.js';
import { computeProbability } from './probability.js';
import { comment, line, protoMatch } from './rule.js';

/** Flags shared by the per-service chain builders. */
export interface ChainContext {
  readonly rc: ResolvedConfig;
  /** More than 1000 endpoints in total: comments are left off SEP rules and SVC → SEP jumps. */
  readonly largeClusterMode: boolean;
}

/** The comment arguments, or none in large-cluster mode (it can shrink the payload by 40%). */
export function endpointComment(ctx: ChainContext, text: string): readonly string[] {
  return ctx.largeClusterMode ? [] : comment(text);
}

/**
 * The masquerade rule for ClusterIP traffic, written first into the internal chain: every
 * packet with masqueradeAll, else packets the detector says are not from pods, else none.
 */
export function buildClusterIPMasqRule(plan: PortPlan, ctx: ChainContext): string[] {
  if (!plan.hasInternalEndpoints) return [];
  const { info } = plan;
  const match = [
    ...comment(`${info.spn} cluster IP`),
    ...protoMatch(info.protocol),
    '-d',
    info.clusterIP,
    '--dport',
    String(info.port),
  ];
  if (ctx.rc.masqueradeAll) return [line('-A', plan.internalTrafficChain, match, '-j', KUBE_MARK_MASQ)];
  const detector = ctx.rc.detector;
  if (detector === undefined) return [];
  return [line('-A', plan.internalTrafficChain, match, detector.ifNotLocal, '-j', KUBE_MARK_MASQ)];
}

/** writeServiceToEndpointRules: affinity checks, then the probabilistic endpoint jumps. */
export function buildEndpointSelection(plan: PortPlan, chain: string, endpoints: readonly EndpointInfo[], ctx: ChainContext): string[] {
  const { info } = plan;
  const rules: string[] = [];
  if (info.affinityTimeout !== undefined) {
    for (const ep of endpoints) {
      const recent = ['-m', 'recent', '--name', ep.chain, '--rcheck', '--seconds', String(info.affinityTimeout), '--reap'];
      rules.push(line('-A', chain, endpointComment(ctx, `${info.spn} -> ${ep.str}`), recent, '-j', ep.chain));
    }
  }
  endpoints.forEach((ep, i) => {
    const n = endpoints.length;
    const statistic = i < n - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', computeProbability(n - i)] : [];
    rules.push(line('-A', chain, endpointComment(ctx, `${info.spn} -> ${ep.str}`), statistic, '-j', ep.chain));
  });
  return rules;
}
