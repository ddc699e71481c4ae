/**
 * The Kubernetes objects netsim models, as validated plain data: what the scenario loader
 * produces and the cluster builder consumes.
 *
 * Fields keep Kubernetes' names (`podCIDRs`, `clusterIPs`, `targetPort`, …) so a reader who
 * knows `kubectl get -o yaml` recognises them. Where Kubernetes has a plural dual-stack field,
 * so do we: today every list holds one family, and dual-stack will fill the second slot
 * without changing these types. Every object read from a file keeps `pos`, the position of
 * its YAML mapping, for diagnostics found later (by the builder or the tracer); objects netsim
 * creates implicitly (the `kubernetes` Service, the `default` Namespace) have none.
 *
 * Layer `cluster`: imports `addr` and `diag` only. Values are readonly and
 * structured-cloneable (no classes, no functions).
 */
import type { Cidr, Family, Ip } from '../addr/index.js';
import type { SourcePos } from '../diag/diagnostic.js';
import type { CalicoCniConfig } from './calico-objects.js';
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy } from './admin-netpol-objects.js';
import type { NetworkPolicy, NetworkPolicyConfig } from './netpol-objects.js';
export { EVERYTHING, defaultPolicyTypes } from './netpol-objects.js';
export { ADMIN_LIMITS } from './admin-netpol-objects.js';
export type { Underlay, UnderlayNetwork, UnderlayRouter, UnderlayRouterBgp, UnderlayRouterBgpPeer } from './underlay-objects.js';
import type { Underlay } from './underlay-objects.js';
export type { CloudLoadBalancerConfig, ExternalHost } from './external-objects.js';
import type { CloudLoadBalancerConfig, ExternalHost } from './external-objects.js';
export type { SecondaryFamily } from './secondary-family.js';
import type { SecondaryFamily } from './secondary-family.js';
export type { ClusterDnsConfig, DnsOption, DnsPolicy, PodDns, PodDnsConfig } from './dns-objects.js';
export { DNS_POLICIES, KUBE_DNS } from './dns-objects.js';
import type { ClusterDnsConfig, PodDns } from './dns-objects.js';
import type { PodOwner, ReplicaSet, Taint, Workload } from './workload-objects.js';
export type { PodOwner, PodTemplate, ReplicaSet, Taint, TaintEffect, Toleration, Workload, WorkloadKind } from './workload-objects.js';
export type { AddressType, Endpoint, EndpointConditions, EndpointPort, EndpointSlice, SliceOrigin } from './endpointslice-objects.js';
export { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, addressTypeOf } from './endpointslice-objects.js';
import type { EndpointSlice } from './endpointslice-objects.js';
export type {
  AdminAction, AdminNetworkPolicy, AdminPeer, AdminPort, AdminRule, AdminSelection, BaselineAdminNetworkPolicy, NamespacedPod,
} from './admin-netpol-objects.js';

/** Labels and selectors: string keys to string values, as in `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>;

/** L4 protocol of a Service or container port. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Name, namespace and labels of a namespaced object, with where it was written. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Where the object's mapping starts; absent for objects netsim creates implicitly. */
  readonly pos?: SourcePos;
}

/** CNI `bridge` plugin options (the keys of its conflist entry). */
export interface BridgeCniConfig {
  readonly type: 'bridge';
  /** Name of the Linux bridge on each node (`cni0`). */
  readonly bridge: string;
  /** Give the bridge the subnet's gateway address (`.1`). */
  readonly isGateway: boolean;
  /** Make that gateway the pods' default route. */
  readonly isDefaultGateway: boolean;
  /** Masquerade traffic leaving the pod subnet for anywhere outside the cluster CIDR. */
  readonly ipMasq: boolean;
  /** Set hairpin mode on the bridge ports, so a pod can reach itself through a Service. */
  readonly hairpinMode: boolean;
  /** MTU of the bridge and veths. */
  readonly mtu: number;
}

/** flannel's backends netsim models (net-conf.json `Backend.Type`). */
export type FlannelBackend = 'vxlan' | 'host-gw';

/**
 * flannel: flanneld on every node (`net-conf.json` and its flags) plus the `flannel` CNI plugin,
 * which delegates to `bridge` with host-local IPAM, as kube-flannel.yml deploys it.
 */
export interface FlannelCniConfig {
  readonly type: 'flannel';
  /** `Backend.Type`. */
  readonly backend: FlannelBackend;
  /** `Backend.DirectRouting` (vxlan): a plain route via the node IP to peers on the same L2 network. */
  readonly directRouting: boolean;
  /** flanneld `--ip-masq`: its FLANNEL-POSTRTG chain masquerades traffic leaving the cluster CIDR. */
  readonly ipMasq: boolean;
  /** FLANNEL_MTU; `auto` is flanneld's: the external interface's MTU minus the backend's overhead. */
  readonly mtu: number | 'auto';
  /**
   * net-conf.json `EnableIPv6` with its `IPv6Network` (the cluster's IPv6 clusterCIDR unless given):
   * an IPv6 lease beside the IPv4 one, `flannel-v6.1` or host-gw's IPv6 routes, ip6tables rules.
   * Absent: IPv4 only, flannel's default.
   */
  readonly ipv6Network?: Cidr;
}

export type {
  CalicoBackend, CalicoBgpConfiguration, CalicoBgpObjects, CalicoBgpPeer, CalicoCniConfig, CalicoEncapMode, CalicoFelixConfig, CalicoIPAMConfig,
  CalicoIPPool, CalicoNextHopMode, CalicoNodeBgp,
} from './calico-objects.js';
export type {
  IPBlock, LabelSelector, NetworkPolicy, NetworkPolicyConfig, NetworkPolicyEgressRule, NetworkPolicyEnforcer, NetworkPolicyIngressRule,
  NetworkPolicyPeer, NetworkPolicyPort, PolicyType, SelectorOperator, SelectorRequirement,
} from './netpol-objects.js';

/** The CNI plugin and its options. A union: each plugin type adds a member. */
export type CniConfig = BridgeCniConfig | FlannelCniConfig | CalicoCniConfig;

/** How kube-proxy tells traffic from local pods apart (`--detect-local-mode`). */
export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix';

/** kube-proxy's configuration (the subset of `KubeProxyConfiguration` that shapes rules). */
export interface KubeProxyConfig {
  /** `--proxy-mode`: iptables (KUBE-* chains) or nftables (the `kube-proxy` nft table only). */
  readonly mode: 'iptables' | 'nftables';
  /** `--masquerade-all`: SNAT every packet that goes through a Service. */
  readonly masqueradeAll: boolean;
  /** `--iptables-masquerade-bit`: the fwmark bit KUBE-MARK-MASQ sets (0–31). */
  readonly masqueradeBit: number;
  readonly detectLocalMode: DetectLocalMode;
  /** `--cluster-cidr`; absent when set to `""` (then ClusterCIDR mode detects nothing). */
  readonly clusterCIDR?: Cidr;
  /** `detectLocal.bridgeInterface`, for BridgeInterface mode. */
  readonly bridgeInterface?: string;
  /** `detectLocal.interfaceNamePrefix`, for InterfaceNamePrefix mode. */
  readonly interfaceNamePrefix?: string;
  /** `--nodeport-addresses`; empty means every local address. */
  readonly nodePortAddresses: readonly Cidr[];
  /** `--iptables-localhost-nodeports`: NodePorts answer on 127.0.0.1 (route_localnet). */
  readonly localhostNodePorts: boolean;
  /**
   * kube-proxy's probe of `iptables --random-fully` (`iptables.randomFully`): true (the default,
   * every kernel and iptables netsim models has it) adds `--random-fully` to MASQUERADE.
   */
  readonly randomFully?: boolean;
  /**
   * kube-proxy could create its nfacct counters (`iptables.nfacct`; the kernel has
   * nfnetlink_acct): `-m nfacct` on the INVALID drop and a counting rule per localhost NodePort.
   * Default false.
   */
  readonly nfacct?: boolean;
  /** `nodePortAddresses: [primary]`: NodePorts answer on the node's primary addresses only. */
  readonly nodePortPrimary?: boolean;
}

/** The `kind: Cluster` object: networks and the plugins that wire them. */
export interface ClusterConfig {
  readonly name: string;
  /** The pod network (`--cluster-cidr`); node podCIDRs are cut from it. */
  readonly clusterCIDR: Cidr;
  /** The Service network (`--service-cluster-ip-range`). */
  readonly serviceCIDR: Cidr;
  /** Prefix length of each node's podCIDR (`--node-cidr-mask-size`). */
  readonly nodeCIDRMaskSize: number;
  /** The L2 segment the nodes' `eth0` share (when there is no underlay). */
  readonly nodeNetwork: Cidr;
  /** Several L2 networks joined by routers; absent: every node on `nodeNetwork`. */
  readonly underlay?: Underlay;
  /**
   * The second family of a dual-stack cluster: the second prefix of each comma-separated pair
   * (`clusterCIDR: 10.244.0.0/16,fd00:10:244::/56`). Absent on a single-stack cluster.
   */
  readonly secondary?: SecondaryFamily;
  readonly cni: CniConfig;
  readonly kubeProxy: KubeProxyConfig;
  /** The API server's `--service-node-port-range`; absent: 30000-32767. */
  readonly serviceNodePortRange?: { readonly first: number; readonly last: number };
  /**
   * Who enforces NetworkPolicy (`spec.networkPolicy`). `canal` also changes the pods' plumbing
   * (the calico plugin and Felix beside flannel: assemble/canal.ts); the datapath does not apply
   * policies yet.
   */
  readonly networkPolicy: NetworkPolicyConfig;
  /** Cluster DNS (`spec.dns`); absent in clusters built without the loader: no addon, kubelet's defaults. */
  readonly dns?: ClusterDnsConfig;
  /** `spec.loadBalancer`: how the cloud's load balancer delivers a LoadBalancer IP; absent: `vip`. */
  readonly loadBalancer?: CloudLoadBalancerConfig;
  /** `spec.externalHosts`: named hosts outside the cluster, behind the network's exit. */
  readonly externalHosts?: readonly ExternalHost[];
  readonly pos?: SourcePos;
}

/** `spec.ipFamilyPolicy` of a Service. */
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** A Namespace; its labels matter to NetworkPolicy namespace selectors. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  readonly pos?: SourcePos;
}

/** A Node: its address on the node network and the pod subnet it hands out. */
export interface Node {
  readonly name: string;
  readonly labels: Labels;
  /** InternalIP addresses (given in `status.addresses` or allocated), one per family. */
  readonly internalIPs: readonly Ip[];
  /** `spec.podCIDRs` (given or allocated), one per family. */
  readonly podCIDRs: readonly Cidr[];
  /** The underlay network of its `eth0`; absent without an underlay. */
  readonly network?: string;
  /**
   * Further addresses of `eth0` (`ip addr add`): the Cluster node entry's `addresses`, and the
   * InternalIP/ExternalIP entries of `status.addresses` after the first InternalIP. kube-proxy's
   * `nodePortAddresses` and the kernel's LOCAL address type see them; pods and routes use
   * `internalIPs` only.
   */
  readonly extraAddresses?: readonly Cidr[];
  /**
   * Further interfaces (`interfaces[]` other than eth0): dummy devices holding addresses on
   * networks netsim does not model, as a second NIC's would be from inside the node.
   */
  readonly extraInterfaces?: readonly { readonly name: string; readonly addresses: readonly Cidr[] }[];
  /** `spec.taints`: pods that do not tolerate a NoSchedule or NoExecute one are not placed here. Absent: none. */
  readonly taints?: readonly Taint[];
  readonly pos?: SourcePos;
}

/** A port a container declares (`containers[].ports[]`). */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** A container: only its name and ports matter to the network. */
export interface Container {
  readonly name: string;
  readonly ports: readonly ContainerPort[];
  /** `image`, when given (only `kubectl get deployments -o wide` shows it). */
  readonly image?: string;
}

/** A Pod, scheduled on a node. */
export interface Pod extends ObjectMeta {
  readonly nodeName: string;
  /**
   * `spec` when the file named the node, `scheduler` when netsim's scheduler chose it,
   * `controller` when a workload controller made the pod and netsim placed it (controllers/placement.ts).
   */
  readonly scheduledBy: 'spec' | 'scheduler' | 'controller';
  /** The pod shares its node's network namespace and addresses. */
  readonly hostNetwork: boolean;
  /** `status.podIPs` as given; empty when the CNI plugin allocates at build time. */
  readonly podIPs: readonly Ip[];
  /** The Ready condition (`status.conditions`); true when absent. */
  readonly ready: boolean;
  /** `metadata.deletionTimestamp` is set: the pod is shutting down. */
  readonly terminating: boolean;
  readonly containers: readonly Container[];
  /** `dnsPolicy`, `dnsConfig`, `hostname`, `subdomain` (a StatefulSet's pods: `<name>-N` and its serviceName); absent: ClusterFirst, nothing else. */
  readonly dns?: PodDns;
  /** The controller that made the pod (its ownerReference); absent for a Pod written as one. */
  readonly owner?: PodOwner;
}

/** Service types, as in `spec.type`. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** `Cluster` spreads over every endpoint; `Local` keeps to endpoints on the receiving node. */
export type TrafficPolicy = 'Cluster' | 'Local';

/** One port of a Service. `targetPort` is a number or a container port name. */
export interface ServicePort {
  /** Empty only when the Service has a single port (as Kubernetes allows). */
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly targetPort: number | string;
  /** Given or allocated for NodePort and LoadBalancer Services. */
  readonly nodePort?: number;
  readonly pos?: SourcePos;
}

/** A Service. */
export interface Service extends ObjectMeta {
  readonly type: ServiceType;
  /** Absent: no selector, endpoints come from EndpointSlices in the scenario. */
  readonly selector?: Labels;
  /** Given or allocated from the service CIDR; empty for headless and ExternalName. */
  readonly clusterIPs: readonly Ip[];
  /** `clusterIP: None`. */
  readonly headless: boolean;
  readonly ports: readonly ServicePort[];
  readonly externalName?: string;
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds` (Kubernetes default 10800). */
  readonly sessionAffinityTimeoutSeconds: number;
  readonly externalIPs: readonly Ip[];
  readonly loadBalancerSourceRanges: readonly Cidr[];
  /** `status.loadBalancer.ingress[].ip`. */
  readonly loadBalancerIngress: readonly Ip[];
  /**
   * The ingress IPs with `ipMode: Proxy`: the load balancer proxies them (the backend sees the
   * LB's address), so kube-proxy writes no rule for them (newBaseServiceInfo skips an ingress
   * that is not IsVIPMode). Absent: none.
   */
  readonly loadBalancerProxyIPs?: readonly Ip[];
  /** For LoadBalancer Services with `externalTrafficPolicy: Local`. */
  readonly healthCheckNodePort?: number;
  /** Not-ready endpoints are published as ready. */
  readonly publishNotReadyAddresses: boolean;
  /**
   * `spec.ipFamilies` as the API server defaults them (the families of `clusterIPs`, in order;
   * for headless Services the families their slices carry). Absent: the families of `clusterIPs`.
   */
  readonly ipFamilies?: readonly Family[];
  /** `spec.ipFamilyPolicy` as defaulted; absent on ExternalName Services. */
  readonly ipFamilyPolicy?: IpFamilyPolicy;
  /** `spec.allocateLoadBalancerNodePorts`; false: a LoadBalancer gets no nodePort unless it names one. */
  readonly allocateLoadBalancerNodePorts?: boolean;
  /** `spec.loadBalancerClass`: which load-balancer implementation fills the status (kube-proxy does not read it). */
  readonly loadBalancerClass?: string;
  /** `spec.trafficDistribution` (PreferClose, PreferSameZone, PreferSameNode): shapes the hints the EndpointSlice controller writes. */
  readonly trafficDistribution?: string;
}

/** What a validated scenario describes, in document order within each kind. */
export interface ClusterSpec {
  readonly cluster: ClusterConfig;
  /** Declared namespaces, then the ones netsim creates (`default`, and any a pod names). */
  readonly namespaces: readonly Namespace[];
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  /** Declared Services, then the implicit `kubernetes` Service unless declared. */
  readonly services: readonly Service[];
  /** Slices written in the scenario (and the implicit one of `kubernetes`). */
  readonly endpointSlices: readonly EndpointSlice[];
  /** `networking.k8s.io/v1` NetworkPolicies, in document order. */
  readonly networkPolicies: readonly NetworkPolicy[];
  /** `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicies, in document order. */
  readonly adminNetworkPolicies: readonly AdminNetworkPolicy[];
  /** The BaselineAdminNetworkPolicy `default`, when the scenario has one. */
  readonly baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
  /** `apps/v1` Deployments, ReplicaSets, StatefulSets and DaemonSets as written (their pods are in `pods`). Absent: none. */
  readonly workloads?: readonly Workload[];
  /** Every ReplicaSet: those written and those the Deployments' controller made. Absent: none. */
  readonly replicaSets?: readonly ReplicaSet[];
}

/** `namespace/name`, the key Kubernetes uses for namespaced objects. */
export function objectKey(o: { readonly namespace: string; readonly name: string }): string {
  return `${o.namespace}/${o.name}`;
}
