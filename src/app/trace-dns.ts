/**
 * `netsim trace POD NAME` when NAME is a DNS name (or with `--dns`): first the lookup, as the
 * pod's resolver makes it, then the connection to the answer. The lookup is:
 *
 *   1. the pod's /etc/resolv.conf (cluster/dns/resolv-conf.ts, kubelet's rules);
 *   2. the names res_search asks for, in order (ndots and the search list);
 *   3. the query as a packet: UDP to the nameserver's port 53, traced through the kernel model
 *      like any other (kube-proxy DNATs the kube-dns ClusterIP to a CoreDNS pod); a query that
 *      does not arrive resolves nothing;
 *   4. CoreDNS's answers (cluster/dns/zone.ts), NXDOMAIN until one name has records.
 *
 * Every query takes the same path (same pod, same nameserver, port 53), so the one answered is
 * the one traced.
 */
import { type Ip, formatIp } from '../addr/ip.js';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { podResolver, resolvConfText, type ResolvConf } from '../cluster/dns/resolv-conf.js';
import { searchPlan } from '../cluster/dns/search.js';
import { type ZoneAnswer, zoneAnswer } from '../cluster/dns/zone.js';
import { resolveEndpoint, servicesNamed } from '../cluster/lookup.js';
import { type TraceQuery, type TraceRun, runTrace } from './trace.js';
import { looksLikeDnsName } from './trace-names.js';

/** One query of the search: the name asked and CoreDNS's answer (or that it was not asked). */
export interface DnsQueryStep {
  readonly name: string;
  readonly answer: ZoneAnswer;
}

/** How the lookup ended. */
export type DnsOutcome =
  /** An address to connect to. */
  | { readonly kind: 'resolved'; readonly addrs: readonly Ip[]; readonly name: string; readonly what: string; readonly cname?: string }
  /** Every name NXDOMAIN. */
  | { readonly kind: 'nxdomain'; readonly detail: string }
  /** The query packet did not reach a DNS server (dropped, rejected, …): the lookup times out. */
  | { readonly kind: 'no-answer'; readonly detail: string }
  /** The answer comes from outside the cluster (a CNAME out of it, a name outside the domain, the node's resolver). */
  | { readonly kind: 'outside'; readonly detail: string };

/** The resolution of a DNS name for a pod. */
export interface Resolution {
  readonly name: string;
  readonly client: string;
  readonly resolvConf: ResolvConf;
  readonly notes: readonly string[];
  readonly rule: string;
  readonly queries: readonly DnsQueryStep[];
  /** The query packet to the first nameserver, traced. */
  readonly lookup?: TraceRun;
  readonly outcome: DnsOutcome;
}

/** A DNS trace: the resolution, then (when it gave an address) the connection to it. */
export interface DnsTraceRun {
  readonly resolution: Resolution;
  readonly connection?: TraceRun;
}

/**
 * True when DST names a Service that has no ClusterIP (headless, ExternalName) in the forms a
 * resolver completes (`NAME`, `NAME.NS`): only a DNS lookup says where such a name leads.
 */
export function namesServiceWithoutClusterIp(built: BuiltCluster, dst: string, fromNamespace: string): boolean {
  const [name, ns, ...rest] = dst.split('.');
  if (rest.length > 0 || name === undefined || dst.includes('/')) return false;
  const s = servicesNamed(built.spec.services, name).find((x) => x.namespace === (ns ?? fromNamespace));
  return s !== undefined && (s.headless || s.type === 'ExternalName');
}

/** Resolves `q.dst` as the source pod's resolver does, traces the query, then the connection. */
export function runDnsTrace(built: BuiltCluster, q: TraceQuery): DnsTraceRun | { readonly problem: string } {
  const src = resolveEndpoint(built, q.src);
  if ('problem' in src) return { problem: `source: ${src.problem}` };
  if (src.endpoint.kind !== 'pod') return { problem: `a DNS lookup is traced from a pod's resolver (/etc/resolv.conf); the source is ${src.endpoint.label}` };
  const pod = src.endpoint.pod.pod;
  const resolver = podResolver(pod, built.spec.cluster);
  const conf = resolver.conf;
  const plan = searchPlan(q.dst, conf);
  const base = { name: q.dst, client: src.endpoint.label, resolvConf: conf, notes: resolver.notes, rule: plan.rule };
  const server = conf.nameservers[0];
  if (server === undefined) return { resolution: { ...base, queries: [], outcome: { kind: 'no-answer', detail: 'resolv.conf has no nameserver' } } };
  const lookup = runTrace(built, { src: q.src, dst: `${formatIp(server)}:53`, protocol: 'udp', seed: q.seed, reply: true });
  if ('problem' in lookup) return { problem: `DNS query to ${formatIp(server)}: ${lookup.problem}` };
  const ending = lookup.trips[0]?.forward.ending;
  if (ending?.disposition !== 'DELIVERED') {
    const outcome: DnsOutcome = ending?.disposition === 'EXITS_NETWORK'
      ? { kind: 'outside', detail: `the query to ${formatIp(server)} leaves the cluster: the answer is not modelled` }
      : { kind: 'no-answer', detail: `the query to ${formatIp(server)}:53 ends ${ending?.disposition ?? 'nowhere'}: the resolver times out` };
    return { resolution: { ...base, queries: [], lookup, outcome } };
  }
  if (resolver.kind !== 'cluster' && !isClusterDns(built, server)) {
    return { resolution: { ...base, queries: [], lookup, outcome: { kind: 'outside', detail: `${formatIp(server)} is the node's resolver, outside the cluster's DNS: what it answers is not modelled` } } };
  }
  const { queries, outcome } = askInOrder(built, plan.names);
  const resolution: Resolution = { ...base, queries, lookup, outcome };
  if (outcome.kind !== 'resolved') return { resolution };
  const first = outcome.addrs[0];
  if (first === undefined) return { resolution };
  const connection = runTrace(built, { ...q, dst: formatIp(first) });
  if ('problem' in connection) return { problem: `connection to ${formatIp(first)}: ${connection.problem}` };
  return { resolution, connection };
}

function isClusterDns(built: BuiltCluster, ip: Ip): boolean {
  const dns = built.spec.cluster.dns;
  return dns !== undefined && formatIp(dns.clusterDNS) === formatIp(ip);
}

/** CoreDNS's answers to the names in order, until one has records; a CNAME inside the zone is followed. */
function askInOrder(built: BuiltCluster, names: readonly string[]): { queries: DnsQueryStep[]; outcome: DnsOutcome } {
  const queries: DnsQueryStep[] = [];
  for (const name of names) {
    const answer = zoneAnswer(built, name);
    queries.push({ name, answer });
    if (answer.rcode === 'NXDOMAIN') continue;
    if (answer.rcode === 'FORWARD') return { queries, outcome: { kind: 'outside', detail: answer.what } };
    if (answer.type === 'A') return { queries, outcome: { kind: 'resolved', addrs: answer.addrs, name, what: answer.what } };
    const target = zoneAnswer(built, `${answer.target}.`);
    if (target.rcode === 'NOERROR' && target.type === 'A') return { queries, outcome: { kind: 'resolved', addrs: target.addrs, name, what: target.what, cname: answer.target } };
    return { queries, outcome: { kind: 'outside', detail: `${answer.what} is a CNAME to ${answer.target}, outside the cluster: CoreDNS asks its upstream resolver, and the connection leaves the cluster` } };
  }
  return { queries, outcome: { kind: 'nxdomain', detail: `every name the search list gives is NXDOMAIN` } };
}

/** The pod's resolv.conf, for `netsim show POD resolv`. */
export function resolvText(built: BuiltCluster, name: string): { readonly text: string } | { readonly problem: string } {
  const found = resolveEndpoint(built, name);
  if ('problem' in found) return { problem: found.problem };
  if (found.endpoint.kind !== 'pod') return { problem: `${name} is ${found.endpoint.label}: resolv shows a pod's /etc/resolv.conf` };
  const r = podResolver(found.endpoint.pod.pod, built.spec.cluster);
  return { text: `${r.notes.map((n) => `# ${n}\n`).join('')}${resolvConfText(r.conf)}` };
}

/**
 * Whether `netsim trace` looks DST up in DNS first: `--dns` (true) always, `--no-dns` (false)
 * never; otherwise for a pod source when DST is written as a DNS name or names a Service that
 * only DNS gives an address to (headless, ExternalName). Object names keep their direct meaning.
 */
export function wantsDns(built: BuiltCluster, q: TraceQuery, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const src = resolveEndpoint(built, q.src);
  if ('problem' in src || src.endpoint.kind !== 'pod') return false;
  return looksLikeDnsName(built, q.dst) || namesServiceWithoutClusterIp(built, q.dst, src.endpoint.pod.pod.namespace);
}
