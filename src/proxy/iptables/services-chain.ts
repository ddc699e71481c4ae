/**
 * The dispatch rules of one service port (reference note §5, steps 1–5): nat KUBE-SERVICES and
 * KUBE-NODEPORTS send each destination to the port's chains; filter KUBE-SERVICES,
 * KUBE-EXTERNAL-SERVICES, KUBE-PROXY-FIREWALL and KUBE-NODEPORTS reject, drop or accept what
 * the nat table did not DNAT. Also the final KUBE-SERVICES → KUBE-NODEPORTS rule(s).
 */
import type { ResolvedConfig } from './config.js';
import { isLoopback } from './config.js';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './naming.js';
import type { FilterVerdict, PortPlan } from './plan.js';
import { comment, line, protoMatch } from './rule.js';

/** Rules one service port adds to the two tables, in emission order. */
export interface DispatchRules {
  readonly filter: string[];
  readonly nat: string[];
}

/** `-m P -p P -d <ip> --dport <port>`. */
function dest(plan: PortPlan, ip: string): readonly string[] {
  return [...protoMatch(plan.info.protocol), '-d', ip, '--dport', String(plan.info.port)];
}

function filterRule(chain: string, verdict: FilterVerdict, match: readonly string[]): string {
  return line('-A', chain, comment(verdict.comment), match, '-j', verdict.target);
}

/** Step 1: the ClusterIP. */
function clusterIPRules(plan: PortPlan, out: DispatchRules): void {
  const { info } = plan;
  if (plan.hasInternalEndpoints) {
    out.nat.push(line('-A', KUBE_SERVICES, comment(`${info.spn} cluster IP`), dest(plan, info.clusterIP), '-j', plan.internalTrafficChain));
  } else if (plan.internalFilter !== undefined) {
    out.filter.push(filterRule(KUBE_SERVICES, plan.internalFilter, dest(plan, info.clusterIP)));
  }
}

/** Steps 2 and 3: externalIPs and load-balancer VIPs. */
function externalIPRules(plan: PortPlan, out: DispatchRules): void {
  const { info } = plan;
  for (const ip of info.externalIPs) {
    if (plan.hasEndpoints) {
      out.nat.push(line('-A', KUBE_SERVICES, comment(`${info.spn} external IP`), dest(plan, ip), '-j', info.chains.ext));
    }
    if (plan.externalFilter !== undefined) out.filter.push(filterRule(KUBE_EXTERNAL_SERVICES, plan.externalFilter, dest(plan, ip)));
  }
  for (const ip of info.loadBalancerVIPs) {
    if (plan.hasEndpoints) {
      out.nat.push(line('-A', KUBE_SERVICES, comment(`${info.spn} loadbalancer IP`), dest(plan, ip), '-j', plan.loadBalancerTrafficChain));
    }
    if (plan.usesFWChain) {
      const text = `${info.spn} traffic not accepted by ${info.chains.fw}`;
      out.filter.push(line('-A', KUBE_PROXY_FIREWALL, comment(text), dest(plan, ip), '-j', 'DROP'));
    }
  }
  const verdict = plan.externalFilter;
  if (verdict !== undefined) {
    for (const ip of info.loadBalancerVIPs) out.filter.push(filterRule(KUBE_EXTERNAL_SERVICES, verdict, dest(plan, ip)));
  }
}

/** Step 4: the NodePort (not subject to loadBalancerSourceRanges). */
function nodePortRules(plan: PortPlan, rc: ResolvedConfig, out: DispatchRules): void {
  const { info } = plan;
  if (info.nodePort === 0) return;
  const dport = ['--dport', String(info.nodePort)];
  if (plan.hasEndpoints) {
    if (rc.localhostNodePorts && rc.family === 4 && rc.nfacct) {
      const acct = ['-m', 'nfacct', '--nfacct-name', 'localhost_nps_accepted_pkts'];
      out.nat.push(line('-A', KUBE_NODEPORTS, comment(info.spn), protoMatch(info.protocol), '-d', '127.0.0.0/8', dport, acct, '-j', info.chains.ext));
    }
    out.nat.push(line('-A', KUBE_NODEPORTS, comment(info.spn), protoMatch(info.protocol), dport, '-j', info.chains.ext));
  }
  if (plan.externalFilter !== undefined) {
    const match = ['-m', 'addrtype', '--dst-type', 'LOCAL', ...protoMatch(info.protocol), ...dport];
    out.filter.push(filterRule(KUBE_EXTERNAL_SERVICES, plan.externalFilter, match));
  }
}

/** Step 5: the health-check node port is accepted whether or not endpoints exist. */
function healthCheckRule(plan: PortPlan, out: DispatchRules): void {
  const { info } = plan;
  if (info.healthCheckNodePort === 0) return;
  const text = `${info.spn} health check node port`;
  out.filter.push(line('-A', KUBE_NODEPORTS, comment(text), protoMatch('tcp'), '--dport', String(info.healthCheckNodePort), '-j', 'ACCEPT'));
}

/** The dispatch rules of one service port. */
export function buildDispatchRules(plan: PortPlan, rc: ResolvedConfig): DispatchRules {
  const out: DispatchRules = { filter: [], nat: [] };
  clusterIPRules(plan, out);
  externalIPRules(plan, out);
  nodePortRules(plan, rc, out);
  healthCheckRule(plan, out);
  return out;
}

const NODEPORTS_COMMENT = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain';

/**
 * The last rule(s) of nat KUBE-SERVICES: any remaining packet to a local address goes to
 * KUBE-NODEPORTS. With `--nodeport-addresses`, one rule per matching node address instead.
 */
export function buildNodePortsJumps(rc: ResolvedConfig): string[] {
  if (rc.nodePortMatchAll) {
    // Localhost NodePorts never work on IPv6, and on IPv4 only with route_localnet.
    const excludeLoopback = rc.family === 6 ? ['!', '-d', '::1/128'] : rc.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'];
    return [line('-A', KUBE_SERVICES, comment(NODEPORTS_COMMENT), '-m', 'addrtype', '--dst-type', 'LOCAL', excludeLoopback, '-j', KUBE_NODEPORTS)];
  }
  return rc.nodePortIPs
    .filter((ip) => !isLoopback(ip) || (rc.family === 4 && rc.localhostNodePorts))
    .map((ip) => line('-A', KUBE_SERVICES, comment(NODEPORTS_COMMENT), '-d', ip, '-j', KUBE_NODEPORTS));
}
