/**
 * Reading DNS settings: `Cluster.spec.dns` (kubelet's `clusterDNS` and `clusterDomain`, the
 * kube-dns addon switch) and a pod's `dnsPolicy`, `dnsConfig`, `hostname` and `subdomain`, held
 * to the API server's validatePodDNSConfig limits (3 nameservers, 32 search domains, 2048
 * characters of search list; None needs a dnsConfig with a nameserver).
 */
import { type Cidr, type Ip, cidrContains, formatCidr, formatIp, ipAdd, ipFromValue, networkOf } from '../addr/index.js';
import { usableRange } from '../cluster/allocate/index.js';
import { type ClusterDnsConfig, DNS_POLICIES, type DnsOption, type PodDns, type PodDnsConfig } from '../cluster/objects.js';
import { CLUSTER_DNS, POD_DNS_CONFIG, POD_DNS_OPTION } from './fields.js';
import { optIp } from './read-addr.js';
import { type Field, absent, child, fail, fieldName, optBool, optEnum, optInt, optList, optMap, optString } from './reader.js';
import { checkText, optText } from './validate/index.js';

/** Kubernetes' limits on a pod's resolver (pkg/apis/core/validation: MaxDNSNameservers, …). */
export const DNS_LIMITS = { nameservers: 3, searchPaths: 32, searchListChars: 2048 } as const;

/** Where the cluster's networks are, for the DNS defaults. */
export interface DnsDefaultsFrom {
  readonly serviceCIDR: Cidr;
  /** The node network (or the first underlay network): its gateway is the nodes' nameserver. */
  readonly nodeNetwork: Cidr;
}

/**
 * The tenth address of the Service network: kubeadm's default clusterDNS (10.96.0.10); in a
 * network too small for it (a /29), its last usable address.
 */
export function defaultClusterDns(serviceCIDR: Cidr): Ip {
  const tenth = ipAdd(networkOf(serviceCIDR), 10n);
  const last = usableRange(serviceCIDR).last;
  return tenth.value <= last ? tenth : ipFromValue(serviceCIDR.addr.family, last);
}

/** `Cluster.spec.dns`, defaults filled in; a clusterDNS outside serviceCIDR is SCN_ADDRESS_OUT_OF_RANGE. */
export function readClusterDns(f: Field, from: DnsDefaultsFrom): ClusterDnsConfig {
  optMap(f, CLUSTER_DNS);
  const ipField = child(f, 'clusterDNS');
  const given = optIp(ipField);
  if (given !== undefined && !cidrContains(from.serviceCIDR, given)) {
    fail(ipField, 'SCN_ADDRESS_OUT_OF_RANGE', `${fieldName(ipField)} ${formatIp(given)} is not in serviceCIDR ${formatCidr(from.serviceCIDR)}: the kube-dns Service's ClusterIP comes from it`);
  }
  const domainField = child(f, 'clusterDomain');
  const clusterDomain = optText(domainField, 'Cluster spec.dns.clusterDomain') ?? 'cluster.local';
  const upstream = optList(child(f, 'nodeNameservers'));
  return {
    enabled: optBool(child(f, 'enabled')) ?? true,
    clusterDNS: given ?? defaultClusterDns(from.serviceCIDR),
    clusterDomain,
    replicas: optInt(child(f, 'replicas'), 1, 10) ?? 2,
    upstream: upstream === undefined ? [ipAdd(networkOf(from.nodeNetwork), 1n)] : upstream.flatMap((u) => optIp(u) ?? []),
  };
}

/** A pod's DNS fields; undefined when it sets none of them (ClusterFirst). */
export function readPodDns(spec: Field): PodDns | undefined {
  const policyField = child(spec, 'dnsPolicy');
  const policy = optEnum(policyField, DNS_POLICIES) ?? 'ClusterFirst';
  const hostname = optText(child(spec, 'hostname'), 'Pod spec.hostname');
  const subdomain = optText(child(spec, 'subdomain'), 'Pod spec.subdomain');
  const configField = child(spec, 'dnsConfig');
  const config = readDnsConfig(configField);
  if (policy === 'None' && config === undefined) fail(policyField, 'SCN_DNS_CONFIG', 'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None');
  if (policy === 'None' && config !== undefined && config.nameservers.length === 0) {
    fail(configField, 'SCN_DNS_CONFIG', 'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None');
  }
  if (absent(policyField) && config === undefined && hostname === undefined && subdomain === undefined) return undefined;
  return {
    policy,
    ...(config === undefined ? {} : { config }),
    ...(hostname === undefined ? {} : { hostname }),
    ...(subdomain === undefined ? {} : { subdomain }),
  };
}

function readDnsConfig(f: Field): PodDnsConfig | undefined {
  if (optMap(f, POD_DNS_CONFIG) === undefined) return undefined;
  const nsField = child(f, 'nameservers');
  const nameservers = (optList(nsField) ?? []).flatMap((n) => optIp(n) ?? []);
  if (nameservers.length > DNS_LIMITS.nameservers) {
    fail(nsField, 'SCN_DNS_CONFIG', `${fieldName(nsField)}: Invalid value: ${JSON.stringify(nameservers.map(formatIp))}: must not have more than ${DNS_LIMITS.nameservers} nameservers`);
  }
  const searchField = child(f, 'searches');
  const searches = (optList(searchField) ?? []).flatMap((s) => {
    const text = optString(s);
    return text !== undefined && checkText(s, 'Pod spec.dnsConfig.searches[]', text) ? [text] : [];
  });
  if (searches.length > DNS_LIMITS.searchPaths) {
    fail(searchField, 'SCN_DNS_CONFIG', `${fieldName(searchField)}: Invalid value: ${searches.length} domains: must not have more than ${DNS_LIMITS.searchPaths} search paths`);
  }
  const chars = searches.join(' ').length;
  if (chars > DNS_LIMITS.searchListChars) {
    fail(searchField, 'SCN_DNS_CONFIG', `${fieldName(searchField)}: Invalid value: ${chars} characters: must not have more than ${DNS_LIMITS.searchListChars} characters (including spaces) in the search list`);
  }
  return { nameservers, searches, options: (optList(child(f, 'options')) ?? []).flatMap((o) => readOption(o) ?? []) };
}

function readOption(f: Field): DnsOption | undefined {
  if (optMap(f, POD_DNS_OPTION) === undefined) return undefined;
  const name = optString(child(f, 'name'));
  if (name === undefined || name === '') {
    fail(child(f, 'name'), 'SCN_DNS_CONFIG', `${fieldName(child(f, 'name'))}: Required value: an option needs a name`);
    return undefined;
  }
  const value = optString(child(f, 'value'));
  return value === undefined ? { name } : { name, value };
}
