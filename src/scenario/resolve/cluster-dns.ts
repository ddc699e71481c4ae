/**
 * The kube-dns addon, added like the `kubernetes` Service: a ClusterIP Service
 * `kube-system/kube-dns` at kubelet's clusterDNS address and CoreDNS pods behind it, with the
 * names, labels and ports of upstream's manifests (cluster/addons/dns/coredns, kubeadm's
 * CoreDNS Deployment): `k8s-app: kube-dns`, ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP.
 * The pods go after the scenario's own, so those keep the addresses they had without DNS;
 * replicas spread over the nodes in order, as the Deployment's pod anti-affinity prefers.
 * A scenario that declares kube-system/kube-dns gets nothing added; `dns: {enabled: false}` neither.
 */
import type { Ip } from '../../addr/index.js';
import { type ClusterConfig, type Container, KUBE_DNS, type Node, type Pod, type Service } from '../../cluster/objects.js';
import { CLUSTER_IP_DEFAULTS } from './service-defaults.js';

/** What the addon would add to a cluster whose Services are `declared`; undefined when it adds nothing. */
export function dnsAddonIp(cluster: ClusterConfig, declared: readonly { readonly meta: { readonly name: string; readonly namespace: string } }[]): Ip | undefined {
  if (cluster.dns?.enabled !== true) return undefined;
  const declaresDns = declared.some((s) => s.meta.name === KUBE_DNS.name && s.meta.namespace === KUBE_DNS.namespace);
  return declaresDns ? undefined : cluster.dns.clusterDNS;
}

const COREDNS_CONTAINER: Container = {
  name: 'coredns',
  ports: [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
  ],
};

/** The CoreDNS pods: `coredns-1`, `coredns-2`, … on the nodes in turn. */
export function corednsPods(cluster: ClusterConfig, nodes: readonly Node[]): Pod[] {
  const replicas = cluster.dns?.replicas ?? 0;
  if (nodes.length === 0) return [];
  return Array.from({ length: replicas }, (_, i): Pod => ({
    name: `coredns-${i + 1}`,
    namespace: KUBE_DNS.namespace,
    labels: { ...KUBE_DNS.label },
    nodeName: nodes[i % nodes.length]?.name ?? '',
    scheduledBy: 'scheduler',
    hostNetwork: false,
    podIPs: [],
    ready: true,
    terminating: false,
    containers: [COREDNS_CONTAINER],
  }));
}

/** `kube-system/kube-dns`, as upstream's kube-dns Service manifest has it. */
export function kubeDnsService(ip: Ip): Service {
  return {
    name: KUBE_DNS.name,
    namespace: KUBE_DNS.namespace,
    labels: { ...KUBE_DNS.label, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    type: 'ClusterIP',
    selector: { ...KUBE_DNS.label },
    clusterIPs: [ip],
    // Single-stack in its address's family, as kubeadm creates it.
    ipFamilies: [ip.family],
    ipFamilyPolicy: 'SingleStack',
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
    ...CLUSTER_IP_DEFAULTS,
  };
}
