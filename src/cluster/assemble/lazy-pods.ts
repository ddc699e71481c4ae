/**
 * Pod sandboxes deferred per node: each node's pods' `ip netns add` and CNI ADD (which also write
 * into the node's host namespace: the veth host ends, cni0 and its ports, routes, masquerade
 * rules, the host-local store), then what the eager build does to the node after the pods (its
 * host-gw routes, the listening sockets, kube-proxy's deferred syncs), run the first time
 * something reads the node's namespace, one of its pods' namespaces, its CNI store or its
 * kube-proxy payload (kernel/deferred-netns.ts). A question then pays for the nodes it reads.
 *
 * This is sound only where a node's ADDs depend on nothing but that node: host-local IPAM with
 * the addresses planned up front (allocate/pod-ips.ts assignPodIps, requested as `IP=`), which is
 * the bridge plugin and flannel (whose delegate is the bridge plugin). Calico and canal
 * (calico-ipam is cluster-wide and first come, first served), kube-router's policy controller
 * (it reads every pod's interface), `--fail` and anything the plan does not cover keep the eager
 * path ({@link sandboxesDeferrable}). `BuiltCluster.pods` is read from the plan: a pod's IPs are
 * the planned ones (checked against the ADD's result when it runs), its `cniResult` runs its node.
 */
import { type Cidr, cidr } from '../../addr/cidr.js';
import { type Ip, formatIp, ipEquals } from '../../addr/ip.js';
import { InternalError } from '../../diag/diagnostic.js';
import { type NodeAdds, type PodAdd, bridgeNodeAdds } from '../../cni/bridge-node-batch.js';
import { deferReservations, flushReservations } from '../../cni/host-local/store.js';
import { type CniRegistry, cniHost } from '../../cni/registry.js';
import type { ClusterApi, CniHost, CniResult } from '../../cni/types.js';
import { deferNetns } from '../../kernel/deferred-netns.js';
import { deferSandbox, inSandboxLater } from '../../kernel/deferred-sandbox.js';
import { hashRecord } from '../../kernel/netns.js';
import type { World } from '../../kernel/world.js';
import type { SimContext } from '../../sim/context.js';
import type { PodIpPlan } from '../allocate/pod-ips.js';
import { type ClusterSpec, type EndpointSlice, type Node, type Pod, objectKey } from '../objects.js';
import { isCanal } from './canal.js';
import { kubeRouterEnforces } from './kube-router.js';
import { podNetnsName } from './names.js';
import { containerIdOf } from './container-id.js';
import { type BuiltPod, addPod, cniPluginType, nodeNetConf, openShellPod, shellPodAdded } from './pods.js';
import { installHostGwRoutesOn, refusedMessage } from './routes.js';
import { openNodeListeners, openPodListeners } from './sockets.js';

/**
 * A node's pods' CNI results, by the pod's place in the node's pods (what the pods' `cniResult`
 * reads): a batched ADD's result is built when first read (cni/bridge-node-batch.ts).
 */
type Results = (CniResult | (() => CniResult) | undefined)[];

/** What deferring the sandboxes needs (the eager loop's inputs). */
export interface SandboxInput {
  readonly spec: ClusterSpec;
  readonly plan: PodIpPlan;
  readonly registry: CniRegistry;
  readonly ctx: SimContext;
  readonly api: ClusterApi;
  /** Each node's CNI store (flannel's subnet.env already in it); the node's entry comes to run the node when read. */
  readonly stores: Record<string, Record<string, string>>;
}

/** What a node's deferred work runs after its pods, known once the build has gone that far. */
export interface NodeLater {
  readonly slices: readonly EndpointSlice[];
  /** kube-proxy on the node (proxy.ts deferKubeProxySyncs, or nothing). */
  readonly proxy: (node: Node) => void;
}

/** The pods, read from the plan; `finish` hands the nodes what they run after their pods. */
export interface DeferredSandboxes {
  readonly pods: readonly BuiltPod[];
  finish(later: NodeLater): void;
}

/** Whether the spec's sandboxes may be deferred (see the module comment); `eager` and `--fail` say no. */
export function sandboxesDeferrable(spec: ClusterSpec, plan: PodIpPlan, opts: { eager?: boolean; failing: boolean; registry: CniRegistry }, built: (node: string) => boolean): boolean {
  const cni = spec.cluster.cni;
  if (opts.eager === true || opts.failing || kubeRouterEnforces(spec)) return false;
  if (!(cni.type === 'bridge' || (cni.type === 'flannel' && !isCanal(spec.cluster)))) return false;
  // One L2 node network: every host-gw next hop is on-link, so no route is refused (a warning the build must report).
  if (cni.type === 'bridge' && spec.cluster.underlay !== undefined) return false;
  if (opts.registry.get(cniPluginType(spec.cluster)) === undefined) return false;
  const nodes = new Map(spec.nodes.map((n) => [n.name, n]));
  if (!spec.nodes.every((n) => built(n.name))) return false;
  return spec.pods.every((p) => {
    const node = nodes.get(p.nodeName);
    return node === undefined || p.hostNetwork || (node.podCIDRs[0] !== undefined && (plan.ips.get(objectKey(p))?.length ?? 0) > 0);
  });
}

/** Defers every node's pods (see the module comment); the pods come back in spec order, as the eager loop builds them. */
export function deferPodSandboxes(world: World, input: SandboxInput): DeferredSandboxes {
  const { spec, plan, stores } = input;
  let later: NodeLater | undefined;
  // Each node's pods' CNI results, by the pod's place in `pods` (what the pods' `cniResult` reads).
  const nodes = new Map<string, { node: Node; pods: BuiltPod[]; results: Results; creates: (name: string) => void; store: Record<string, string> }>();
  for (const node of spec.nodes) {
    const entry = { node, pods: [] as BuiltPod[], results: [] as Results, creates: (_: string): void => undefined, store: {} as Record<string, string> };
    entry.creates = deferNetns(world, { host: node.name, addressesIn: node.podCIDRs, run: () => runNode(entry) }).creates;
    nodes.set(node.name, entry);
  }
  const runNode = (e: { node: Node; pods: BuiltPod[]; results: Results; store: Record<string, string> }): void => {
    const { node } = e;
    if (later === undefined) throw new InternalError(`node ${node.name} read before its build finished`);
    // One host for the node's ADDs (the eager loop's cniHost per pod holds the same things).
    const host = cniHost({ world, hostNs: node.name, registry: input.registry, store: e.store, api: input.api, ctx: input.ctx });
    const adds = batchedAdds(spec, node, host, input.registry);
    // host-local notes the batch's reservations; the store is read only through `stores`, which writes them.
    if (adds !== undefined) deferReservations(e.store);
    if (adds !== undefined) addBatched(e.pods, adds, e.results);
    for (let i = 0; adds === undefined && i < e.pods.length; i++) {
      const built = e.pods[i] as BuiltPod;
      // A pod's planned addresses are its IPs (a host-network pod has none planned).
      const planned = built.pod.hostNetwork ? undefined : built.ips;
      const out = addPod(world, { cluster: spec.cluster, node, pod: built.pod, ...(planned !== undefined ? { planned } : {}), host, plugins: input.registry, sandbox: 'shell' });
      if ('code' in out) throw new InternalError(`deferred sandbox: ${out.message}`);
      checkIps(built, out.ips);
      if (out.cniResult !== undefined) e.results[i] = out.cniResult;
      if (built.pod.hostNetwork) continue;
      // The pod's sockets are its namespace's own: opened when it is filled, after its ADD's work there.
      inSandboxLater(world, built.netns, () => openPodListeners(world, [built]));
      deferSandbox(world, built.netns, sandboxAddresses(built.ips));
    }
    if (spec.cluster.cni.type === 'bridge') {
      const refused = installHostGwRoutesOn(world, node, spec.nodes);
      if (refused[0] !== undefined) throw new InternalError(`deferred host-gw route refused on one L2 network: ${refusedMessage(refused[0])}`);
    }
    openNodeListeners(world, spec, node, later.slices);
    openPodListeners(world, e.pods.filter((p) => p.pod.hostNetwork));
    later.proxy(node);
  };
  /**
   * The node's pods' ADDs through its batch (cni/bridge-node-batch.ts), then what follows each
   * above. A host-network pod's ADD does nothing; every shell is opened before the ADDs, which
   * read no shell but their own.
   */
  const addBatched = (pods: readonly BuiltPod[], adds: NodeAdds, results: Results): void => {
    const at: number[] = [];
    const each: PodAdd[] = [];
    for (let i = 0; i < pods.length; i++) {
      const built = pods[i] as BuiltPod;
      if (built.pod.hostNetwork) continue;
      at.push(i);
      each.push({ rt: openShellPod(world, built.pod, built.netns, built.containerId), requested: built.ips });
    }
    const outs = adds(each);
    for (let k = 0; k < at.length; k++) {
      const i = at[k] as number;
      const built = pods[i] as BuiltPod;
      const out = shellPodAdded(built.pod, outs[k] as (typeof outs)[number]);
      if ('code' in out) throw new InternalError(`deferred sandbox: ${out.message}`);
      checkIps(built, out.ips);
      results[i] = out.cniResult;
      inSandboxLater(world, built.netns, () => openPodListeners(world, [built]));
      deferSandbox(world, built.netns, sandboxAddresses(built.ips));
    }
  };
  const pods: BuiltPod[] = [];
  for (const pod of spec.pods) {
    const e = nodes.get(pod.nodeName);
    if (e === undefined) continue; // the loader already reported the missing node
    e.store = stores[pod.nodeName] ??= hashRecord(); // a file name per pod address (netns.ts hashRecord)
    const built = pod.hostNetwork ? hostPod(pod, e.node.internalIPs) : lazyPod(world, pod, plan.ips.get(objectKey(pod)) ?? [], e.results, e.pods.length);
    if (!pod.hostNetwork) e.creates(built.netns);
    e.pods.push(built);
    pods.push(built);
  }
  for (const e of nodes.values()) {
    const store = stores[e.node.name];
    if (store === undefined) continue;
    e.store = store;
    const name = e.node.name;
    // In place: the store's key keeps its order; reading it runs the node first and writes the
    // reservations host-local noted (cni/host-local/store.ts deferReservations).
    Object.defineProperty(stores, name, { enumerable: true, configurable: true, get: () => (void world.netns[name], flushReservations(store), store) });
  }
  return { pods, finish: (l) => (later = l) };
}

/**
 * Every address a filled pod namespace answers ARP/ND for (kernel/deferred-sandbox.ts): the pod's
 * own and its loopback's; `eth0`'s link-local address is in the shell already.
 */
function sandboxAddresses(ips: readonly Ip[]): Cidr[] {
  return [...ips.map((addr) => ({ addr, prefix: addr.family === 4 ? 32 : 128 })), LOOPBACK_V4, LOOPBACK_V6];
}

const LOOPBACK_V4 = cidr('127.0.0.0/8');
const LOOPBACK_V6 = cidr('::1/128');

/** The ADD gave the pod its planned addresses (the pods' IPs were read from the plan). */
function checkIps(built: BuiltPod, ips: readonly Ip[]): void {
  if (!sameIps(ips, built.ips)) throw new InternalError(`deferred sandbox of ${objectKey(built.pod)}: CNI ADD gave ${ips.map(formatIp).join()}, the plan ${built.ips.map(formatIp).join()}`);
}

/** Whether two address lists are equal, element by element. */
function sameIps(a: readonly Ip[], b: readonly Ip[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return y !== undefined && ipEquals(x, y);
  });
}

/**
 * A host-network pod, its containerId computed when first read (hashing 150,000 pod keys is a
 * tenth of a large build). Object literals with getters, not `Object.defineProperty` on a
 * spread: the same own enumerable properties in the same order, at a fraction of the cost.
 */
function hostPod(pod: Pod, ips: readonly Ip[]): BuiltPod {
  let id: string | undefined;
  return {
    pod,
    netns: podNetnsName(pod),
    get containerId(): string {
      return (id ??= containerIdOf(pod));
    },
    ips,
  };
}

/** A pod whose `cniResult` runs its node's deferred sandboxes on first read (and whose containerId is lazy too). */
function lazyPod(world: World, pod: Pod, ips: readonly Ip[], results: Results, at: number): BuiltPod {
  let id: string | undefined;
  return {
    pod,
    netns: podNetnsName(pod),
    get containerId(): string {
      return (id ??= containerIdOf(pod));
    },
    ips,
    get cniResult(): CniResult | undefined {
      void world.netns[pod.nodeName];
      const r = results[at];
      return typeof r === 'function' ? (results[at] = r()) : r;
    },
  } as BuiltPod; // cniResult reads undefined for a pod whose ADD gave none
}

/**
 * kube-proxy's payload on a deferred node: reading it runs the node, whose work defers the syncs
 * (proxy.ts deferKubeProxySyncs replaces this accessor in place, keeping the key order), then
 * reads the payload, which runs them.
 */
export function deferPayloadUntilNode(world: World, payloads: Record<string, string>, node: string): void {
  const self: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get: (): string | undefined => {
      void world.netns[node];
      const now = Object.getOwnPropertyDescriptor(payloads, node);
      if (now?.get === self.get) throw new InternalError(`kube-proxy on ${node}: the node's syncs were not deferred`);
      return payloads[node];
    },
  };
  Object.defineProperty(payloads, node, self);
}

/**
 * The bridge plugin's batched ADDs for the node's pods (cni/bridge-batch.ts), when the cluster
 * runs the bridge plugin itself and the batch can show its ADDs equal to the plugin's.
 */
function batchedAdds(spec: ClusterSpec, node: Node, host: CniHost, registry: CniRegistry): NodeAdds | undefined {
  if (spec.cluster.cni.type !== 'bridge' || isCanal(spec.cluster) || node.podCIDRs[0] === undefined) return undefined;
  return bridgeNodeAdds(nodeNetConf(spec.cluster, node, true), host, registry);
}
