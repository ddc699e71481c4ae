/**
 * Cluster DNS as data: the kubelet settings (`clusterDNS`, `clusterDomain`), the kube-dns addon
 * (a Service in kube-system and CoreDNS pods, as upstream's cluster/addons/dns manifests have
 * them), and a pod's `dnsPolicy`/`dnsConfig`/`hostname`/`subdomain`.
 *
 * Layer `cluster`: imports `addr` only.
 */
import type { Ip } from '../addr/index.js';

/** `Cluster.spec.dns`: kubelet's `clusterDNS` and `clusterDomain`, and whether the addon is added. */
export interface ClusterDnsConfig {
  /** Add the kube-dns Service and its CoreDNS pods unless the scenario declares kube-system/kube-dns. */
  readonly enabled: boolean;
  /** kubelet `--cluster-dns`: the kube-dns ClusterIP (kubeadm: the serviceCIDR's tenth address). */
  readonly clusterDNS: Ip;
  /** kubelet `--cluster-domain`. */
  readonly clusterDomain: string;
  /** CoreDNS replicas (the Deployment's 2). */
  readonly replicas: number;
  /** The node's `/etc/resolv.conf` nameservers, as kubelet `--resolv-conf` reads them (dnsPolicy Default). */
  readonly upstream: readonly Ip[];
}

/** `spec.dnsPolicy`. */
export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

/** `spec.dnsPolicy` values, in the API's order. */
export const DNS_POLICIES: readonly DnsPolicy[] = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];

/** One `dnsConfig.options[]` entry: `ndots:2` is `{name: ndots, value: "2"}`. */
export interface DnsOption {
  readonly name: string;
  readonly value?: string;
}

/** `spec.dnsConfig`. */
export interface PodDnsConfig {
  readonly nameservers: readonly Ip[];
  readonly searches: readonly string[];
  readonly options: readonly DnsOption[];
}

/** A pod's DNS settings (`spec.dnsPolicy`, `spec.dnsConfig`, `spec.hostname`, `spec.subdomain`). */
export interface PodDns {
  readonly policy: DnsPolicy;
  readonly config?: PodDnsConfig;
  readonly hostname?: string;
  readonly subdomain?: string;
}

/** The kube-dns Service's name and namespace, as upstream's addon names it. */
export const KUBE_DNS = { name: 'kube-dns', namespace: 'kube-system', label: { 'k8s-app': 'kube-dns' } } as const;
