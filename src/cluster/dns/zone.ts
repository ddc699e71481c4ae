/**
 * What CoreDNS's `kubernetes` plugin answers (kubeadm's Corefile: `kubernetes cluster.local
 * in-addr.arpa ip6.arpa { pods insecure }`, then `forward . /etc/resolv.conf`), from the built
 * cluster's Services, EndpointSlices and pods:
 *
 *   SVC.NS.svc.DOMAIN            the ClusterIP; a headless Service's ready endpoint addresses;
 *                                an ExternalName Service's CNAME
 *   HOST.SVC.NS.svc.DOMAIN       a pod with `hostname: HOST` and `subdomain: SVC`, an endpoint of
 *                                the headless Service SVC
 *   A-B-C-D.NS.pod.DOMAIN        the address written in the name (`pods insecure`), in a
 *                                namespace that exists
 *   anything else in DOMAIN      NXDOMAIN;  outside DOMAIN: forwarded to the node's resolver
 */
import { type Ip, formatIp, ipEquals, parseIp } from '../../addr/index.js';
import type { BuiltCluster } from '../assemble/cluster.js';
import { servicesNamed, slicesOfService } from '../lookup.js';
import type { Service } from '../objects.js';

/** One answer. `what` says in Kubernetes terms where the records come from. */
export type ZoneAnswer =
  | { readonly rcode: 'NOERROR'; readonly type: 'A'; readonly addrs: readonly Ip[]; readonly what: string; readonly service?: Service }
  | { readonly rcode: 'NOERROR'; readonly type: 'CNAME'; readonly target: string; readonly what: string; readonly service: Service }
  | { readonly rcode: 'NXDOMAIN'; readonly what: string }
  /** Not in the cluster's zone: CoreDNS forwards it to the upstream resolver, outside the model. */
  | { readonly rcode: 'FORWARD'; readonly what: string };

/** CoreDNS's answer to `name` (absolute, with or without the final dot). */
export function zoneAnswer(built: BuiltCluster, name: string): ZoneAnswer {
  const domain = (built.spec.cluster.dns?.clusterDomain ?? 'cluster.local').toLowerCase();
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  if (!fqdn.endsWith(`.${domain}`)) return { rcode: 'FORWARD', what: `${fqdn} is outside the cluster domain ${domain}: CoreDNS forwards it to the node's resolver (forward . /etc/resolv.conf)` };
  const labels = fqdn.slice(0, -(domain.length + 1)).split('.');
  const zone = labels.at(-1);
  if (zone === 'svc' && (labels.length === 3 || labels.length === 4)) return serviceAnswer(built, labels.slice(0, -1));
  if (zone === 'pod' && labels.length === 3) return podAnswer(built, labels[0] ?? '', labels[1] ?? '');
  return { rcode: 'NXDOMAIN', what: `${fqdn}: no such name in ${domain}` };
}

function serviceAnswer(built: BuiltCluster, labels: readonly string[]): ZoneAnswer {
  const [host, name, ns] = labels.length === 3 ? labels : [undefined, ...labels];
  const s = servicesNamed(built.spec.services, name ?? '').find((x) => x.namespace === ns);
  if (s === undefined) return { rcode: 'NXDOMAIN', what: `no Service ${ns}/${name}` };
  const key = `${s.namespace}/${s.name}`;
  if (host !== undefined) return hostAnswer(built, s, host);
  if (s.type === 'ExternalName') return { rcode: 'NOERROR', type: 'CNAME', target: (s.externalName ?? '').replace(/\.$/, ''), what: `ExternalName Service ${key}`, service: s };
  if (!s.headless) return { rcode: 'NOERROR', type: 'A', addrs: s.clusterIPs, what: `the ClusterIP of Service ${key}`, service: s };
  const addrs = endpointAddrs(built, s);
  if (addrs.length === 0) return { rcode: 'NXDOMAIN', what: `headless Service ${key} has no ready endpoints` };
  return { rcode: 'NOERROR', type: 'A', addrs, what: `every ready endpoint of headless Service ${key}`, service: s };
}

/** HOST.SVC.NS: a pod that set `hostname` and `subdomain: SVC`, behind the headless Service SVC. */
function hostAnswer(built: BuiltCluster, s: Service, host: string): ZoneAnswer {
  const key = `${s.namespace}/${s.name}`;
  if (!s.headless) return { rcode: 'NXDOMAIN', what: `Service ${key} is not headless: only its own name has a record` };
  const addrs = endpointAddrs(built, s);
  // A Pod's own spec.hostname/subdomain, or a StatefulSet pod's (set by its controller).
  const named = (p: BuiltCluster['pods'][number]): boolean => p.pod.dns?.hostname === host && p.pod.dns.subdomain === s.name;
  const pod = built.pods.find((p) => p.pod.namespace === s.namespace && named(p) && p.ips.some((ip) => addrs.some((a) => ipEquals(a, ip))));
  if (pod === undefined) return { rcode: 'NXDOMAIN', what: `no ready endpoint of headless Service ${key} is a pod with hostname ${host} and subdomain ${s.name}` };
  return { rcode: 'NOERROR', type: 'A', addrs: pod.ips, what: `pod ${pod.pod.namespace}/${pod.pod.name} (hostname ${host}, subdomain ${s.name})` };
}

function endpointAddrs(built: BuiltCluster, s: Service): Ip[] {
  return slicesOfService(built.endpointSlices, s.namespace, s.name).flatMap((sl) => sl.endpoints.filter((e) => e.conditions.ready || s.publishNotReadyAddresses).flatMap((e) => e.addresses));
}

/** `pods insecure`: the address is read from the name (dashes for dots, or for colons in IPv6). */
function podAnswer(built: BuiltCluster, dashed: string, ns: string): ZoneAnswer {
  const ip = parseIp(dashed.replace(/-/g, '.')) ?? parseIp(dashed.replace(/-/g, ':'));
  if (ip === undefined) return { rcode: 'NXDOMAIN', what: `${dashed} is not an address written with dashes` };
  if (!built.spec.namespaces.some((n) => n.name === ns)) return { rcode: 'NXDOMAIN', what: `no namespace ${ns}` };
  const owner = built.pods.find((p) => p.pod.namespace === ns && p.ips.some((a) => ipEquals(a, ip)));
  const whose = owner === undefined ? 'no pod of the namespace holds it; `pods insecure` answers all the same' : `pod ${ns}/${owner.pod.name}`;
  return { rcode: 'NOERROR', type: 'A', addrs: [ip], what: `${formatIp(ip)} read from the name (${whose})` };
}
