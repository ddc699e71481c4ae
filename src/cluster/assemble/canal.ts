/**
 * canal: `cni: {type: flannel}` with `networkPolicy: {enforcer: canal}`, as projectcalico/calico's
 * manifests/canal.yaml deploys it: one DaemonSet with flanneld and calico-node side by side.
 *
 * - flanneld (`--ip-masq`, from canal-config `masquerade: "true"`) holds the node's podCIDR as its
 *   lease and programs flannel.1 (vxlan) or the host-gw routes to the other nodes' leases, as in
 *   a flannel cluster (flannel.ts; its FLANNEL-POSTRTG / FLANNEL-FWD chains too).
 * - The CNI conflist (`10-canal.conflist`) is the `calico` plugin with `ipam: {type: host-local,
 *   subnet: usePodCidr}`: Calico's pod plumbing (cali veth, 169.254.1.1, /32 route, permanent
 *   neighbour, proxy ARP) with an address from the node's podCIDR. No cni0 bridge. The conflist's
 *   second plugin, `portmap`, is not modelled (netsim models no hostPort).
 * - calico-node runs with `CALICO_NETWORKING_BACKEND=none` (no BIRD, no confd), `IP=""`, and
 *   creates the default pool from kubeadm's podSubnet (the clusterCIDR) with the defaults of an
 *   unset `CALICO_IPV4POOL_IPIP`/`_VXLAN` (Never) and `CALICO_IPV4POOL_NAT_OUTGOING` (true): so
 *   Felix has no tunnel, and its cali-nat-outgoing masquerades pods leaving the pool, before
 *   flannel's FLANNEL-POSTRTG would (Felix's jump is inserted first in POSTROUTING).
 * - The pod MTU: canal-config `veth_mtu: "0"`, so the plugin reads /var/lib/calico/mtu, where
 *   Felix writes the host MTU when no Calico encapsulation is on (`determinePodMTU`): 1500 on a
 *   1500 eth0, while flanneld gives flannel.1 1450. Big packets between nodes then meet
 *   flannel.1's smaller MTU on the node (an ICMP "fragmentation needed" back to the pod).
 * - `FELIX_IPV6SUPPORT=false` in the manifest, and flannel is modelled for IPv4 only: canal is
 *   IPv4 here.
 * - NetworkPolicy: Felix renders it as on a Calico cluster (cali-pi/cali-po chains, selector
 *   ipsets), from {@link canalFelixInput}.
 *
 * Order: flanneld (cluster.ts, before), {@link startCanal} (before the pods), the pods (the calico
 * plugin via {@link canalNetConf}), then {@link finishCanal} (Felix's rules, once the workloads exist).
 */
import { formatCidr } from '../../addr/cidr.js';
import { InternalError } from '../../diag/diagnostic.js';
import { type FelixInput, type FelixPool, loadFelix } from '../../cni/calico/felix/index.js';
import { CALICO_MTU_PATH, CALICO_NODENAME_PATH } from '../../cni/calico/names.js';
import { NODES_RESOURCE } from '../../cni/calico/pod-cidr.js';
import type { ClusterApi, JsonValue, NetConf } from '../../cni/types.js';
import { getLink } from '../../kernel/link/link.js';
import type { World } from '../../kernel/world.js';
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterConfig, FlannelCniConfig, Namespace, NetworkPolicy, Node } from '../objects.js';
import { calicoPolicyInput } from '../calico-admin-netpol.js';
import { workloadsOf } from './calico-cluster.js';
import type { BuiltPod } from './pods.js';

/** A flannel cluster whose NetworkPolicy enforcer is canal. */
export type CanalCluster = ClusterConfig & { readonly cni: FlannelCniConfig };

/** True when the cluster is canal: flannel between nodes, Calico's plugin and Felix on them. */
export function isCanal(cluster: ClusterConfig): cluster is CanalCluster {
  return cluster.cni.type === 'flannel' && cluster.networkPolicy.enforcer === 'canal';
}

/**
 * canal.yaml's `cni_network_config`, first plugin, as install-cni writes it: `mtu` is
 * `__CNI_MTU__` from `veth_mtu: "0"` (so /var/lib/calico/mtu decides) and `usePodCidr` stays
 * for the plugin to resolve at ADD.
 */
export function canalNetConf(): NetConf {
  return {
    cniVersion: '0.3.1',
    name: 'k8s-pod-network',
    type: 'calico',
    log_level: 'info',
    datastore_type: 'kubernetes',
    mtu: 0,
    ipam: { type: 'host-local', subnet: 'usePodCidr' },
    policy: { type: 'k8s' },
    kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' },
  };
}

/** The default IPv4 pool calico-node creates (`default-ipv4-ippool`): the clusterCIDR, no tunnel, natOutgoing. */
export function canalPool(cluster: ClusterConfig): FelixPool {
  return { cidr: cluster.clusterCIDR, natOutgoing: true, disabled: false, ipipMode: 'Never', vxlanMode: 'Never' };
}

/** What {@link startCanal} needs. */
export interface CanalStartInput {
  readonly cluster: CanalCluster;
  readonly nodes: readonly Node[];
  readonly api: ClusterApi;
  /** Each node's plugin store (its /var/lib/calico files), by node name; filled in here. */
  readonly stores: Record<string, Record<string, string>>;
}

/**
 * Before the pods: the Node objects as kube-controller-manager left them (`spec.podCIDRs`, which
 * the plugin's `usePodCidr` reads), then calico-node on each node: /var/lib/calico/nodename and
 * /var/lib/calico/mtu (the host MTU: no Calico encapsulation).
 */
export function startCanal(world: World, input: CanalStartInput): void {
  publishNodes(input.api, input.nodes);
  for (const node of input.nodes) {
    const ns = world.netns[node.name];
    if (ns === undefined) continue; // the loader already reported its network
    const store = (input.stores[node.name] ??= {});
    store[CALICO_NODENAME_PATH] = node.name;
    store[CALICO_MTU_PATH] = String(getLink(ns, 'eth0').mtu);
  }
}

/** `kubectl get node NAME -o json`, the parts that matter here: name, labels, podCIDR(s). */
function publishNodes(api: ClusterApi, nodes: readonly Node[]): void {
  let map = api.get(NODES_RESOURCE);
  if (map === undefined) {
    map = new Map<string, JsonValue>();
    api.set(NODES_RESOURCE, map);
  }
  for (const n of nodes) {
    const podCIDRs = n.podCIDRs.map(formatCidr);
    const spec = podCIDRs[0] === undefined ? {} : { podCIDR: podCIDRs[0], podCIDRs };
    map.set(n.name, { apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { ...n.labels } }, spec });
  }
}

/** What Felix on a canal node is given. */
export interface CanalFelixSources {
  readonly cluster: CanalCluster;
  readonly nodes: readonly Node[];
  readonly pods: readonly BuiltPod[];
  /** The namespaces (their labels reach Felix through the `kns.` profiles). */
  readonly namespaces?: readonly Namespace[];
  /** The NetworkPolicies, converted for Felix as calico-kube-controllers does (calico-netpol.ts). */
  readonly networkPolicies?: readonly NetworkPolicy[];
  /** The AdminNetworkPolicies and the BaselineAdminNetworkPolicy (calico-admin-netpol.ts). */
  readonly adminNetworkPolicies?: readonly AdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
}

/**
 * What Felix on one canal node knows (IPv4): the default pool, its local workloads (the cali
 * veths the plugin made), the NetworkPolicies with every workload for the selector ipsets, no
 * IPIP and no VXLAN of its own. The one place a canal node's Felix input is built.
 */
export function canalFelixInput(src: CanalFelixSources, node: Node): FelixInput {
  const allWorkloads = workloadsOf(src, 4);
  const localWorkloads = allWorkloads.filter((w) => w.node === node.name).map((w) => w.workload);
  const policies = calicoPolicyInput(src);
  return {
    nodeName: node.name,
    family: 4,
    hostIPs: src.nodes.flatMap((n) => n.internalIPs.filter((a) => a.family === 4).slice(0, 1)),
    vxlanHostIPs: [],
    pools: [canalPool(src.cluster)],
    localWorkloads,
    ...(policies !== undefined ? { ...policies, allWorkloads: allWorkloads.map((w) => w.workload) } : {}),
    ipipEnabled: false,
    vxlanEnabled: false,
  };
}

/** After the pods: Felix's ipsets and iptables on every node. */
export function finishCanal(world: World, src: CanalFelixSources): void {
  for (const node of src.nodes) {
    if (world.netns[node.name] === undefined) continue;
    const problems = loadFelix(world, node.name, canalFelixInput(src, node));
    // Felix's rules come from netsim itself: one the kernel model refuses is a netsim bug.
    if (problems.length > 0) throw new InternalError(`Felix's rules on ${node.name} do not load: ${problems.map((d) => d.message).join('; ')}`);
  }
}
