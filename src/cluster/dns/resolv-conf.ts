/**
 * A pod's `/etc/resolv.conf` as kubelet makes it (pkg/kubelet/network/dns: GetPodDNS): the
 * dnsPolicy picks the base (the cluster's resolver, the node's, or nothing), `dnsConfig` is
 * appended (duplicates dropped, options merged by name, the pod's winning), and the result is
 * cut to the resolver's limits (3 nameservers, 32 search domains). The text is what containerd
 * writes into the sandbox: `search`, then `nameserver` lines, then `options`.
 */
import { type Ip, formatIp, ipEquals } from '../../addr/index.js';
import type { ClusterConfig, DnsOption, Pod } from '../objects.js';

/** The three lines a resolver reads. */
export interface ResolvConf {
  readonly nameservers: readonly Ip[];
  readonly searches: readonly string[];
  readonly options: readonly DnsOption[];
}

/** A pod's resolver and why it is so (kubelet's events, in words). */
export interface PodResolver {
  readonly conf: ResolvConf;
  /** The policy kubelet applied: `cluster` (ClusterFirst*), `host` (Default, or a fallback), `none`. */
  readonly kind: 'cluster' | 'host' | 'none';
  readonly notes: readonly string[];
}

/** glibc's MAXNS and kubelet's search limits (validation.MaxDNSNameservers, MaxDNSSearchPaths). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

/** kubelet GetPodDNS for one pod: the base from dnsPolicy, then dnsConfig, then the limits. */
export function podResolver(pod: Pod, cluster: ClusterConfig): PodResolver {
  const notes: string[] = [];
  const policy = pod.dns?.policy ?? 'ClusterFirst';
  let kind: PodResolver['kind'] = policy === 'None' ? 'none' : policy === 'Default' ? 'host' : 'cluster';
  if (policy === 'ClusterFirst' && pod.hostNetwork) {
    kind = 'host';
    notes.push('dnsPolicy ClusterFirst on a hostNetwork pod uses the node\'s resolver (ClusterFirstWithHostNet would use the cluster\'s)');
  }
  const dns = cluster.dns;
  if (kind === 'cluster' && dns?.enabled !== true) {
    kind = 'host';
    notes.push(`kubelet has no clusterDNS (the cluster's DNS is off): dnsPolicy ${policy} falls back to Default, the node's resolver`);
  }
  const domain = dns?.clusterDomain ?? 'cluster.local';
  const host: ResolvConf = { nameservers: dns?.upstream ?? [], searches: [], options: [] };
  const base: ResolvConf =
    kind === 'none' ? { nameservers: [], searches: [], options: [] }
    : kind === 'host' ? host
    : { nameservers: dns === undefined ? [] : [dns.clusterDNS], searches: [`${pod.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches], options: [{ name: 'ndots', value: '5' }] };
  const extra = pod.dns?.config;
  const merged: ResolvConf = extra === undefined ? base : {
    nameservers: uniqueIps([...base.nameservers, ...extra.nameservers]),
    searches: [...new Set([...base.searches, ...extra.searches])],
    options: mergeOptions(base.options, extra.options),
  };
  return { conf: fitLimits(merged, notes), kind, notes };
}

function uniqueIps(ips: readonly Ip[]): Ip[] {
  return ips.filter((ip, i) => ips.findIndex((o) => ipEquals(o, ip)) === i);
}

/** mergeDNSOptions: the pod's options replace the base's of the same name; order of first appearance. */
function mergeOptions(base: readonly DnsOption[], extra: readonly DnsOption[]): DnsOption[] {
  const byName = new Map<string, DnsOption>();
  for (const o of [...base, ...extra]) byName.set(o.name, o);
  return [...byName.values()];
}

function fitLimits(conf: ResolvConf, notes: string[]): ResolvConf {
  let { nameservers, searches } = conf;
  if (nameservers.length > MAX_NAMESERVERS) {
    notes.push(`Nameserver limits were exceeded, some nameservers have been omitted: the applied list is ${nameservers.slice(0, MAX_NAMESERVERS).map(formatIp).join(' ')}`);
    nameservers = nameservers.slice(0, MAX_NAMESERVERS);
  }
  if (searches.length > MAX_SEARCHES) {
    notes.push(`Search Line limits were exceeded, some search paths have been omitted: the first ${MAX_SEARCHES} are kept`);
    searches = searches.slice(0, MAX_SEARCHES);
  }
  return { ...conf, nameservers, searches };
}

/** The file: `search …`, `nameserver …` lines, `options …`, as containerd writes it. */
export function resolvConfText(conf: ResolvConf): string {
  const lines = [
    ...(conf.searches.length > 0 ? [`search ${conf.searches.join(' ')}`] : []),
    ...conf.nameservers.map((n) => `nameserver ${formatIp(n)}`),
    ...(conf.options.length > 0 ? [`options ${conf.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ')}`] : []),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

/** `options ndots:N` (the last one counts, as glibc reads the file); glibc's default is 1. */
export function ndotsOf(conf: ResolvConf): number {
  const last = [...conf.options].reverse().find((o) => o.name === 'ndots');
  const n = Number(last?.value);
  return last === undefined || !Number.isInteger(n) || n < 0 ? 1 : Math.min(n, 15);
}
