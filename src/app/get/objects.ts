/**
 * The built cluster's objects as the API server returns them (`kubectl get -o json`): Nodes,
 * Pods, Services and EndpointSlices with the fields netsim knows, and nothing invented (no
 * creationTimestamp, uid or resourceVersion: the scenario has none, so the AGE column says
 * `<unknown>`, as kubectl prints it for an object without a creationTimestamp).
 */
import { ipFamilyName } from '../../cluster/families.js';
import { formatCidr } from '../../addr/cidr.js';
import { formatIp } from '../../addr/ip.js';
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import type { Ip } from '../../addr/index.js';
import type { Endpoint, EndpointSlice, Labels, Node, Pod, Service, ServicePort } from '../../cluster/objects.js';

/** A JSON value, as the API server writes it. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** `metadata`: name, namespace (namespaced kinds), labels when there are any. */
function meta(o: { readonly name: string; readonly namespace?: string; readonly labels: Labels }): Json {
  return {
    name: o.name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    ...(Object.keys(o.labels).length > 0 ? { labels: { ...o.labels } } : {}),
  };
}

/** A Node: `spec.podCIDR(s)`, `status.addresses` (InternalIP, Hostname), the Ready condition. */
export function nodeObject(node: Node): Json {
  const cidrs = node.podCIDRs.map(formatCidr);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(node),
    spec: { ...(cidrs[0] !== undefined ? { podCIDR: cidrs[0] } : {}), podCIDRs: cidrs },
    status: {
      addresses: [...node.internalIPs.map((ip) => ({ address: formatIp(ip), type: 'InternalIP' })), { address: node.name, type: 'Hostname' }],
      conditions: [{ status: 'True', type: 'Ready' }],
    },
  };
}

/**
 * What `get` reads of a cluster: the spec, the pods with their addresses, those whose sandbox
 * failed, the EndpointSlices. A BuiltCluster is one; get/plan.ts makes one without building.
 */
export interface GetView {
  readonly spec: BuiltCluster['spec'];
  readonly pods: readonly { readonly pod: Pod; readonly ips: readonly Ip[] }[];
  readonly failedPods: readonly { readonly pod: Pod }[];
  readonly endpointSlices: readonly EndpointSlice[];
}

/** What kubelet reported for a pod: its IPs, or none while its sandbox is not created. */
export interface PodState {
  readonly pod: Pod;
  /** The pod's addresses (CNI result, or the node's for hostNetwork); empty while ContainerCreating. */
  readonly ips: readonly string[];
  readonly hostIPs: readonly string[];
  /** The sandbox exists (false: calico-ipam or another plugin failed its ADD). */
  readonly sandbox: boolean;
}

/** A Pod: `spec.nodeName`/containers, `status.phase`, `podIP(s)`, `hostIP(s)`, container states. */
export function podObject(s: PodState): Json {
  const { pod } = s;
  const containerStatuses = pod.containers.map((c) => ({
    name: c.name,
    ready: s.sandbox && pod.ready,
    restartCount: 0,
    state: s.sandbox ? { running: {} } : { waiting: { reason: 'ContainerCreating' } },
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(pod),
    spec: {
      containers: pod.containers.map((c) => ({
        name: c.name,
        ...(c.ports.length > 0 ? { ports: c.ports.map((p) => ({ containerPort: p.containerPort, ...(p.name !== undefined ? { name: p.name } : {}), protocol: p.protocol })) } : {}),
      })),
      ...(pod.hostNetwork ? { hostNetwork: true } : {}),
      nodeName: pod.nodeName,
    },
    status: {
      containerStatuses,
      ...(s.hostIPs[0] !== undefined ? { hostIP: s.hostIPs[0], hostIPs: s.hostIPs.map((ip) => ({ ip })) } : {}),
      phase: s.sandbox ? 'Running' : 'Pending',
      ...(s.ips[0] !== undefined ? { podIP: s.ips[0], podIPs: s.ips.map((ip) => ({ ip })) } : {}),
    },
  };
}

/** One `spec.ports[]` entry. */
function servicePort(p: ServicePort): Json {
  return {
    ...(p.name !== '' ? { name: p.name } : {}),
    ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    port: p.port,
    protocol: p.protocol,
    targetPort: p.targetPort,
  };
}

/** A Service: `spec.clusterIP(s)` (`None` when headless), ports with nodePorts, selector, type. */
export function serviceObject(svc: Service): Json {
  const ips = svc.clusterIPs.map(formatIp);
  const clusterIPs = svc.headless ? ['None'] : ips;
  const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(svc),
    spec: {
      ...(clusterIPs[0] !== undefined ? { clusterIP: clusterIPs[0], clusterIPs } : {}),
      ...(svc.externalIPs.length > 0 ? { externalIPs: svc.externalIPs.map(formatIp) } : {}),
      ...(svc.externalName !== undefined ? { externalName: svc.externalName } : {}),
      ...(external ? { externalTrafficPolicy: svc.externalTrafficPolicy } : {}),
      ...(svc.healthCheckNodePort !== undefined ? { healthCheckNodePort: svc.healthCheckNodePort } : {}),
      ...(svc.type !== 'ExternalName' ? { internalTrafficPolicy: svc.internalTrafficPolicy } : {}),
      // As the API server defaulted them (kubectl prints them between internalTrafficPolicy and ports).
      ...(svc.ipFamilies !== undefined && svc.ipFamilies.length > 0 ? { ipFamilies: svc.ipFamilies.map(ipFamilyName) } : {}),
      ...(svc.ipFamilyPolicy !== undefined ? { ipFamilyPolicy: svc.ipFamilyPolicy } : {}),
      ...(svc.loadBalancerSourceRanges.length > 0 ? { loadBalancerSourceRanges: svc.loadBalancerSourceRanges.map(formatCidr) } : {}),
      ...(svc.ports.length > 0 ? { ports: svc.ports.map(servicePort) } : {}),
      ...(svc.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
      ...(svc.selector !== undefined ? { selector: { ...svc.selector } } : {}),
      sessionAffinity: svc.sessionAffinity,
      ...(svc.sessionAffinity === 'ClientIP' ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: svc.sessionAffinityTimeoutSeconds } } } : {}),
      type: svc.type,
    },
    status: { loadBalancer: svc.loadBalancerIngress.length > 0 ? { ingress: svc.loadBalancerIngress.map((ip) => ({ ip: formatIp(ip) })) } : {} },
  };
}

/** One `endpoints[]` entry. */
function endpoint(e: Endpoint): Json {
  return {
    addresses: e.addresses.map(formatIp),
    conditions: { ...e.conditions },
    ...(e.hints !== undefined ? { hints: hintsObject(e.hints) } : {}),
    ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
    ...(e.targetRef !== undefined ? { targetRef: { ...e.targetRef } } : {}),
    ...(e.zone !== undefined ? { zone: e.zone } : {}),
  };
}

/** `hints`: an empty list is left out, as the API server's omitempty does. */
function hintsObject(h: NonNullable<Endpoint['hints']>): Json {
  return {
    ...(h.forNodes.length > 0 ? { forNodes: h.forNodes.map((name) => ({ name })) } : {}),
    ...(h.forZones.length > 0 ? { forZones: h.forZones.map((name) => ({ name })) } : {}),
  };
}

/** An EndpointSlice (`discovery.k8s.io/v1`). */
export function endpointSliceObject(slice: EndpointSlice): Json {
  return {
    addressType: slice.addressType,
    apiVersion: 'discovery.k8s.io/v1',
    endpoints: slice.endpoints.map(endpoint),
    kind: 'EndpointSlice',
    metadata: meta(slice),
    ports: slice.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}

/** Every pod's state: built pods with their IPs, then those whose sandbox failed. */
export function podStates(built: GetView): PodState[] {
  const nodes = new Map(built.spec.nodes.map((n) => [n.name, n.internalIPs.map(formatIp)]));
  const hostIPs = (nodeName: string): string[] => nodes.get(nodeName) ?? [];
  return [
    ...built.pods.map((p) => ({ pod: p.pod, ips: p.ips.map(formatIp), hostIPs: hostIPs(p.pod.nodeName), sandbox: true })),
    ...built.failedPods.map((f) => ({ pod: f.pod, ips: [], hostIPs: hostIPs(f.pod.nodeName), sandbox: false })),
  ];
}

/**
 * A `v1 List` of objects, with every object's keys in alphabetical order: kubectl prints
 * objects it gets as unstructured maps, and Go's encoder writes map keys sorted.
 */
export function listObject(items: readonly Json[]): Json {
  return sortKeys({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
}

/** The same value with every object's keys sorted. */
export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as { readonly [key: string]: Json };
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k] as Json)]));
}
