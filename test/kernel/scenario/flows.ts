/**
 * The flows compared for a scenario, chosen from the built cluster: pod→pod on the same node,
 * pod→pod across nodes, pod→pod on a port nobody listens on (refused by a reset), pod→Service (ClusterIP) from a pod that is not a backend, pod→own
 * Service (hairpin: a backend reaching its own Service, retried until the kernel's random
 * choice picks the pod itself), pod→NodePort of another node, pod→Service for Services with no
 * endpoints or endpoints outside the cluster; from a node's own stack, node→pod on another node
 * and node→Service; node→the last node (across the underlay's routers when there are some);
 * pod→own node and pod→other node; pod→the `kubernetes` Service (its
 * endpoints are the nodes' :6443, where the nodes listen); and pod→outside, to an address
 * beyond the node network's gateway. On a dual-stack cluster the same flows run again over IPv6
 * (pods', nodes' and Services' IPv6 addresses, `--family 6` for netsim), except those from the
 * external client, which is IPv4.
 */
import { type Family, type Ip, formatIp, parseIp } from '../../../src/addr/ip.js';
import { routeGet } from '../../../src/kernel/text/route-get.js';
import type { BuiltCluster } from '../../../src/cluster/assemble/cluster.js';
import { ip } from '../../../src/addr/ip.js';
import { ingressDelivery, type LbDelivery } from '../../../src/cluster/assemble/cloud-lb.js';
import { outsideHostAt } from '../../../src/cluster/assemble/external.js';
import type { BuiltPod } from '../../../src/cluster/assemble/pods.js';
import type { Service } from '../../../src/cluster/objects.js';

/** What kind of flow, as the issue lists them. */
export type FlowKind =
  | 'pod→pod same node'
  | 'pod→pod cross node'
  | 'pod→Service'
  | 'pod→own Service (hairpin)'
  | 'pod→Service (no pod endpoints)'
  | 'node→pod other node'
  | 'node→Service'
  | 'pod→outside the cluster'
  | 'pod→NodePort on another node'
  | 'pod→own node'
  | 'pod→other node'
  | 'node→other node'
  | 'pod→kubernetes Service (node endpoints)'
  | 'pod→pod closed port'
  | 'external client→NodePort (eTP Local)'
  | 'external client→LoadBalancer VIP'
  | 'external client→LoadBalancer (nodePort mode)'
  | 'external client→LoadBalancer (ipMode Proxy)';

/** The port nodes listen on for pod→node flows (kubelet's). */
export const NODE_PORT = 10250;

/**
 * An address outside every scenario's networks (TEST-NET-3, RFC 5737). Packets for it go out
 * through the node network's gateway into the stand-in of its uplink, which never answers: they
 * never leave our namespaces.
 */
export const OUTSIDE_IP = '203.0.113.10';

/** The same outside address for IPv6 flows (the documentation prefix, RFC 3849). */
export const OUTSIDE_IP6 = '2001:db8::10';

/**
 * The client outside the cluster (TEST-NET-3, RFC 5737): netsim puts it in an `external`
 * namespace behind the node network's gateway (cluster/assemble/external.ts), and the harness
 * materializes that copy of the world.
 */
export const EXTERNAL_CLIENT_IP = '203.0.113.7';

/** One flow to send in the kernel and trace in netsim. */
export interface FlowCase {
  readonly kind: FlowKind;
  /** The address family the flow runs in (netsim is asked with `--family 6` for IPv6). */
  readonly family: Family;
  /** `default/pod-a → svc/default/service-b:80`. */
  readonly name: string;
  /** The source's model namespace (a pod's, or a node's) and the CLI argument naming it. */
  readonly srcNs: string;
  readonly srcArg: string;
  readonly srcIp: string;
  /** The CLI argument naming the destination (`default/b-1`, `svc/default/service-b`). */
  readonly dstArg: string;
  readonly dstIp: string;
  readonly dport: number;
  readonly proto: 'tcp' | 'udp';
  /** Ports (of `proto`) every pod listens on while the flow runs (the Service's target ports, or dport). */
  readonly listenPorts: readonly number[];
  /** The destination is a node's own stack (its listener, not a pod's). */
  readonly toNode?: boolean;
  /** Hairpin: the model namespace the kernel must pick at least once; the flow is retried for it. */
  readonly wantBackendNs?: string;
}

function podArg(p: BuiltPod): string {
  return `${p.pod.namespace}/${p.pod.name}`;
}

/** Whether the pod declares a TCP container port: netsim's pod answers only there (the kernel's probe listens wherever it is told). */
function listens(p: BuiltPod): boolean {
  return p.pod.containers.some((c) => c.ports.some((x) => x.protocol === 'TCP'));
}

/**
 * The DNS addon's CoreDNS pods and kube-dns Service (cluster/dns) are left out of the generic
 * flows: they would add a UDP flow to every scenario, and with it `-p udp` tracing of VXLAN's outer
 * packets, which the comparison skips by design (nodeSteps). The DNS path has no kernel differential yet.
 */
function isDnsAddon(o: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> }): boolean {
  return o.namespace === 'kube-system' && o.labels['k8s-app'] === 'kube-dns';
}

/** The scenario's own Services (not the DNS addon's). */
function scenarioServices(built: BuiltCluster): Service[] {
  return built.spec.services.filter((s) => !isDnsAddon(s));
}

function podPort(p: BuiltPod): number {
  return p.pod.containers.flatMap((c) => c.ports).find((x) => x.protocol === 'TCP')?.containerPort ?? 80;
}

/** The first address of the family among `ips`, as text. */
function ofFamily(ips: readonly Ip[] | undefined, family: Family): string | undefined {
  const ip = ips?.find((a) => a.family === family);
  return ip === undefined ? undefined : formatIp(ip);
}

/** A flow's name: the IPv6 twin of an IPv4 flow says so. */
function named(family: Family, name: string): string {
  return family === 6 ? `${name} [IPv6]` : name;
}

function podFlow(fam: Family, kind: FlowKind, a: BuiltPod, b: BuiltPod): FlowCase | undefined {
  const src = ofFamily(a.ips, fam);
  const dst = ofFamily(b.ips, fam);
  if (src === undefined || dst === undefined) return undefined;
  const port = podPort(b);
  return { kind, family: fam, name: named(fam, `${podArg(a)} → ${podArg(b)}:${port}`), srcNs: a.netns, srcArg: podArg(a), srcIp: src, dstArg: podArg(b), dstIp: dst, dport: port, proto: 'tcp', listenPorts: [port] };
}

/** Nothing listens on it in any flow (RFC 863's discard port): the kernel answers a reset / port unreachable. */
export const CLOSED_PORT = 9;

/**
 * A SYN to a port nobody listens on: the destination's kernel resets it (ECONNREFUSED), netsim
 * says REJECTED/NO_SOCKET. Only TCP: the harness traces UDP only where a Service carries it, and
 * would then also trace VXLAN's outer UDP and the ICMP error as the reply.
 */
function closedPortFlows(fam: Family, a: BuiltPod, b: BuiltPod): FlowCase[] {
  const src = ofFamily(a.ips, fam);
  const dst = ofFamily(b.ips, fam);
  if (src === undefined || dst === undefined) return [];
  return [{ kind: 'pod→pod closed port', family: fam, name: named(fam, `${podArg(a)} → ${podArg(b)}:${CLOSED_PORT} (closed)`), srcNs: a.netns, srcArg: podArg(a), srcIp: src, dstArg: podArg(b), dstIp: dst, dport: CLOSED_PORT, proto: 'tcp', listenPorts: [] }];
}

/** The pods behind a Service (its EndpointSlices' ready addresses that are pods). */
function backends(fam: Family, built: BuiltCluster, svc: Service, pods: readonly BuiltPod[], protocol: 'TCP' | 'UDP'): { pods: BuiltPod[]; ports: number[]; others: number } {
  const addressType = fam === 4 ? 'IPv4' : 'IPv6';
  const slices = built.endpointSlices.filter((s) => s.serviceName === svc.name && s.namespace === svc.namespace && s.addressType === addressType);
  const addrs = slices.flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses.map(formatIp)));
  const found = pods.filter((p) => addrs.includes(ofFamily(p.ips, fam) ?? ''));
  const ports = [...new Set(slices.flatMap((s) => s.ports.filter((p) => p.protocol === protocol).map((p) => p.port)))];
  return { pods: found, ports, others: addrs.length - found.length };
}

function serviceFlows(fam: Family, built: BuiltCluster, svc: Service, pods: readonly BuiltPod[]): FlowCase[] {
  const ip = svc.clusterIPs.find((a) => a.family === fam);
  const port = svc.ports.find((p) => p.protocol === 'TCP' || p.protocol === 'UDP');
  if (ip === undefined || port === undefined || svc.headless || (port.protocol !== 'TCP' && port.protocol !== 'UDP')) return [];
  const be = backends(fam, built, svc, pods, port.protocol);
  const dstArg = `svc/${svc.namespace}/${svc.name}`;
  const proto = port.protocol === 'UDP' ? ('udp' as const) : ('tcp' as const);
  const base = { dstArg, dstIp: formatIp(ip), dport: port.port, proto, listenPorts: be.ports.length > 0 ? be.ports : [port.port] };
  const flow = (kind: FlowKind, p: BuiltPod, extra: Partial<FlowCase> = {}): FlowCase[] => {
    const src = ofFamily(p.ips, fam);
    return src === undefined ? [] : [{ kind, family: fam, name: named(fam, `${podArg(p)} → ${dstArg}:${port.port}${proto === 'udp' ? '/udp' : ''}`), srcNs: p.netns, srcArg: podArg(p), srcIp: src, ...base, ...extra }];
  };
  const client = pods.find((p) => !be.pods.includes(p));
  const out: FlowCase[] = [];
  if (be.pods.length === 0) {
    if (client !== undefined) out.push(...flow('pod→Service (no pod endpoints)', client));
    return out;
  }
  if (client !== undefined) out.push(...flow('pod→Service', client));
  const own = be.pods[0];
  if (own !== undefined) out.push(...flow('pod→own Service (hairpin)', own, { wantBackendNs: own.netns }));
  const far = client === undefined ? undefined : built.spec.nodes.find((n) => n.name !== client.pod.nodeName);
  const farIp = far?.internalIPs.find((a) => a.family === fam);
  if (client !== undefined && far !== undefined && farIp !== undefined && port.nodePort !== undefined) {
    const np = { dstArg: far.name, dstIp: formatIp(farIp), dport: port.nodePort };
    out.push(...flow('pod→NodePort on another node', client, { ...np, name: named(fam, `${podArg(client)} → ${far.name} ${formatIp(farIp)}:${port.nodePort} (NodePort of ${svc.namespace}/${svc.name})`) }));
  }
  return out;
}

/** `ip route get DST`'s `src` in the model's node namespace. */
function routeSource(built: BuiltCluster, node: string, dst: string): string | undefined {
  const ns = built.world.netns[node];
  const to = parseIp(dst);
  if (ns === undefined || to === undefined) return undefined;
  const got = routeGet(ns, { dst: to });
  return got.ok ? /\bsrc (\S+)/.exec(got.text)?.[1] : undefined;
}

/** From a node's own stack (locally generated: OUTPUT, then POSTROUTING), to a pod elsewhere, to the last node and to the first Service with pods. */
function nodeFlows(fam: Family, built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  const node = built.spec.nodes[0];
  const ip = node?.internalIPs.find((a) => a.family === fam);
  if (node === undefined || ip === undefined) return [];
  const src = { srcNs: node.name, srcArg: node.name, srcIp: formatIp(ip) };
  const out: FlowCase[] = [];
  const far = pods.find((p) => p.pod.nodeName !== node.name && listens(p)) ?? pods.find((p) => p.pod.nodeName !== node.name);
  const farIp = far === undefined ? undefined : ofFamily(far.ips, fam);
  if (far !== undefined && farIp !== undefined) {
    const port = podPort(far);
    // The node's socket does not bind: it sends from the address the kernel selects for the
    // route (flannel.1's over VXLAN), as netsim's trace of a node does.
    const from = routeSource(built, node.name, farIp) ?? src.srcIp;
    out.push({ kind: 'node→pod other node', family: fam, name: named(fam, `${node.name} → ${podArg(far)}:${port}`), ...src, srcIp: from, dstArg: podArg(far), dstIp: farIp, dport: port, proto: 'tcp', listenPorts: [port] });
  }
  const last = built.spec.nodes.at(-1);
  const lastIp = last?.internalIPs.find((a) => a.family === fam);
  if (last !== undefined && last !== node && lastIp !== undefined) {
    const dstIp = formatIp(lastIp);
    out.push({ kind: 'node→other node', family: fam, name: named(fam, `${node.name} → ${last.name} ${dstIp}:${NODE_PORT}`), ...src, dstArg: last.name, dstIp, dport: NODE_PORT, proto: 'tcp', listenPorts: [NODE_PORT], toNode: true });
  }
  for (const svc of scenarioServices(built)) {
    if (svc.namespace === 'default' && svc.name === 'kubernetes') continue;
    const flow = serviceFlows(fam, built, svc, pods).find((f) => f.kind === 'pod→Service' || f.kind === 'pod→own Service (hairpin)');
    if (flow === undefined) continue;
    out.push({ ...flow, kind: 'node→Service', name: named(fam, `${node.name} → ${flow.dstArg}:${flow.dport}`), ...src });
    break;
  }
  return out;
}

/** From the first pod to its own node's address and to another node's (INPUT on the node). */
function toNodeFlows(fam: Family, built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  const p = pods[0];
  const src = p === undefined ? undefined : ofFamily(p.ips, fam);
  if (p === undefined || src === undefined) return [];
  const own = built.spec.nodes.find((n) => n.name === p.pod.nodeName);
  const other = built.spec.nodes.find((n) => n.name !== p.pod.nodeName);
  return [['pod→own node', own] as const, ['pod→other node', other] as const].flatMap(([kind, node]) => {
    const ip = node?.internalIPs.find((a) => a.family === fam);
    if (node === undefined || ip === undefined) return [];
    const dstIp = formatIp(ip);
    return [{ kind, family: fam, name: named(fam, `${podArg(p)} → ${node.name} ${dstIp}:${NODE_PORT}`), srcNs: p.netns, srcArg: podArg(p), srcIp: src, dstArg: node.name, dstIp, dport: NODE_PORT, proto: 'tcp' as const, listenPorts: [NODE_PORT], toNode: true }];
  });
}

/**
 * The implicit `kubernetes` Service, whose endpoints are the nodes' addresses (:6443, where the
 * nodes listen): DNAT to a node's own address from a bridged frame, or on to another node.
 */
function kubernetesFlow(fam: Family, built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  const svc = built.spec.services.find((x) => x.namespace === 'default' && x.name === 'kubernetes');
  const p = pods[0];
  const src = p === undefined ? undefined : ofFamily(p.ips, fam);
  const ip = svc?.clusterIPs.find((a) => a.family === fam);
  const port = svc?.ports.find((x) => x.protocol === 'TCP');
  if (svc === undefined || p === undefined || src === undefined || ip === undefined || port === undefined) return [];
  const ports = backends(fam, built, svc, pods, 'TCP').ports;
  if (ports.length === 0) return [];
  const dstArg = `svc/${svc.namespace}/${svc.name}`;
  return [{ kind: 'pod→kubernetes Service (node endpoints)', family: fam, name: named(fam, `${podArg(p)} → ${dstArg}:${port.port}`), srcNs: p.netns, srcArg: podArg(p), srcIp: src, dstArg, dstIp: formatIp(ip), dport: port.port, proto: 'tcp', listenPorts: ports, toNode: true }];
}

/**
 * An external client to a NodePort of an `externalTrafficPolicy: Local` Service, on the node of
 * its first backend: kube-proxy's KUBE-EXT chain delivers without masquerade, so the backend sees
 * the client's own address.
 */
export function externalFlows(built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  return [...nodePortFlow(built, pods), ...loadBalancerFlows(built, pods)];
}

/** The flow kind of each way the cloud load balancer delivers an ingress IP (cluster/assemble/cloud-lb.ts). */
const LB_FLOW_KIND: Readonly<Record<LbDelivery, FlowKind>> = {
  vip: 'external client→LoadBalancer VIP',
  nodePort: 'external client→LoadBalancer (nodePort mode)',
  proxy: 'external client→LoadBalancer (ipMode Proxy)',
};

/**
 * An external client to the first LoadBalancer ingress IP with pod backends, per way the LB
 * delivers it: routed by the exit to a node as is (vip), DNATed by the exit to NODE-IP:nodePort
 * (nodePort mode: the kernel's -m statistic picks the node), or DNATed and masqueraded to the
 * exit's address (ipMode Proxy).
 */
function loadBalancerFlows(built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  const out = new Map<LbDelivery, FlowCase>();
  const srcNs = externalClientNetns(built);
  for (const svc of scenarioServices(built)) {
    const port = svc.ports.find((p) => p.protocol === 'TCP');
    const be = backends(4, built, svc, pods, 'TCP');
    if (svc.type !== 'LoadBalancer' || port === undefined || be.pods.length === 0) continue;
    for (const vip of svc.loadBalancerIngress.filter((a) => a.family === 4)) {
      const delivery = ingressDelivery(built.spec.cluster, svc, vip);
      if (out.has(delivery)) continue;
      const dst = `${formatIp(vip)}:${port.port}`;
      out.set(delivery, { kind: LB_FLOW_KIND[delivery], family: 4, name: `${EXTERNAL_CLIENT_IP} → ${dst} (LoadBalancer ${svc.namespace}/${svc.name}, ${delivery})`, srcNs, srcArg: EXTERNAL_CLIENT_IP, srcIp: EXTERNAL_CLIENT_IP, dstArg: dst, dstIp: formatIp(vip), dport: port.port, proto: 'tcp', listenPorts: be.ports });
    }
  }
  return [...out.values()];
}

/** The namespace of the client at EXTERNAL_CLIENT_IP: a declared external host's, else `external`. */
export function externalClientNetns(built: BuiltCluster): string {
  return outsideHostAt(built, ip(EXTERNAL_CLIENT_IP)).ns;
}

function nodePortFlow(built: BuiltCluster, pods: readonly BuiltPod[]): FlowCase[] {
  for (const svc of scenarioServices(built)) {
    const port = svc.ports.find((p) => p.protocol === 'TCP' && p.nodePort !== undefined);
    if (svc.externalTrafficPolicy !== 'Local' || port?.nodePort === undefined) continue;
    const be = backends(4, built, svc, pods, 'TCP');
    const node = built.spec.nodes.find((n) => n.name === be.pods[0]?.pod.nodeName);
    const ip = node?.internalIPs.find((a) => a.family === 4);
    if (node === undefined || ip === undefined) continue;
    const dst = `${formatIp(ip)}:${port.nodePort}`;
    return [{ kind: 'external client→NodePort (eTP Local)', family: 4, name: `${EXTERNAL_CLIENT_IP} → ${node.name} ${dst} (NodePort of ${svc.namespace}/${svc.name})`, srcNs: externalClientNetns(built), srcArg: EXTERNAL_CLIENT_IP, srcIp: EXTERNAL_CLIENT_IP, dstArg: dst, dstIp: formatIp(ip), dport: port.nodePort, proto: 'tcp', listenPorts: be.ports }];
  }
  return [];
}

/**
 * Every flow of a scenario, in a fixed order: the IPv4 flows, then (on a cluster whose pods have
 * IPv6 addresses) their IPv6 twins, then the external client's.
 */
export function flowsOf(built: BuiltCluster): FlowCase[] {
  const v6 = built.pods.some((p) => !p.pod.hostNetwork && !isDnsAddon(p.pod) && p.ips.some((a) => a.family === 6));
  return [...familyFlows(4, built), ...(v6 ? familyFlows(6, built) : []), ...externalFlows(built, podsOf(4, built))];
}

/** The pods flows start from and go to: not hostNetwork, with an address of the family, not the DNS addon's. */
function podsOf(fam: Family, built: BuiltCluster): BuiltPod[] {
  return built.pods.filter((p) => !p.pod.hostNetwork && ofFamily(p.ips, fam) !== undefined && !isDnsAddon(p.pod));
}

/** The flows of one address family. */
function familyFlows(fam: Family, built: BuiltCluster): FlowCase[] {
  const pods = podsOf(fam, built);
  const out: FlowCase[] = [];
  const pairs = pods.flatMap((a) => pods.filter((b) => b !== a).map((b) => [a, b] as const));
  // A destination that declares a port first: netsim's pod answers only on declared ports.
  const same = pairs.find(([a, b]) => a.pod.nodeName === b.pod.nodeName && listens(b)) ?? pairs.find(([a, b]) => a.pod.nodeName === b.pod.nodeName);
  const cross = pairs.find(([a, b]) => a.pod.nodeName !== b.pod.nodeName && listens(b)) ?? pairs.find(([a, b]) => a.pod.nodeName !== b.pod.nodeName);
  if (same !== undefined) out.push(...[podFlow(fam, 'pod→pod same node', same[0], same[1])].filter((f): f is FlowCase => f !== undefined));
  if (cross !== undefined) out.push(...[podFlow(fam, 'pod→pod cross node', cross[0], cross[1])].filter((f): f is FlowCase => f !== undefined));
  if (cross !== undefined) out.push(...closedPortFlows(fam, cross[0], cross[1]));
  for (const svc of scenarioServices(built)) {
    if (svc.namespace === 'default' && svc.name === 'kubernetes') continue;
    out.push(...serviceFlows(fam, built, svc, pods));
  }
  out.push(...nodeFlows(fam, built, pods), ...toNodeFlows(fam, built, pods), ...kubernetesFlow(fam, built, pods));
  const first = pods[0];
  const firstIp = first === undefined ? undefined : ofFamily(first.ips, fam);
  const outside = fam === 4 ? OUTSIDE_IP : OUTSIDE_IP6;
  if (first !== undefined && firstIp !== undefined) {
    out.push({ kind: 'pod→outside the cluster', family: fam, name: named(fam, `${podArg(first)} → ${outside}:80`), srcNs: first.netns, srcArg: podArg(first), srcIp: firstIp, dstArg: outside, dstIp: outside, dport: 80, proto: 'tcp', listenPorts: [80] });
  }
  return out;
}
