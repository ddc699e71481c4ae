/**
 * kube-proxy's own view of the world: the inputs of the proxy model. These are not Kubernetes
 * objects; the cluster layer maps Services and EndpointSlices onto them (one `ServicePortInput`
 * per Service port, one `EndpointInput` per EndpointSlice endpoint address of that port).
 * IPs and CIDRs are plain text, parsed leniently and re-emitted canonically, as kube-proxy does.
 */
import type { Family } from '../addr/index.js';

/** Service port protocol, as written in the Service spec (upper case). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** `spec.type`; ExternalName services never reach the proxy. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** `spec.internalTrafficPolicy` / `spec.externalTrafficPolicy`. */
export type TrafficPolicy = 'Cluster' | 'Local';

/** `--detect-local-mode`: how kube-proxy tells pod traffic from other traffic. */
export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix' | 'None';

/** The local-traffic detector and its argument (a CIDR, a bridge name or an interface prefix). */
export interface DetectLocal {
  readonly mode: DetectLocalMode;
  readonly value?: string;
}

/** Topology settings that CategorizeEndpoints reads (reference note §1.1, point 4). */
export interface TopologyConfig {
  /** The node's `topology.kubernetes.io/zone` label. */
  readonly zone?: string;
  /** The PreferSameTrafficDistribution feature gate. Default false. */
  readonly preferSameNode?: boolean;
}

/** A proxier's configuration (one proxier per IP family; iptables and nftables modes). */
export interface ProxierConfig {
  /** `--hostname-override` / node name: endpoints with this nodeName are local. */
  readonly nodeName: string;
  /** The node's addresses; the first one of `family` is the primary node IP. */
  readonly nodeIPs: readonly string[];
  readonly family: Family;
  /** `--cluster-cidr`; shorthand for `detectLocal: { mode: 'ClusterCIDR', value }`. */
  readonly clusterCIDR?: string;
  /** Takes precedence over `clusterCIDR`. Neither set means no detector (NoOp). */
  readonly detectLocal?: DetectLocal;
  /** `--masquerade-all`. Default false. */
  readonly masqueradeAll?: boolean;
  /** `--iptables-masquerade-bit`. Default 14 (mark 0x4000). */
  readonly masqueradeBit?: number;
  /** `--iptables-localhost-nodeports`. Default true; only meaningful for IPv4. */
  readonly localhostNodePorts?: boolean;
  /** The node's iptables supports `MASQUERADE --random-fully`. Default true. */
  readonly randomFully?: boolean;
  /** `--nodeport-addresses` CIDRs; empty or unset means match-all. */
  readonly nodePortAddresses?: readonly string[];
  /** The nfacct counters could be created (adds `-m nfacct` rules). Default false. */
  readonly nfacct?: boolean;
  /** sysctl `nf_conntrack_tcp_be_liberal=1` (drops the INVALID rule). Default false. */
  readonly conntrackTCPLiberal?: boolean;
  readonly topology?: TopologyConfig;
  /**
   * The Service CIDRs (ServiceCIDR objects / `--service-cluster-ip-range`); only nftables mode
   * uses them, to drop traffic to unallocated ClusterIPs. Other families' CIDRs are ignored.
   */
  readonly serviceCIDRs?: readonly string[];
}

/** One Service port, as kube-proxy's ServicePort sees it. */
export interface ServicePortInput {
  readonly namespace: string;
  readonly name: string;
  /** The port's name; empty for a single unnamed port. */
  readonly portName: string;
  readonly protocol: Protocol;
  /** `spec.clusterIP` of this proxier's family; `None` or empty means headless (ignored). */
  readonly clusterIP: string;
  readonly port: number;
  /** 0 or unset: no NodePort rules, whatever `type` says. */
  readonly nodePort?: number;
  readonly externalIPs?: readonly string[];
  /** `status.loadBalancer.ingress[].ip`, without the entries whose ipMode is Proxy. */
  readonly loadBalancerIPs?: readonly string[];
  readonly loadBalancerSourceRanges?: readonly string[];
  /** `spec.sessionAffinity`. Default None. */
  readonly sessionAffinity?: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds`. Default 10800. */
  readonly sessionAffinityTimeoutSeconds?: number;
  readonly internalTrafficPolicy?: TrafficPolicy;
  readonly externalTrafficPolicy?: TrafficPolicy;
  /** Honoured only for LoadBalancer services with externalTrafficPolicy Local. */
  readonly healthCheckNodePort?: number;
  readonly type: ServiceType;
}

/** One endpoint of one service port (from an EndpointSlice). */
export interface EndpointInput {
  readonly ip: string;
  /** The EndpointSlice port number (the DNAT port; targetPort is never used). */
  readonly port: number;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName?: string;
  readonly zoneHints?: readonly string[];
  readonly nodeHints?: readonly string[];
}

/**
 * Endpoints keyed by the service port name string (`ns/name:portName`, or `ns/name` for an
 * unnamed port), the same string `servicePortNameString` returns.
 */
export type EndpointsBySPN =
  | ReadonlyMap<string, readonly EndpointInput[]>
  | Readonly<Record<string, readonly EndpointInput[]>>;
