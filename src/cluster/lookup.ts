/**
 * Naming things in a built cluster the way a user would on the command line: `pod-a`,
 * `default/pod-a`, `service-b`, `service-b.default`, `svc/service-b`, `svc/default/service-b`,
 * `node-1`, a router of the underlay (`tor`), a declared external host (`laptop`), `10.244.0.2`, `10.96.0.10:80`, `[fd00::2]:80`,
 * and any name with a port (`node-1:30080`).
 */
import { type Family, type Ip, formatIp, ipEquals, parseIp } from '../addr/ip.js';
import type { BuiltCluster } from './assemble/cluster.js';
import type { BuiltPod } from './assemble/pods.js';
import type { ClusterSpec, EndpointSlice, ExternalHost, Node, Pod, Service } from './objects.js';

/** What a name resolved to. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: BuiltPod; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'service'; readonly service: Service; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'node'; readonly node: Node; readonly ip: Ip; readonly label: string }
  /** An underlay router; `ip` is its address on its first network. */
  | { readonly kind: 'router'; readonly router: string; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'ip'; readonly ip: Ip; readonly port?: number; readonly label: string };

/** Where short names are looked up first: the namespace of the pod asking, as its DNS search list does. */
export interface ResolveOptions {
  /** The source pod's namespace; `default` when absent (a node or an address asks). */
  readonly namespace?: string;
  /** The address family a name resolves in (`--family`, or an address's): a dual-stack pod or Service has one address per family. Default: its first. */
  readonly family?: Family;
}

/** What a name resolved to, or why it resolves to nothing. */
export type Resolved = { readonly endpoint: Endpoint } | { readonly problem: string };

/** A thing a name may mean: its label, its namespace (none for nodes and routers), and what it resolves to. */
interface Candidate {
  readonly label: string;
  readonly namespace?: string;
  readonly resolve: () => Resolved;
}

/**
 * Resolves a name, or explains why it cannot. A short name is looked up as a pod's resolver
 * would (the `search <ns>.svc.cluster.local …` line kubelet writes into resolv.conf): in
 * `opts.namespace` first, then in `default`, then anywhere, where more than one match is an error
 * that lists them. Nodes and routers are cluster-wide and count at every step.
 */
export function resolveEndpoint(built: BuiltCluster, text: string, opts: ResolveOptions = {}): Resolved {
  const asAddr = parseAddrPort(text);
  if (asAddr !== undefined) return { endpoint: endpointAt(built, asAddr.ip, asAddr.port) };
  // `node-1:30080`, `laptop:443`: a name and a port, as an address and a port.
  const named = nameAndPort(text);
  if (named !== undefined) {
    const r = resolveEndpoint(built, named.name, opts);
    return 'problem' in r ? r : { endpoint: endpointAt(built, r.endpoint.ip, named.port) };
  }
  const here = opts.namespace ?? 'default';
  const fam = opts.family;
  if (text.startsWith('svc/') || text.startsWith('service/')) return serviceNamed(built, text.slice(text.indexOf('/') + 1), here, fam);
  const all = [
    ...podCandidates(built, text, fam),
    ...serviceCandidates(built, text, fam),
    ...built.spec.nodes.filter((n) => n.name === text).map((n): Candidate => ({ label: `node ${n.name}`, resolve: () => orMissing(nodeEndpoint(n, fam), `node ${n.name}`, fam) })),
    ...(built.spec.cluster.underlay?.routers ?? [])
      .filter((r) => r.name === text)
      .map((r): Candidate => ({ label: `router ${r.name}`, resolve: () => orMissing(routerEndpoint(built, r.name), `router ${r.name}`) })),
    ...(built.spec.cluster.externalHosts ?? [])
      .filter((h) => h.name === text)
      .map((h): Candidate => ({ label: `external host ${h.name}`, resolve: () => orMissing(externalHostEndpoint(h, fam), `external host ${h.name}`, fam) })),
  ];
  if (all.length === 0) return { problem: `no pod, Service, node or IP called ${text}` };
  return pickByNamespace(all, here, text, 'say pod NAMESPACE/NAME or svc/NAMESPACE/NAME');
}

/**
 * True when `text` names nothing of `spec` as {@link resolveEndpoint} reads names: no address, no
 * pod, Service, node, router or external host of that name. Then resolveEndpoint on the cluster
 * built from `spec` answers "no pod, Service, node or IP called …", so a command can say so before
 * it builds (the build of a 5,000-node scenario takes seconds). False whenever in doubt
 * (`svc/…`, whose message differs): the built cluster's names are the spec's (pods whose sandbox
 * failed included).
 */
export function namesNothing(spec: ClusterSpec, text: string): boolean {
  if (parseAddrPort(text) !== undefined || text.startsWith('svc/') || text.startsWith('service/')) return false;
  const named = nameAndPort(text);
  if (named !== undefined) return namesNothing(spec, named.name);
  const [svc, ns] = serviceParts(text);
  const called = (x: { readonly name: string }): boolean => x.name === text;
  return !(
    // Indexed once per list (a trace --batch asks per flow, over 150,000 pods).
    indexed(spec.pods, (p) => [p.name, `${p.namespace}/${p.name}`], text).length > 0 ||
    servicesNamed(spec.services, svc).some((s) => ns === undefined || s.namespace === ns) ||
    spec.nodes.some(called) ||
    (spec.cluster.underlay?.routers ?? []).some(called) ||
    (spec.cluster.externalHosts ?? []).some(called)
  );
}

/** `node-1:30080`, `laptop:443`: a name and a valid port; undefined for anything else. */
function nameAndPort(text: string): { readonly name: string; readonly port: number } | undefined {
  const m = /^([^:/[\]]+):(\d+)$/.exec(text);
  const port = Number(m?.[2]);
  return m?.[1] !== undefined && port >= 1 && port <= 65535 ? { name: m[1], port } : undefined;
}

/** `NAME`, `NAME.NS`, `NAME.NS.svc`, `NAME.NS.svc.cluster.local` as the Service name and its namespace (if given). */
function serviceParts(text: string): readonly [string, string | undefined] {
  const dot = text.indexOf('.');
  return dot > 0 ? [text.slice(0, dot), text.slice(dot + 1).replace(/\.svc(\.cluster\.local)?$/, '')] : [text, undefined];
}

/** The candidates of the first namespace step (`here`, `default`, anywhere) that has any; one of them, or an error listing them. */
function pickByNamespace(all: readonly Candidate[], here: string, text: string, hint: string): Resolved {
  const inNs = (ns: string) => all.filter((c) => c.namespace === undefined || c.namespace === ns);
  const tiers = [inNs(here), inNs('default'), all];
  const found = tiers.find((t) => t.length > 0) ?? [];
  const only = found.length === 1 ? found[0] : undefined;
  if (only !== undefined) return only.resolve();
  return { problem: `${text} is ambiguous: ${found.map((f) => f.label).join(', ')}; ${hint}` };
}

function orMissing(ep: Endpoint | undefined, label: string, family?: Family): Resolved {
  return ep !== undefined ? { endpoint: ep } : { problem: `${label} has no ${family === undefined ? '' : `IPv${family} `}address` };
}

/** The address of `family` among `ips`, or the first when no family is asked for. */
function pick(ips: readonly Ip[], family: Family | undefined): Ip | undefined {
  return family === undefined ? ips[0] : ips.find((ip) => ip.family === family);
}

/** The family of an address written as a trace endpoint (`fd00::2`, `[fd00::2]:80`, `10.0.0.1:80`); undefined for a name. */
export function addressFamilyOf(text: string): Family | undefined {
  return parseAddrPort(text)?.ip.family;
}

function parseAddrPort(text: string): { ip: Ip; port?: number } | undefined {
  const plain = parseIp(text);
  if (plain !== undefined) return { ip: plain };
  const m = /^\[(.+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const addr = m?.[1] !== undefined ? parseIp(m[1]) : undefined;
  const port = Number(m?.[2]);
  return addr !== undefined && port >= 1 && port <= 65535 ? { ip: addr, port } : undefined;
}

/** Each list's items by key, in list order; built on a list's first lookup (the built cluster's lists never change). */
const indexes = new WeakMap<readonly unknown[], Map<string, readonly unknown[]>>();

/** The items of `list` whose key (any of `keys` gives) is `key`, in list order: a scan of a 150,000-pod list once, not per name. */
function indexed<T>(list: readonly T[], keys: (item: T) => readonly string[], key: string): readonly T[] {
  let index = indexes.get(list) as Map<string, T[]> | undefined;
  if (index === undefined) {
    const built = new Map<string, T[]>();
    for (const item of list) for (const k of keys(item)) built.get(k)?.push(item) ?? built.set(k, [item]);
    indexes.set(list, built);
    index = built;
  }
  return index.get(key) ?? [];
}

/** The Services of `services` called `name`, in list order (indexed once per list). */
export function servicesNamed(services: readonly Service[], name: string): readonly Service[] {
  return indexed(services, (s) => [s.name], name);
}

/** The EndpointSlices of `slices` that belong to Service `namespace/name` (label `kubernetes.io/service-name`), in list order (indexed once per list). */
export function slicesOfService(slices: readonly EndpointSlice[], namespace: string, name: string): readonly EndpointSlice[] {
  return indexed(slices, (sl) => [`${sl.namespace}/${sl.serviceName}`], `${namespace}/${name}`);
}

/** A pod's names: `NAME` and `NAMESPACE/NAME` (a pod's name holds no `/`). */
const podKeys = (p: { readonly pod: Pod }): readonly string[] => [p.pod.name, `${p.pod.namespace}/${p.pod.name}`];

/** `NAMESPACE/NAME` or a bare pod name (pod names may hold dots). */
function podCandidates(built: BuiltCluster, text: string, family?: Family): Candidate[] {
  const found = indexed(built.pods, podKeys, text).map((p): Candidate => ({
    label: `pod ${p.pod.namespace}/${p.pod.name}`,
    namespace: p.pod.namespace,
    resolve: () => orMissing(podEndpointIn(p, family), `pod ${p.pod.namespace}/${p.pod.name}`, family),
  }));
  // A pod whose sandbox failed is named, not unknown: say why it has no address (kubelet's event).
  const failed = indexed(built.failedPods, podKeys, text).map((f): Candidate => ({
    label: `pod ${f.pod.namespace}/${f.pod.name}`,
    namespace: f.pod.namespace,
    resolve: () => ({ problem: f.reason }),
  }));
  return [...found, ...failed];
}

/** `NAME`, `NAME.NS`, `NAME.NS.svc`, `NAME.NS.svc.cluster.local`: the forms a pod's resolver completes. */
function serviceCandidates(built: BuiltCluster, text: string, family?: Family): Candidate[] {
  const [name, ns] = serviceParts(text);
  return servicesNamed(built.spec.services, name)
    .filter((s) => ns === undefined || s.namespace === ns)
    .map((s) => ({ label: `service ${s.namespace}/${s.name}`, namespace: s.namespace, resolve: () => serviceTarget(built, s, family) }));
}

function serviceNamed(built: BuiltCluster, text: string, here: string, family?: Family): Resolved {
  const [a, b] = text.split('/');
  const found =
    b === undefined
      ? serviceCandidates(built, a ?? '', family)
      : built.spec.services
          .filter((s) => s.namespace === a && s.name === b)
          .map((s): Candidate => ({ label: `service ${s.namespace}/${s.name}`, namespace: s.namespace, resolve: () => serviceTarget(built, s, family) }));
  if (found.length === 0) return { problem: `no Service called ${text}` };
  return pickByNamespace(found, here, `Service ${text}`, 'say svc/NAMESPACE/NAME');
}

/**
 * Where a Service name takes a client. A ClusterIP Service: its ClusterIP. A headless one
 * (`clusterIP: None`): the DNS answer is the ready endpoints' addresses (every one with
 * `publishNotReadyAddresses`), so the trace goes to the first and the label says so. An
 * ExternalName one: a CNAME that only an outside resolver can follow, so there is nothing to trace.
 */
function serviceTarget(built: BuiltCluster, s: Service, family?: Family): Resolved {
  const name = `${s.namespace}/${s.name}`;
  if (s.type === 'ExternalName') {
    const target = s.externalName ?? '(no externalName)';
    return { problem: `service ${name} is an ExternalName Service: its DNS name is a CNAME to ${target}, and netsim does not resolve DNS names outside the cluster; trace to the address ${target} resolves to instead` };
  }
  const ep = serviceEndpointIn(s, family);
  if (ep !== undefined) return { endpoint: ep };
  if (!s.headless) return { problem: `service ${name} has no ${family === undefined ? '' : `IPv${family} `}ClusterIP` };
  const addrs = built.endpointSlices
    .filter((sl) => sl.namespace === s.namespace && sl.serviceName === s.name)
    .flatMap((sl) => sl.endpoints.filter((e) => e.conditions.ready || s.publishNotReadyAddresses).flatMap((e) => e.addresses))
    .filter((a) => family === undefined || a.family === family);
  const first = addrs[0];
  if (first === undefined) return { problem: `service ${name} is headless (clusterIP: None) and has no ready endpoints: its DNS name resolves to no address` };
  const to = endpointAt(built, first, undefined);
  const list = addrs.map((a) => formatIp(a)).join(', ');
  return { endpoint: { ...to, label: `${to.label} (headless service ${name} resolves to ${list}; tracing to the first)` } };
}

/** A pod's endpoint at its first address. */
export function podEndpoint(p: BuiltPod): Endpoint | undefined {
  return podEndpointIn(p, undefined);
}

/** A pod's endpoint at its address of `family` (its first when undefined). */
export function podEndpointIn(p: BuiltPod, family: Family | undefined): Endpoint | undefined {
  const ip = pick(p.ips, family);
  return ip === undefined ? undefined : { kind: 'pod', pod: p, ip, label: `pod ${p.pod.namespace}/${p.pod.name}` };
}

/** A Service's endpoint at its first ClusterIP. */
export function serviceEndpoint(s: Service): Endpoint | undefined {
  return serviceEndpointIn(s, undefined);
}

/** A Service's endpoint at its ClusterIP of `family` (its first when undefined). */
export function serviceEndpointIn(s: Service, family: Family | undefined): Endpoint | undefined {
  const ip = pick(s.clusterIPs, family);
  return ip === undefined ? undefined : { kind: 'service', service: s, ip, label: `service ${s.namespace}/${s.name}` };
}

function nodeEndpoint(n: Node, family?: Family): Endpoint | undefined {
  const ip = pick(n.internalIPs, family);
  return ip === undefined ? undefined : { kind: 'node', node: n, ip, label: `node ${n.name}` };
}

/** The addresses of a router's interfaces, in interface order (as `ip -4 addr` lists them). */
export function routerAddresses(built: BuiltCluster, router: string): Ip[] {
  const ns = built.world.netns[router];
  if (ns === undefined || built.owners[router]?.kind !== 'router') return [];
  return ns.addrs.filter((a) => a.scope === 'global' && a.dev !== 'lo').map((a) => a.cidr.addr);
}

function routerEndpoint(built: BuiltCluster, router: string): Endpoint | undefined {
  const ip = routerAddresses(built, router)[0];
  return ip === undefined ? undefined : { kind: 'router', router, ip, label: `router ${router}` };
}

/**
 * A declared external host (`Cluster.spec.externalHosts`) at its address of `family` (its first
 * without one): an address, as the cluster sees it; the trace puts the host behind the exit.
 */
function externalHostEndpoint(h: ExternalHost, family: Family | undefined): Endpoint | undefined {
  const ip = pick(h.addresses, family);
  return ip === undefined ? undefined : { kind: 'ip', ip, label: `external host ${h.name}` };
}

/** The router holding an address, if any. */
export function routerAt(built: BuiltCluster, ip: Ip): string | undefined {
  return (built.spec.cluster.underlay?.routers ?? []).find((r) => routerAddresses(built, r.name).some((a) => ipEquals(a, ip)))?.name;
}

/** An address: whose it is, if anyone's. */
export function endpointAt(built: BuiltCluster, ip: Ip, port: number | undefined): Endpoint {
  const pod = built.pods.find((p) => !p.pod.hostNetwork && p.ips.some((a) => ipEquals(a, ip)));
  const svc = built.spec.services.find((s) => s.clusterIPs.some((a) => ipEquals(a, ip)));
  const node = built.spec.nodes.find((n) => n.internalIPs.some((a) => ipEquals(a, ip)) || (n.extraAddresses ?? []).some((c) => ipEquals(c.addr, ip)));
  const router = routerAt(built, ip);
  const atRouter = router === undefined ? undefined : { kind: 'router' as const, router, ip, label: `router ${router}` };
  const host = (built.spec.cluster.externalHosts ?? []).find((h) => h.addresses.some((a) => ipEquals(a, ip)));
  const atHost = host === undefined ? undefined : { kind: 'ip' as const, ip, label: `external host ${host.name}` };
  const owner = pod !== undefined ? podEndpointIn(pod, ip.family) : svc !== undefined ? serviceEndpointIn(svc, ip.family) : node !== undefined ? nodeEndpoint(node, ip.family) : (atRouter ?? atHost);
  if (owner !== undefined && port === undefined) return owner;
  const label = owner !== undefined ? `${owner.label} (${formatIp(ip)}${port !== undefined ? `:${port}` : ''})` : `${formatIp(ip)}${port !== undefined ? `:${port}` : ''}`;
  return port === undefined ? { kind: 'ip', ip, label } : { kind: 'ip', ip, port, label };
}
