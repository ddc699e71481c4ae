/**
 * The cloud load balancer of LoadBalancer Services, built as data on the network's exit (the
 * node network's `gateway`, or the underlay's first router), where packets from the internet
 * enter. It runs only in the copy of the world a trace from (or to) outside makes
 * (external.ts), so the cluster as built, and every view of it, stays as kubeadm left it.
 *
 * Three ways the load balancer delivers an ingress IP, as users meet them:
 *
 * - `vip` (cluster `loadBalancer.mode: vip`, the default; GCP, Azure with floating IP, MetalLB):
 *   the packet reaches one node unchanged, `ip route add VIP via NODE-IP`, and kube-proxy's
 *   KUBE-SERVICES rule for the VIP takes over there.
 * - `nodePort` (cluster `loadBalancer.mode: nodePort`; an NLB with instance targets): the LB
 *   rewrites the destination to NODE-IP:nodePort and keeps the client's address. Written as
 *   the NAT it is: `-j DNAT --to-destination NODE-IP:nodePort` in the exit's nat PREROUTING,
 *   spread over the target nodes with `-m statistic --mode random` (kube-proxy's uniform
 *   1/n, 1/(n-1)… probabilities), so a trace picks one node from the seed and `--all-paths`
 *   shows each; conntrack on the exit turns the answer back into VIP:port.
 * - `proxy` (an ingress with `ipMode: Proxy`, whatever the cluster mode): the LB terminates the
 *   connection and opens its own to NODE-IP:nodePort, so the backend sees the LB's address,
 *   never the client's. Modelled as the same DNAT plus a MASQUERADE to the exit's own address
 *   (the packet headers a proxy produces; its second TCP handshake is not drawn). kube-proxy
 *   writes no rule for such an IP (proxy.ts, newBaseServiceInfo's `!IsVIPMode`), so even a pod
 *   inside the cluster that dials it goes out to the LB and back in.
 *
 * The target nodes: every node, or with `externalTrafficPolicy: Local` those with a ready
 * endpoint of the Service (what the LB's health check on healthCheckNodePort finds).
 */
import { type Ip, formatIp, ipEquals } from '../../addr/ip.js';
import { InternalError } from '../../diag/diagnostic.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import type { Netns } from '../../kernel/netns.js';
import { addRoute } from '../../kernel/route/table.js';
import { computeProbability } from '../../proxy/index.js';
import type { ClusterConfig, Node, Service } from '../objects.js';
import type { BuiltCluster } from './cluster.js';

/** How the load balancer delivers one ingress IP. */
export type LbDelivery = 'vip' | 'nodePort' | 'proxy';

/** The load balancer's chain in the exit's nat PREROUTING. */
export const CLOUD_LB_CHAIN = 'CLOUD-LB';

/** Its chain in nat POSTROUTING: the proxy's source address. */
export const CLOUD_LB_SNAT_CHAIN = 'CLOUD-LB-PROXY-SNAT';

/** The fwmark bit a proxied connection carries from PREROUTING to POSTROUTING on the exit. */
const PROXY_MARK = '0x1';

/** `vip`, `nodePort` or `proxy` for an ingress IP of `svc`. */
export function ingressDelivery(cluster: ClusterConfig, svc: Service, vip: Ip): LbDelivery {
  if ((svc.loadBalancerProxyIPs ?? []).some((p) => ipEquals(p, vip))) return 'proxy';
  return cluster.loadBalancer?.mode === 'nodePort' ? 'nodePort' : 'vip';
}

/** The nodes the LB sends a Service's traffic to, in node order. */
export function lbTargets(built: BuiltCluster, svc: Service): Node[] {
  if (svc.externalTrafficPolicy !== 'Local') return [...built.spec.nodes];
  const ready = new Set(
    built.endpointSlices
      .filter((sl) => sl.namespace === svc.namespace && sl.serviceName === svc.name)
      .flatMap((sl) => sl.endpoints.filter((e) => e.conditions.ready).flatMap((e) => (e.nodeName !== undefined ? [e.nodeName] : []))),
  );
  return built.spec.nodes.filter((n) => ready.has(n.name));
}

/** One ingress IP of a LoadBalancer Service with its delivery. */
interface Ingress {
  readonly svc: Service;
  readonly vip: Ip;
  readonly delivery: LbDelivery;
}

function ingresses(built: BuiltCluster, family: 4 | 6): Ingress[] {
  return built.spec.services
    .filter((svc) => svc.type === 'LoadBalancer')
    .flatMap((svc) => svc.loadBalancerIngress.filter((vip) => vip.family === family).map((vip) => ({ svc, vip, delivery: ingressDelivery(built.spec.cluster, svc, vip) })));
}

/**
 * The `vip` deliveries: `ip route add VIP/32 via NODE-IP` on the exit, to the first target node
 * (one node: a VIP-mode LB that spreads over nodes is not modelled).
 */
export function loadBalancerRoutes(built: BuiltCluster, family: 4 | 6): { vip: Ip; node: Ip; service: string }[] {
  const out: { vip: Ip; node: Ip; service: string }[] = [];
  for (const { svc, vip, delivery } of ingresses(built, family)) {
    if (delivery !== 'vip') continue;
    const node = lbTargets(built, svc)[0]?.internalIPs.find((a) => a.family === family);
    if (node !== undefined) out.push({ vip, node, service: `${svc.namespace}/${svc.name}` });
  }
  return out;
}

/**
 * The `nodePort` and `proxy` deliveries as an `iptables-restore --noflush` payload for the
 * exit's nat table; undefined when there are none. A port without a nodePort
 * (`allocateLoadBalancerNodePorts: false`) or a Service without target nodes gets no rule: its
 * packets leave by the exit's uplink, as an LB with no healthy backend answers nothing.
 */
export function cloudLbPayload(built: BuiltCluster, family: 4 | 6): string | undefined {
  const chains: string[] = [];
  const rules: string[] = [];
  let proxied = false;
  for (const { svc, vip, delivery } of ingresses(built, family)) {
    if (delivery === 'vip') continue;
    const nodes = lbTargets(built, svc).flatMap((n) => n.internalIPs.filter((a) => a.family === family));
    for (const p of svc.ports) {
      if (p.nodePort === undefined || nodes.length === 0) continue;
      const chain = `${CLOUD_LB_CHAIN}-${chains.length + 1}`;
      const proto = p.protocol.toLowerCase();
      const full = family === 4 ? 32 : 128;
      const what = delivery === 'proxy' ? 'ipMode Proxy' : 'nodePort mode';
      chains.push(chain);
      rules.push(`-A ${CLOUD_LB_CHAIN} -d ${formatIp(vip)}/${full} -p ${proto} -m comment --comment "${svc.namespace}/${svc.name}:${p.port} ${what}" -m ${proto} --dport ${p.port} -j ${chain}`);
      if (delivery === 'proxy') rules.push(`-A ${chain} -j MARK --or-mark ${PROXY_MARK}`);
      nodes.forEach((node, i) => {
        const pick = i < nodes.length - 1 ? `-m statistic --mode random --probability ${computeProbability(nodes.length - i)} ` : '';
        rules.push(`-A ${chain} -p ${proto} ${pick}-j DNAT --to-destination ${hostPort(node, p.nodePort as number)}`);
      });
      proxied ||= delivery === 'proxy';
    }
  }
  if (chains.length === 0) return undefined;
  const snat = proxied ? [`:${CLOUD_LB_SNAT_CHAIN} - [0:0]`] : [];
  const hooks = [
    `-A PREROUTING -m comment --comment "cloud load balancer" -j ${CLOUD_LB_CHAIN}`,
    ...(proxied ? [`-A POSTROUTING -j ${CLOUD_LB_SNAT_CHAIN}`, `-A ${CLOUD_LB_SNAT_CHAIN} -m mark --mark ${PROXY_MARK}/${PROXY_MARK} -m comment --comment "the proxy connects from its own address" -j MASQUERADE`] : []),
  ];
  return ['*nat', `:${CLOUD_LB_CHAIN} - [0:0]`, ...snat, ...chains.map((c) => `:${c} - [0:0]`), ...hooks, ...rules, 'COMMIT', ''].join('\n');
}

function hostPort(ip: Ip, port: number): string {
  return ip.family === 4 ? `${formatIp(ip)}:${port}` : `[${formatIp(ip)}]:${port}`;
}

/**
 * Programs the load balancer into the exit (a namespace the caller has already copied): the
 * `vip` routes and the `nodePort`/`proxy` NAT rules, for `family`.
 */
export function installCloudLoadBalancer(built: BuiltCluster, exit: Netns, family: 4 | 6): void {
  const full = family === 4 ? 32 : 128;
  for (const lb of loadBalancerRoutes(built, family)) {
    // A node the exit cannot reach directly (another rack of an underlay) gets no route: the VIP then leaves by the uplink.
    try {
      addRoute(exit, { dst: { addr: lb.vip, prefix: full }, via: lb.node });
    } catch {
      continue;
    }
  }
  const payload = cloudLbPayload(built, family);
  if (payload === undefined) return;
  const r = iptablesRestore(exit.netfilter, payload, { file: 'cloud-load-balancer', family, noflush: true });
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new InternalError(`cloud load balancer rules refused: ${r.diagnostics.map((d) => d.message).join('; ')}`);
}
