/** The JSON Schema definitions of `Cluster.spec.dns` and a pod's `dnsConfig` (see schema.ts). */
import { DNS_POLICIES } from '../cluster/objects.js';
import * as F from './fields.js';
import { DNS_LIMITS } from './read-dns.js';
import { type Schema, bool, enm, int, ipText, list, object, ref, str } from './schema-kit.js';
import { textFieldSchema } from './validate/index.js';

/** PodSpec's DNS properties. */
export function podDnsProps(): Record<'dnsPolicy' | 'dnsConfig' | 'hostname' | 'subdomain', Schema> {
  return {
    dnsPolicy: enm(DNS_POLICIES, 'How kubelet writes the pod\'s /etc/resolv.conf (netsim show POD resolv)', 'ClusterFirst'),
    dnsConfig: ref('PodDnsConfig', 'Nameservers, search domains and options added to what dnsPolicy gives'),
    hostname: str('The pod\'s hostname; with subdomain, an A record HOSTNAME.SUBDOMAIN.NS.svc.DOMAIN', textFieldSchema('Pod spec.hostname')),
    subdomain: str('A headless Service of the pod\'s namespace that names it', textFieldSchema('Pod spec.subdomain')),
  };
}

/** ClusterDns, PodDnsConfig, PodDnsConfigOption. */
export function dnsDefs(): Record<string, Schema> {
  return {
    ClusterDns: object(F.CLUSTER_DNS, {
      enabled: bool('Add the kube-dns Service and CoreDNS pods in kube-system (unless the scenario declares kube-system/kube-dns)', true),
      clusterDNS: ipText('kubelet --cluster-dns: the kube-dns ClusterIP (default: the serviceCIDR\'s tenth address, 10.96.0.10)'),
      clusterDomain: str('kubelet --cluster-domain', { default: 'cluster.local', ...textFieldSchema('Cluster spec.dns.clusterDomain') }),
      replicas: int('CoreDNS pods', 1, 10),
      nodeNameservers: list(ipText('A nameserver'), 'The nodes\' /etc/resolv.conf nameservers (dnsPolicy Default, CoreDNS\'s forward); default: the node network\'s gateway'),
    }, 'Cluster DNS'),
    PodDnsConfig: object(F.POD_DNS_CONFIG, {
      nameservers: { ...list(ipText('A nameserver'), 'Nameservers added after the policy\'s'), maxItems: DNS_LIMITS.nameservers },
      searches: { ...list(str('A search domain'), 'Search domains added after the policy\'s'), maxItems: DNS_LIMITS.searchPaths },
      options: list(ref('PodDnsConfigOption'), 'resolv.conf options; a name given here replaces the policy\'s'),
    }, 'Pod DNS settings added to dnsPolicy\'s'),
    PodDnsConfigOption: object(F.POD_DNS_OPTION, { name: str('Option name (ndots, timeout, …)'), value: str('Option value') }, 'A resolver option', ['name']),
  };
}
