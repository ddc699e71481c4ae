/**
 * What listens where once the workload runs: the sockets the kernel model's local delivery
 * looks packets up in (kernel/socket.ts).
 *
 * - A pod listens on its containers' declared `containerPort`s, per protocol, on every address
 *   (`ss -ltun` in the pod shows `*:PORT`). Kubernetes does not enforce the declaration, but it is
 *   the only statement of what a container serves, so netsim takes it at its word.
 * - A `hostNetwork` pod's ports are the node's.
 * - A node runs kubelet (10250/tcp) and kube-proxy's health server (10256/tcp), plus each
 *   LoadBalancer Service's `healthCheckNodePort` (kube-proxy's per-Service health checks), and the
 *   API server (6443/tcp) when an endpoint of `default/kubernetes` is one of its addresses.
 * Underlay routers are not described, so every port answers there.
 */
import { type Ip, ipEquals } from '../../addr/ip.js';
import { type SharedListeners, type SocketProto, listen, type listenAll, listenShared, modelSockets, sharedListeners } from '../../kernel/socket.js';
import type { World } from '../../kernel/world.js';
import type { ClusterSpec, EndpointSlice, Node, Protocol } from '../objects.js';
import type { BuiltPod } from './pods.js';

/** kubelet's server port (`--port`, default 10250). */
export const KUBELET_PORT = 10250;
/** kube-proxy's `--healthz-bind-address` port (default 10256). */
export const KUBE_PROXY_HEALTHZ_PORT = 10256;

const PROTO: Readonly<Record<Protocol, SocketProto>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** Opens every node's and pod's listening sockets in `world`. */
export function openListeners(world: World, spec: ClusterSpec, pods: readonly BuiltPod[], slices: readonly EndpointSlice[]): void {
  for (const node of spec.nodes) openNodeListeners(world, spec, node, slices);
  openPodListeners(world, pods);
}

/** The node's own listening sockets: kubelet, kube-proxy's health servers, the API server. */
export function openNodeListeners(world: World, spec: ClusterSpec, node: Node, slices: readonly EndpointSlice[]): void {
  const ns = world.netns[node.name];
  if (ns === undefined) return;
  const own: Parameters<typeof listenAll>[1][number][] = [
    { proto: 'tcp', port: KUBELET_PORT, owner: 'kubelet' },
    { proto: 'tcp', port: KUBE_PROXY_HEALTHZ_PORT, owner: 'kube-proxy' },
  ];
  const api = apiServerPorts(slices, node.internalIPs).map((port) => ({ proto: 'tcp' as const, port, owner: 'kube-apiserver' }));
  listenShared(ns, own, healthCheckListeners(spec), api);
}

/** Each pod's declared container ports, in its namespace (a hostNetwork pod's in its node's). */
export function openPodListeners(world: World, pods: readonly BuiltPod[]): void {
  for (const p of pods) {
    const ns = world.netns[p.pod.hostNetwork ? p.pod.nodeName : p.netns];
    if (ns === undefined) continue;
    modelSockets(ns);
    const owner = `${p.pod.namespace}/${p.pod.name}`;
    for (const c of p.pod.containers) for (const port of c.ports) listen(ns, { proto: PROTO[port.protocol], port: port.containerPort, owner });
  }
}

const healthListeners = new WeakMap<readonly unknown[], SharedListeners>();

/** kube-proxy's listener on every Service's `healthCheckNodePort`, in Service order: the same on every node, so made once. */
function healthCheckListeners(spec: ClusterSpec): SharedListeners {
  let shared = healthListeners.get(spec.services);
  if (shared === undefined) {
    const found: { proto: 'tcp'; port: number; owner: string }[] = [];
    for (const s of spec.services) if (s.healthCheckNodePort !== undefined) found.push({ proto: 'tcp', port: s.healthCheckNodePort, owner: 'kube-proxy' });
    healthListeners.set(spec.services, (shared = sharedListeners(found)));
  }
  return shared;
}

const apiServerSlices = new WeakMap<readonly EndpointSlice[], readonly EndpointSlice[]>();

/** The ports of `default/kubernetes` endpoints at one of the node's addresses. */
function apiServerPorts(slices: readonly EndpointSlice[], addrs: readonly Ip[]): number[] {
  // The Service's slices are picked out once, not once per node (a large cluster has 10,000 slices).
  let api = apiServerSlices.get(slices);
  if (api === undefined) apiServerSlices.set(slices, (api = slices.filter((s) => s.namespace === 'default' && s.serviceName === 'kubernetes')));
  const own = api
    .filter((s) => s.endpoints.some((e) => e.addresses.some((a) => addrs.some((b) => ipEquals(a, b)))));
  return [...new Set(own.flatMap((s) => s.ports.filter((p) => p.protocol === 'TCP').map((p) => p.port)))];
}
