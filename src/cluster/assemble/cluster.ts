/**
 * Building a cluster: from a validated ClusterSpec to the kernel state of every node and pod,
 * in the order a real cluster comes up:
 *
 * 1. the node network with its default gateway (or the underlay's networks and routers), and
 *    each node (`eth0`, node IP, default route via the gateway, sysctls);
 * 2. kube-proxy starts on each node and ensures its jump rules in the built-in chains;
 * 3. each pod's sandbox: a namespace, then CNI ADD (bridge, veth, IPAM, routes, masquerade);
 *    on bridge and flannel clusters, unless the build is `eager`, each node's sandboxes (and
 *    its steps 4 and 6 and its sockets) run when the node or one of its pods is first read
 *    (lazy-pods.ts), the pods' addresses being planned up front;
 * 4. cross-node pod routes (host-gw layout) for the bridge plugin; those the kernel refuses (next
 *    hop behind a router) are warnings, and kept for the tracer to explain; flannel's routes are
 *    flanneld's, which starts before the pods (flannel.ts); Calico's calico-node starts before
 *    the pods and its BIRD routes and Felix rules follow them (calico-cluster.ts); canal is
 *    flanneld's routes with calico-node (no BIRD) and Felix beside it (canal.ts);
 * 5. the EndpointSlice controller publishes the pods behind each Service;
 * 6. kube-proxy syncs: its payload is restored into each node's netfilter state (when that state
 *    is first read, unless the build is `eager`);
 * 7. with `networkPolicy.enforcer: kube-router` (flannel, bridge), kube-router's network policy
 *    controller syncs its chains and ipsets on each node (kube-router.ts).
 *
 * Problems (a CNI ADD that fails, a payload that does not load) are diagnostics, located at
 * the object that caused them when there is one.
 */
import type { BgpResult, BgpSpeakerConfig } from '../../bgp/types.js';
import type { Family } from '../../addr/ip.js';
import { type Diagnostic, type Parsed, hasErrors, warning } from '../../diag/diagnostic.js';
import { type World, createWorld } from '../../kernel/world.js';
import type { SimContext } from '../../sim/context.js';
import { clusterFamilies } from '../families.js';
import { reconcileEndpointSlices } from '../controllers/endpoint-slice.js';
import { nodeZones } from '../controllers/traffic-dist.js';
import { type ClusterSpec, type EndpointSlice, type Node, type Pod, objectKey } from '../objects.js';
import { type PodIpPlan, assignPodIps } from '../allocate/pod-ips.js';
import { NODE_GATEWAY, NODE_SEGMENT, type NetnsOwner } from './names.js';
import { buildNode, buildNodeNetwork } from './nodes.js';
import { buildUnderlay, nodeAttachment } from './underlay.js';
import { type BuiltPod, addPod } from './pods.js';
import { type CniRegistry, cniHost } from '../../cni/registry.js';
import type { ClusterApi } from '../../cni/types.js';
import { deferPayloadUntilNode, deferPodSandboxes, sandboxesDeferrable } from './lazy-pods.js';
import { type KubeProxySync, type KubeProxyView, deferKubeProxySyncs, ensureKubeProxyJumps, kubeProxyView, syncKubeProxy } from './proxy.js';
import { type RefusedRoute, installHostGwRoutes, refusedMessage } from './routes.js';
import { startFlannel } from './flannel.js';
import { finishCalico, startCalico } from './calico-cluster.js';
import { finishCanal, isCanal, startCanal } from './canal.js';
import { openListeners } from './sockets.js';
import { kubeRouterEnforces, runKubeRouter } from './kube-router.js';
import { type AppliedFailures, FAILURE_DELAY, type FailureRequest, HELD_AFTER, type Moment, applyFailures } from './failures.js';

/** A built cluster: the kernel world and what was decided while building it. */
export interface BuiltCluster {
  readonly spec: ClusterSpec;
  readonly world: World;
  readonly pods: readonly BuiltPod[];
  /** Pods whose sandbox could not be created (calico-ipam found no address): they have no namespace. */
  readonly failedPods: readonly FailedPod[];
  readonly endpointSlices: readonly EndpointSlice[];
  /** Who each namespace belongs to (for hop labels). */
  readonly owners: Readonly<Record<string, NetnsOwner>>;
  /** The kube-proxy payload restored on each node, by node name. */
  readonly proxyPayloads: Readonly<Record<string, string>>;
  /** Each node's CNI plugin state (host-local allocations), as on disk under /var/lib/cni. */
  readonly cniStores: Readonly<Record<string, Record<string, string>>>;
  /** Cross-node routes the kernel refused (empty on one L2 network). */
  readonly refusedRoutes: readonly RefusedRoute[];
  /** The cluster-wide API objects plugins wrote (calico-ipam's blocks, affinities, handles). */
  readonly api: ClusterApi;
  /** The BGP speakers (BIRD on Calico nodes, BGP routers of the underlay) and their converged state; absent without BGP. */
  readonly bgp?: BuiltBgp;
  /** The what-if failures applied (`--fail`), and the moment the cluster shows; absent without. */
  readonly failures?: AppliedFailures;
}

/** What BGP is configured to do and where it stood when the cluster was built. */
export interface BuiltBgp {
  readonly speakers: readonly BgpSpeakerConfig[];
  readonly result: BgpResult;
}

/** A pod kubelet could not start: it stays ContainerCreating, with the CNI plugin's error. */
export interface FailedPod {
  readonly pod: Pod;
  readonly reason: string;
}

/** What building needs besides the spec. */
export interface BuildOptions {
  readonly cni: CniRegistry;
  readonly ctx: SimContext;
  /** Machines or links to fail after BGP converged (`--fail`, `--fail-link`). */
  readonly failures?: readonly FailureRequest[];
  /** Which moment after the failures to build (default `withdrawn`: when nothing is left to happen). */
  readonly moment?: Moment;
  /**
   * Run every node's kube-proxy sync now and report a payload the kernel refuses
   * (KUBE_PROXY_RESTORE_FAILED). By default each node's syncs run when its netfilter state is
   * first read (proxy.ts deferKubeProxySyncs), so a question pays for the nodes it reads; on
   * bridge and flannel clusters each node's pod sandboxes wait for the node's first read as well
   * (lazy-pods.ts). `eager` builds everything now.
   */
  readonly eager?: boolean;
  /** Told which way each deferred kube-proxy restore went (proxy-delta.ts), for tests and the bench. */
  readonly onKubeProxyRestore?: (node: string, family: Family, path: 'delta' | 'full', why?: string) => void;
}


/** The policy objects Felix enforces (calico or canal): NetworkPolicies and the admin tiers. */
function adminPolicies(spec: ClusterSpec): Pick<ClusterSpec, 'networkPolicies' | 'adminNetworkPolicies'> & Partial<Pick<ClusterSpec, 'baselineAdminNetworkPolicy'>> {
  const banp = spec.baselineAdminNetworkPolicy;
  return { networkPolicies: spec.networkPolicies, adminNetworkPolicies: spec.adminNetworkPolicies, ...(banp === undefined ? {} : { baselineAdminNetworkPolicy: banp }) };
}

/** Builds every node and pod of the spec. */
export function buildCluster(spec: ClusterSpec, opts: BuildOptions): Parsed<BuiltCluster | undefined> {
  const diagnostics: Diagnostic[] = [];
  const world = createWorld();
  const owners = buildNetworks(world, spec);
  const families: Family[] = clusterFamilies(spec.cluster);
  for (const node of spec.nodes) {
    const at = nodeAttachment(spec.cluster, node);
    if (at === undefined) continue; // the loader already reported the missing network
    buildNode(world, node, at);
    owners[node.name] = { kind: 'node', name: node.name };
    // In nftables mode kube-proxy writes nothing to iptables, its jumps included.
    if (spec.cluster.kubeProxy.mode === 'iptables') for (const family of families) ensureKubeProxyJumps(world, node.name, family);
  }
  const plan = assignPodIps(spec.nodes, spec.pods, spec.cluster.cni);
  const stores: Record<string, Record<string, string>> = {};
  // The cluster's API objects plugins share (calico-ipam's blocks): one map for every node.
  const api: ClusterApi = new Map();
  const flannel = startFlannel(world, spec.cluster, spec.nodes, stores);
  diagnostics.push(...flannel.diagnostics);
  const cni = spec.cluster.cni;
  const calico = cni.type === 'calico' ? { cluster: spec.cluster, cfg: cni, nodes: spec.nodes, api, stores, namespaces: spec.namespaces, ...adminPolicies(spec) } : undefined;
  if (calico !== undefined) diagnostics.push(...startCalico(world, calico));
  const canal = isCanal(spec.cluster) ? { cluster: spec.cluster, nodes: spec.nodes, namespaces: spec.namespaces, ...adminPolicies(spec) } : undefined;
  if (canal !== undefined) startCanal(world, { ...canal, api, stores });
  const failedPods: FailedPod[] = [];
  const deferrable = sandboxesDeferrable(spec, plan, { ...(opts.eager !== undefined ? { eager: opts.eager } : {}), failing: (opts.failures?.length ?? 0) > 0, registry: opts.cni }, (n) => Object.hasOwn(world.netns, n));
  const deferred = deferrable ? deferPodSandboxes(world, { spec, plan, registry: opts.cni, ctx: opts.ctx, api, stores }) : undefined;
  const pods: readonly BuiltPod[] = deferred?.pods ?? addPods(world, spec, { plan, stores, api, opts, diagnostics, failedPods });
  for (const p of pods) if (!p.pod.hostNetwork) owners[p.netns] = { kind: 'pod', name: `${p.pod.namespace}/${p.pod.name}`, node: p.pod.nodeName };
  // Deferred nodes install their host-gw routes, sockets and kube-proxy syncs when first read (lazy-pods.ts).
  const hostGwRefused = spec.cluster.cni.type === 'bridge' && deferred === undefined ? installHostGwRoutes(world, spec.nodes) : [];
  const calicoDone = calico !== undefined ? finishCalico(world, { ...calico, pods, ...(opts.failures !== undefined ? { failures: opts.failures } : {}), ...(opts.moment !== undefined ? { moment: opts.moment } : {}) }) : { diagnostics: [], refused: [], bgp: undefined };
  diagnostics.push(...calicoDone.diagnostics);
  if (canal !== undefined) finishCanal(world, { ...canal, pods });
  const refusedRoutes = [...flannel.refused, ...hostGwRefused, ...calicoDone.refused];
  for (const r of hostGwRefused) diagnostics.push(warning('HOST_ROUTE_REFUSED', refusedMessage(r), spec.nodes.find((n) => n.name === r.ns)?.pos));
  const endpointSlices = reconcileEndpointSlices({ services: spec.services, pods: pods.map((p) => ({ pod: p.pod, ips: p.ips })), provided: spec.endpointSlices, zones: nodeZones(spec.nodes) });
  if (deferred === undefined) openListeners(world, spec, pods, endpointSlices);
  const proxyPayloads: Record<string, string> = {};
  const views = new Map(families.map((f) => [f, kubeProxyView(spec.services, endpointSlices, f)] as const));
  const observe = opts.onKubeProxyRestore;
  const syncsOf = (node: Node): KubeProxySync[] =>
    families.map((family) => ({ cluster: spec.cluster, node, view: views.get(family) as KubeProxyView, family, ...(observe === undefined ? {} : { onRestore: (path: 'delta' | 'full', why?: string) => observe(node.name, family, path, why) }) }));
  deferred?.finish({ slices: endpointSlices, proxy: (node) => deferKubeProxySyncs(world, proxyPayloads, syncsOf(node)) });
  for (const node of spec.nodes) {
    const syncs = syncsOf(node);
    if (deferred !== undefined) {
      if (syncs.length > 0) deferPayloadUntilNode(world, proxyPayloads, node.name);
      continue;
    }
    if (opts.eager !== true) {
      deferKubeProxySyncs(world, proxyPayloads, syncs);
      continue;
    }
    for (const sync of syncs) {
      const r = syncKubeProxy(world, sync);
      if (sync === syncs[0]) proxyPayloads[node.name] = r.payload;
      diagnostics.push(...r.diagnostics.map((d) => ({ ...d, code: 'KUBE_PROXY_RESTORE_FAILED', message: `kube-proxy on ${node.name}: ${d.message}` })));
    }
  }
  // kube-router's controller syncs once the pods and kube-proxy are up (it keeps its jumps first in the built-in chains).
  if (kubeRouterEnforces(spec)) runKubeRouter(world, spec, pods, { families, ctx: opts.ctx });
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const failures = failuresOf(opts, calicoDone.bgp?.failures);
  if (failures !== undefined) applyFailures(world, failures.requests, failures.moment);
  const bgp = calicoDone.bgp !== undefined ? { bgp: { speakers: calicoDone.bgp.speakers, result: calicoDone.bgp.result } } : {};
  return { value: { spec, world, pods, failedPods, endpointSlices, owners, proxyPayloads, cniStores: stores, refusedRoutes, api, ...bgp, ...(failures !== undefined ? { failures } : {}) }, diagnostics };
}

/** The eager loop: each pod's sandbox now, in spec order (ADD failures are diagnostics; Calico's leave the pod failed). */
function addPods(world: World, spec: ClusterSpec, input: { plan: PodIpPlan; stores: Record<string, Record<string, string>>; api: ClusterApi; opts: BuildOptions; diagnostics: Diagnostic[]; failedPods: FailedPod[] }): BuiltPod[] {
  const pods: BuiltPod[] = [];
  for (const pod of spec.pods) {
    const node = spec.nodes.find((n) => n.name === pod.nodeName);
    if (node === undefined) continue; // the loader already reported the missing node
    const store = (input.stores[node.name] ??= {});
    const planned = input.plan.ips.get(objectKey(pod));
    const host = cniHost({ world, hostNs: node.name, registry: input.opts.cni, store, api: input.api, ctx: input.opts.ctx });
    const built = addPod(world, { cluster: spec.cluster, node, pod, ...(planned !== undefined ? { planned } : {}), host, plugins: input.opts.cni });
    if ('code' in built) {
      input.diagnostics.push(built);
      if (built.severity === 'warning') input.failedPods.push({ pod, reason: built.message });
      continue;
    }
    pods.push(built);
  }
  return pods;
}

/** The failures as BGP ran them, or (no BGP) as requested, at the time they would have happened. */
function failuresOf(opts: BuildOptions, fromBgp: AppliedFailures | undefined): AppliedFailures | undefined {
  if (fromBgp !== undefined) return fromBgp;
  if (opts.failures === undefined || opts.failures.length === 0) return undefined;
  const moment = opts.moment ?? 'withdrawn';
  return { requests: opts.failures, moment, at: FAILURE_DELAY, now: FAILURE_DELAY + (moment === 'held' ? HELD_AFTER : 0) };
}

/** The node network and its gateway, or the underlay's networks and routers; their owners. */
function buildNetworks(world: World, spec: ClusterSpec): Record<string, NetnsOwner> {
  const underlay = spec.cluster.underlay;
  if (underlay === undefined) {
    buildNodeNetwork(world, spec.cluster.nodeNetwork, spec.cluster.secondary?.nodeNetwork);
    return { [NODE_SEGMENT]: { kind: 'segment', name: NODE_SEGMENT }, [NODE_GATEWAY]: { kind: 'gateway', name: NODE_GATEWAY } };
  }
  buildUnderlay(world, underlay);
  const owners: Record<string, NetnsOwner> = {};
  for (const n of underlay.networks) owners[n.name] = { kind: 'segment', name: n.name };
  for (const r of underlay.routers) owners[r.name] = { kind: 'router', name: r.name };
  return owners;
}
