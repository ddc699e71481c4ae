/**
 * What the readers make of each document before cross-object checks: typed values that still
 * carry their `Field`s, so the checks in resolve/ can point at the exact YAML node. Defaults
 * that depend on other objects (node addresses, podCIDRs, ClusterIPs, the node of an
 * unscheduled pod) are left unset here and filled in by resolve/.
 */
import type { RawIpFamilies } from './read-ip-families.js';
import type { RawExternalHost } from './read-external.js';
import type { Cidr, Ip } from '../addr/index.js';
import type { SourcePos } from '../diag/diagnostic.js';
import type {
  AdminNetworkPolicy, BaselineAdminNetworkPolicy, CalicoBgpConfiguration, CalicoBgpPeer, CalicoFelixConfig, CalicoIPAMConfig, CalicoIPPool, CalicoNodeBgp, UnderlayRouterBgp, Container, EndpointSlice, KubeProxyConfig, Labels, Namespace, NetworkPolicy,
  NetworkPolicyConfig, ServicePort, ServiceType, TrafficPolicy, CniConfig, ClusterDnsConfig, CloudLoadBalancerConfig, PodDns, Taint, Workload,
} from '../cluster/objects.js';
import type { Field } from './reader.js';

/** Name, namespace, labels and position of an object. */
export interface RawMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly terminating: boolean;
  readonly pos: SourcePos;
  /** The object's `metadata.name` field (duplicates point there). */
  readonly nameField: Field;
}

/** A located optional value. */
export interface At<T> {
  readonly value: T;
  readonly field: Field;
}

/** A node from the Cluster's `nodes` list or a `kind: Node` object. */
export interface RawNode {
  readonly meta: RawMeta;
  readonly podCIDR?: At<Cidr>;
  readonly internalIP?: At<Ip>;
  /** `network`: the underlay network of the node (Cluster `spec.nodes` only). */
  readonly network?: At<string>;
  /** Further eth0 addresses (Cluster `spec.nodes[].addresses`, or more Node `status.addresses`). */
  readonly extraAddresses?: readonly Cidr[];
  /** Cluster `spec.nodes[].interfaces` other than eth0. */
  readonly extraInterfaces?: readonly { readonly name: string; readonly addresses: readonly Cidr[] }[];
  readonly taints?: readonly Taint[];
}

/** An underlay network as read. */
export interface RawNetwork {
  readonly name: At<string>;
  readonly cidr: At<Cidr>;
  readonly mtu: number;
  readonly interfaceMtu: number;
  readonly pos: SourcePos;
}

/** An underlay router as read. */
export interface RawRouter {
  readonly name: At<string>;
  readonly networks: readonly At<string>[];
  /** The `networks` field (an empty list is reported there). */
  readonly networksField: Field;
  readonly bgp?: RawRouterBgp;
  readonly pos: SourcePos;
}

/** A router's `bgp` as read, with the fields later checks point at. */
export interface RawRouterBgp {
  readonly value: UnderlayRouterBgp;
  readonly field: Field;
  readonly routerIDField: Field;
  /** Each `peers[]` entry's `peerIP` field, in order. */
  readonly peerIPFields: readonly Field[];
}

/** `Cluster.spec.underlay` as read. */
export interface RawUnderlay {
  readonly field: Field;
  readonly networks: readonly RawNetwork[];
  readonly routers: readonly RawRouter[];
}

/** The Cluster object. */
export interface RawCluster {
  readonly name: string;
  readonly field: Field;
  readonly pos: SourcePos;
  readonly clusterCIDR: At<Cidr>;
  readonly serviceCIDR: At<Cidr>;
  readonly nodeNetwork: At<Cidr>;
  readonly underlay?: RawUnderlay;
  readonly nodeCIDRMaskSize: At<number>;
  /** The second family's networks of a dual-stack cluster (read-dual-stack.ts). */
  readonly secondary?: { readonly clusterCIDR: At<Cidr>; readonly serviceCIDR: At<Cidr>; readonly nodeNetwork: At<Cidr>; readonly nodeCIDRMaskSize: At<number> };
  readonly cni: CniConfig;
  /** `clusterCIDR` absent means "the cluster's"; `null` means set to `""`. */
  readonly kubeProxy: Omit<KubeProxyConfig, 'clusterCIDR'> & { readonly clusterCIDR?: Cidr | null };
  readonly networkPolicy: NetworkPolicyConfig;
  readonly dns: ClusterDnsConfig;
  readonly serviceNodePortRange?: { readonly first: number; readonly last: number };
  readonly loadBalancer?: CloudLoadBalancerConfig;
  readonly externalHosts: readonly RawExternalHost[];
}

/** A Pod. */
export interface RawPod {
  readonly meta: RawMeta;
  readonly nodeName?: At<string>;
  readonly hostNetwork: boolean;
  readonly podIP?: At<Ip>;
  readonly ready: boolean;
  readonly containers: readonly Container[];
  readonly dns?: PodDns;
}

/** A Deployment, ReplicaSet, StatefulSet or DaemonSet, checked on its own. */
export interface RawWorkload {
  readonly meta: RawMeta;
  readonly workload: Workload;
  /** `spec.template.spec.nodeName` (a missing node is reported there). */
  readonly templateNodeName: Field;
}

/** A Service port with its field. */
export interface RawServicePort extends ServicePort {
  readonly field: Field;
  readonly nodePortField?: Field;
}

/** A Service. */
export interface RawService {
  readonly meta: RawMeta;
  readonly type: ServiceType;
  readonly selector?: At<Labels>;
  readonly clusterIP?: At<Ip | 'None'>;
  readonly ports: readonly RawServicePort[];
  readonly externalName?: string;
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly sessionAffinity: 'None' | 'ClientIP';
  readonly sessionAffinityTimeoutSeconds: number;
  readonly externalIPs: readonly Ip[];
  readonly loadBalancerSourceRanges: readonly Cidr[];
  readonly loadBalancerIngress: readonly Ip[];
  /** The ingress IPs with `ipMode: Proxy`. */
  readonly loadBalancerProxyIPs?: readonly Ip[];
  readonly healthCheckNodePort?: number;
  readonly publishNotReadyAddresses: boolean;
  /** `ipFamilies`, `ipFamilyPolicy` and `clusterIPs[1]` (read-ip-families.ts). */
  readonly ipFamily?: RawIpFamilies;
  readonly allocateLoadBalancerNodePorts?: boolean;
  readonly loadBalancerClass?: string;
  readonly trafficDistribution?: string;
}

/** An EndpointSlice from the scenario, with the field of its service-name label. */
export interface RawSlice {
  readonly meta: RawMeta;
  readonly slice: EndpointSlice;
  readonly serviceField: Field;
}

/** A NetworkPolicy, defaults applied, with the field its warnings point at. */
export interface RawNetworkPolicy {
  readonly meta: RawMeta;
  readonly policy: NetworkPolicy;
  /** The object's `kind` field (SCN_NETPOL_NOT_ENFORCED points there). */
  readonly kindField: Field;
}

/** An AdminNetworkPolicy, with the fields its warnings point at. */
export interface RawAdminNetworkPolicy {
  readonly meta: RawMeta;
  readonly policy: AdminNetworkPolicy;
  readonly kindField: Field;
  /** `spec.priority` (SCN_ANP_SAME_PRIORITY points there). */
  readonly priorityField: Field;
}

/** The BaselineAdminNetworkPolicy. */
export interface RawBaselineAdminNetworkPolicy {
  readonly meta: RawMeta;
  readonly policy: BaselineAdminNetworkPolicy;
  readonly kindField: Field;
}

/** A Namespace. */
export interface RawNamespace {
  readonly meta: RawMeta;
  readonly value: Namespace;
}

/** A Calico IPPool as read, defaults filled in and checked on its own (see read-calico.ts). */
export interface RawIPPool {
  readonly pool: CalicoIPPool;
  /** The object's `metadata.name` field (duplicates point there). */
  readonly nameField: Field;
  /** `spec.cidr` (overlaps and out-of-cluster pools point there). */
  readonly cidrField: Field;
}

/** A Calico singleton (IPAMConfig, FelixConfiguration `default`) as read. */
export interface RawCalicoSingleton<T> {
  readonly value: T;
  readonly nameField: Field;
}

/** A BGPPeer as read, with the fields cross-object checks point at. */
export interface RawBgpPeer {
  readonly peer: CalicoBgpPeer;
  readonly nameField: Field;
  readonly nodeField: Field;
  readonly nodeSelectorField: Field;
  readonly peerIPField: Field;
  readonly peerSelectorField: Field;
  readonly asField: Field;
}

/** A Calico Node document as read: its BGP spec and labels. */
export interface RawCalicoNode {
  readonly node: CalicoNodeBgp;
  readonly labels: Readonly<Record<string, string>>;
  readonly nameField: Field;
  readonly ipv4Field: Field;
  readonly ipv6Field: Field;
  readonly rrField: Field;
}

/** The Calico objects read, whatever the Cluster's CNI plugin (resolve/calico.ts decides). */
export interface RawCalico {
  readonly pools: RawIPPool[];
  readonly ipam: RawCalicoSingleton<CalicoIPAMConfig>[];
  readonly felix: RawCalicoSingleton<CalicoFelixConfig>[];
  readonly bgpConfig: RawCalicoSingleton<CalicoBgpConfiguration>[];
  readonly bgpPeers: RawBgpPeer[];
  readonly nodes: RawCalicoNode[];
  /** The `kind` field of every Calico object read or skipped, for SCN_CALICO_NOT_IN_USE. */
  readonly kinds: Field[];
}

/** Everything read from every document, in document order. */
export interface RawScenario {
  readonly clusters: RawCluster[];
  readonly namespaces: RawNamespace[];
  readonly nodes: RawNode[];
  readonly pods: RawPod[];
  readonly workloads: RawWorkload[];
  readonly services: RawService[];
  readonly slices: RawSlice[];
  readonly networkPolicies: RawNetworkPolicy[];
  readonly adminNetworkPolicies: RawAdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicies: RawBaselineAdminNetworkPolicy[];
  readonly calico: RawCalico;
}

/** An empty RawScenario to read into. */
export function emptyRaw(): RawScenario {
  return { clusters: [], namespaces: [], nodes: [], pods: [], workloads: [], services: [], slices: [], networkPolicies: [], adminNetworkPolicies: [], baselineAdminNetworkPolicies: [], calico: { pools: [], ipam: [], felix: [], bgpConfig: [], bgpPeers: [], nodes: [], kinds: [] } };
}
