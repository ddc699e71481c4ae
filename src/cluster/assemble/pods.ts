/**
 * Pods, wired the way kubelet and the container runtime do it: a namespace per pod with `lo`
 * up, then the CNI plugin's ADD with a spec-shaped network configuration and runtime arguments
 * (container ID, netns, `eth0`). The plugin creates the interfaces, addresses and routes; the
 * pod's IPs are read back from the CNI result, as kubelet reads them.
 */
import { type Cidr, formatCidr, parseCidr } from '../../addr/cidr.js';
import { type Family, type Ip, formatIp } from '../../addr/ip.js';
import { type Diagnostic, InternalError, error, warning } from '../../diag/diagnostic.js';
import type { NodeAdded } from '../../cni/bridge-node-batch.js';
import type { CniRegistry } from '../../cni/registry.js';
import type { CniHost, CniOutcome, CniResult, NetConf, RuntimeConf } from '../../cni/types.js';
import { addNetnsLoopbackUp } from '../../kernel/netns-template.js';
import { addSandboxShell, inSandboxLater } from '../../kernel/deferred-sandbox.js';
import { type World, delNetns } from '../../kernel/world.js';
import type { ClusterConfig, Node, Pod } from '../objects.js';
import { containerIdOf } from './container-id.js';
import { podNetnsName } from './names.js';
import { canalNetConf, isCanal } from './canal.js';

/** A pod after CNI ADD. */
export interface BuiltPod {
  readonly pod: Pod;
  readonly netns: string;
  readonly ips: readonly Ip[];
  readonly containerId: string;
  readonly cniResult?: CniResult;
}

/**
 * The network configuration kubelet hands the plugin, as a conflist entry with host-local IPAM
 * over the node's podCIDR. With `isDefaultGateway` the bridge plugin adds the default route
 * itself, and an IPAM default route as well would make its ADD fail with "File exists", as the
 * real plugin does; without it, pods get a route to the cluster CIDR, as flannel configures.
 */
export function netConfFor(cluster: ClusterConfig, podCIDR: Cidr | undefined, more: readonly Cidr[] = []): NetConf {
  if (isCanal(cluster)) return canalNetConf();
  if (cluster.cni.type === 'flannel') return FLANNEL_NETCONF;
  if (cluster.cni.type === 'calico') return calicoNetConf(cluster.cni.mtu, [...new Set(cluster.cni.ipPools.map((p) => p.cidr.addr.family))]);
  if (podCIDR === undefined) throw new InternalError('the bridge plugin needs the node podCIDR');
  const { type, ...options } = cluster.cni;
  const clusterCIDRs = [cluster.clusterCIDR, ...(cluster.secondary === undefined ? [] : [cluster.secondary.clusterCIDR])];
  const routes = options.isDefaultGateway ? [] : clusterCIDRs.map((c) => ({ dst: formatCidr(c) }));
  // Dual-stack: one range set per family, as the bridge plugin's dual-stack conflists write it.
  const ranges = [podCIDR, ...more].map((c) => [{ subnet: formatCidr(c) }]);
  return {
    cniVersion: '1.0.0',
    name: 'cbr0',
    type,
    ...options,
    ipam: { type: 'host-local', ranges, routes },
  };
}

/**
 * kube-flannel.yml's `10-flannel.conflist` entry: the flannel plugin with the delegate keys the
 * manifest sets; the rest comes from flanneld's subnet.env at ADD time.
 */
export const FLANNEL_NETCONF: NetConf = {
  cniVersion: '0.3.1',
  name: 'cbr0',
  type: 'flannel',
  delegate: { hairpinMode: true, isDefaultGateway: true },
};

/**
 * calico.yaml's `10-calico.conflist` entry for the `calico` plugin: the kubernetes datastore,
 * calico-ipam, the Kubernetes policy mode. `mtu` is the manifest's `__CNI_MTU__`, which
 * calico-node fills in from `veth_mtu` (auto: detected, see the calico-node start).
 * `families` are the address families of the pools: calico-ipam assigns IPv4 unless told
 * `assign_ipv4: "false"` and IPv6 only with `assign_ipv6: "true"`, which is how Calico's
 * IPv6 and dual-stack install docs have the conflist's `ipam` section written.
 */
export function calicoNetConf(mtu: number | 'auto', families: readonly Family[] = [4]): NetConf {
  const ipam: Record<string, string> = { type: 'calico-ipam' };
  if (!families.includes(4)) ipam['assign_ipv4'] = 'false';
  if (families.includes(6)) ipam['assign_ipv6'] = 'true';
  return {
    cniVersion: '0.3.1',
    name: 'k8s-pod-network',
    type: 'calico',
    log_level: 'info',
    datastore_type: 'kubernetes',
    mtu: mtu === 'auto' ? 0 : mtu,
    ipam,
    policy: { type: 'k8s' },
    kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' },
  };
}

/** The plugin kubelet runs (the conflist's first): `calico` on canal, else the cluster's CNI type. */
export function cniPluginType(cluster: ClusterConfig): string {
  return isCanal(cluster) ? 'calico' : cluster.cni.type;
}

/** Each node's network configuration: the same for every pod of the node, so built (and parsed by the plugins) once. */
const nodeConfs = new WeakMap<Node, { readonly cluster: ClusterConfig; readonly conf: NetConf }>();

export function nodeNetConf(cluster: ClusterConfig, node: Node, needsPodCidr: boolean): NetConf {
  const known = nodeConfs.get(node);
  if (known !== undefined && known.cluster === cluster) return known.conf;
  const conf = netConfFor(cluster, node.podCIDRs[0], needsPodCidr ? node.podCIDRs.slice(1) : []);
  nodeConfs.set(node, { cluster, conf });
  return conf;
}

/**
 * How a pod's namespace is made: `now` whole, or as a `shell` whose inside is filled when first
 * read (kernel/deferred-sandbox.ts; the caller defers it after the ADD).
 */
export type SandboxMode = 'now' | 'shell';

/** Runs CNI ADD for one pod; returns the built pod or a diagnostic located at the pod. */
export function addPod(world: World, input: { cluster: ClusterConfig; node: Node; pod: Pod; planned?: readonly Ip[]; host: CniHost; plugins: CniRegistry; sandbox?: SandboxMode }): BuiltPod | Diagnostic {
  const { pod, node } = input;
  const netns = podNetnsName(pod);
  const containerId = containerIdOf(pod);
  if (pod.hostNetwork) return { pod, netns, ips: node.internalIPs, containerId };
  const podCIDR = node.podCIDRs[0];
  const pluginType = cniPluginType(input.cluster);
  const plugin = input.plugins.get(pluginType);
  // calico-ipam hands out addresses from its own blocks: the node's podCIDR plays no part.
  const needsPodCidr = input.cluster.cni.type !== 'calico';
  if ((needsPodCidr && podCIDR === undefined) || plugin === undefined) {
    return error('CNI_ADD_FAILED', `pod ${pod.namespace}/${pod.name}: ${podCIDR === undefined ? `node ${node.name} has no podCIDR` : `no CNI plugin of type ${pluginType}`}`, pod.pos);
  }
  // `ip netns add` + `ip link set lo up`, copied from the state those two verbs leave (kernel/netns-template.ts);
  // in a shell, when the sandbox is filled (kernel/deferred-sandbox.ts).
  if (input.sandbox === 'shell') {
    addSandboxShell(world, netns);
    inSandboxLater(world, netns, () => addNetnsLoopbackUp(world, netns));
  } else addNetnsLoopbackUp(world, netns);
  const args: Record<string, string> = { K8S_POD_NAMESPACE: pod.namespace, K8S_POD_NAME: pod.name, K8S_POD_INFRA_CONTAINER_ID: containerId };
  // The address the loader planned (and checked) for this pod, requested as kubelet's
  // CNI_ARGS IP=, so host-local hands out exactly the validated addresses.
  // A dual-stack pod asks for one address per family (host-local's `args.cni.ips`).
  const requested = input.planned ?? pod.podIPs.slice(0, 1);
  const [first, ...others] = requested;
  if (first !== undefined && others.length === 0) args['IP'] = formatIp(first);
  // flannel hands its delegate a netconf of its own, without `args`: a dual-stack pod can ask
  // host-local for one address only, through CNI_ARGS (the one the scenario fixes, else the
  // first family's), and gets the other family's next address, which is the planned one.
  const delegating = input.cluster.cni.type === 'flannel' && !isCanal(input.cluster);
  if (delegating && others.length > 0) args['IP'] = formatIp(pod.podIPs[0] ?? (first as Ip));
  const rt: RuntimeConf = { containerId, netns, ifName: 'eth0', args };
  const conf = nodeNetConf(input.cluster, node, needsPodCidr);
  const out = plugin.add(others.length === 0 ? conf : { ...conf, args: { cni: { ips: requested.map(formatIp) } } }, rt, input.host);
  if (!out.ok && input.cluster.cni.type === 'calico') {
    // What kubelet does with a failed sandbox: tears the namespace down, reports
    // FailedCreatePodSandBox and retries; the pod stays ContainerCreating. calico-ipam running
    // out of addresses is a state of the cluster, not a mistake in the scenario.
    delNetns(world, netns);
    return warning('POD_SANDBOX_FAILED', `pod ${pod.namespace}/${pod.name} has no sandbox (FailedCreatePodSandBox): plugin type="calico" failed (add): ${out.error.msg}`, pod.pos);
  }
  if (!out.ok) return error('CNI_ADD_FAILED', `pod ${pod.namespace}/${pod.name}: CNI ADD failed (code ${out.error.code}): ${out.error.msg}`, pod.pos);
  const ips = out.value.ips.flatMap((x) => {
    const c = parseCidr(x.address);
    return c === undefined ? [] : [c.addr];
  });
  return { pod, netns, ips, containerId, cniResult: out.value };
}

/**
 * The start of {@link addPod} for a pod whose sandbox is a shell, its ADD going through its node's
 * batch (cni/bridge-node-batch.ts): the same namespace verbs, and the runtime config but for `IP=`,
 * as the addresses go to host-local as they are. The pod's netns and containerId come with it
 * (read once, where addPod derives them again).
 */
export function openShellPod(world: World, pod: Pod, netns: string, containerId: string): RuntimeConf {
  addSandboxShell(world, netns);
  inSandboxLater(world, netns, () => addNetnsLoopbackUp(world, netns));
  return { containerId, netns, ifName: 'eth0', args: { K8S_POD_NAMESPACE: pod.namespace, K8S_POD_NAME: pod.name, K8S_POD_INFRA_CONTAINER_ID: containerId } };
}

/** The end of {@link addPod} for a pod opened by {@link openShellPod}: its batched ADD's outcome, as addPod reports it. */
export function shellPodAdded(pod: Pod, out: CniOutcome<NodeAdded>): { readonly ips: readonly Ip[]; readonly cniResult: NodeAdded['result'] } | Diagnostic {
  if (!out.ok) return error('CNI_ADD_FAILED', `pod ${pod.namespace}/${pod.name}: CNI ADD failed (code ${out.error.code}): ${out.error.msg}`, pod.pos);
  return { ips: out.value.ips, cniResult: out.value.result };
}
