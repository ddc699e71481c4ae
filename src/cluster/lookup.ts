/**
 * Naming things in a built cluster the way a user would on the command line: `pod-a`,
 * `default/pod-a`, `service-b`, `service-b.default`, `svc/service-b`, `svc/default/service-b`,
 * `node-1`, a router of the underlay (`tor`), `10.244.0.2`, `10.96.0.10:80`, `[fd00::2]:80`.
 */
import { type Ip, formatIp, ipEquals, parseIp } from '../addr/ip.js';
import type { BuiltCluster } from './assemble/cluster.js';
import type { BuiltPod } from './assemble/pods.js';
import type { Node, Service } from './objects.js';

/** What a name resolved to. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: BuiltPod; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'service'; readonly service: Service; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'node'; readonly node: Node; readonly ip: Ip; readonly label: string }
  /** An underlay router; `ip` is its address on its first network. */
  | { readonly kind: 'router'; readonly router: string; readonly ip: Ip; readonly label: string }
  | { readonly kind: 'ip'; readonly ip: Ip; readonly port?: number; readonly label: string };

/** Resolves a name, or explains why it cannot. */
export function resolveEndpoint(built: BuiltCluster, text: string): { endpoint: Endpoint } | { problem: string } {
  const asAddr = parseAddrPort(text);
  if (asAddr !== undefined) return { endpoint: endpointAt(built, asAddr.ip, asAddr.port) };
  if (text.startsWith('svc/') || text.startsWith('service/')) return serviceNamed(built, text.slice(text.indexOf('/') + 1));
  const pods = podsNamed(built, text);
  const services = servicesNamed(built, text);
  const nodes = built.spec.nodes.filter((n) => n.name === text);
  const routers = (built.spec.cluster.underlay?.routers ?? []).filter((r) => r.name === text);
  const found = [...pods.map((p) => podEndpoint(p)), ...services.map((s) => serviceEndpoint(s)), ...nodes.map((n) => nodeEndpoint(n)), ...routers.map((r) => routerEndpoint(built, r.name))].filter(
    (e): e is Endpoint => e !== undefined,
  );
  if (found.length === 1 && found[0] !== undefined) return { endpoint: found[0] };
  if (found.length === 0) return { problem: `no pod, Service, node or IP called ${text}` };
  return { problem: `${text} is ambiguous: ${found.map((f) => f.label).join(', ')}; say pod NAMESPACE/NAME or svc/NAME` };
}

function parseAddrPort(text: string): { ip: Ip; port?: number } | undefined {
  const plain = parseIp(text);
  if (plain !== undefined) return { ip: plain };
  const m = /^\[(.+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const addr = m?.[1] !== undefined ? parseIp(m[1]) : undefined;
  const port = Number(m?.[2]);
  return addr !== undefined && port >= 1 && port <= 65535 ? { ip: addr, port } : undefined;
}

function podsNamed(built: BuiltCluster, text: string): BuiltPod[] {
  if (text.includes('/')) return built.pods.filter((p) => `${p.pod.namespace}/${p.pod.name}` === text);
  const inDefault = built.pods.filter((p) => p.pod.name === text && p.pod.namespace === 'default');
  return inDefault.length > 0 ? inDefault : built.pods.filter((p) => p.pod.name === text);
}

function servicesNamed(built: BuiltCluster, text: string): Service[] {
  const dot = text.indexOf('.');
  const [name, ns] = dot > 0 ? [text.slice(0, dot), text.slice(dot + 1).replace(/\.svc(\.cluster\.local)?$/, '')] : [text, undefined];
  const all = built.spec.services.filter((s) => s.name === name && (ns === undefined || s.namespace === ns));
  const inDefault = all.filter((s) => s.namespace === 'default');
  return ns === undefined && inDefault.length > 0 ? inDefault : all;
}

function serviceNamed(built: BuiltCluster, text: string): { endpoint: Endpoint } | { problem: string } {
  const [a, b] = text.split('/');
  const svcs = b === undefined ? servicesNamed(built, a ?? '') : built.spec.services.filter((s) => s.namespace === a && s.name === b);
  const ep = svcs.length === 1 && svcs[0] !== undefined ? serviceEndpoint(svcs[0]) : undefined;
  if (ep !== undefined) return { endpoint: ep };
  return { problem: svcs.length === 0 ? `no Service called ${text}` : svcs.length > 1 ? `Service ${text} is ambiguous` : `Service ${text} has no ClusterIP (headless or ExternalName)` };
}

function podEndpoint(p: BuiltPod): Endpoint | undefined {
  const ip = p.ips[0];
  return ip === undefined ? undefined : { kind: 'pod', pod: p, ip, label: `pod ${p.pod.namespace}/${p.pod.name}` };
}

function serviceEndpoint(s: Service): Endpoint | undefined {
  const ip = s.clusterIPs[0];
  return ip === undefined ? undefined : { kind: 'service', service: s, ip, label: `service ${s.namespace}/${s.name}` };
}

function nodeEndpoint(n: Node): Endpoint | undefined {
  const ip = n.internalIPs[0];
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

/** The router holding an address, if any. */
export function routerAt(built: BuiltCluster, ip: Ip): string | undefined {
  return (built.spec.cluster.underlay?.routers ?? []).find((r) => routerAddresses(built, r.name).some((a) => ipEquals(a, ip)))?.name;
}

/** An address: whose it is, if anyone's. */
function endpointAt(built: BuiltCluster, ip: Ip, port: number | undefined): Endpoint {
  const pod = built.pods.find((p) => !p.pod.hostNetwork && p.ips.some((a) => ipEquals(a, ip)));
  const svc = built.spec.services.find((s) => s.clusterIPs.some((a) => ipEquals(a, ip)));
  const node = built.spec.nodes.find((n) => n.internalIPs.some((a) => ipEquals(a, ip)));
  const router = routerAt(built, ip);
  const atRouter = router === undefined ? undefined : { kind: 'router' as const, router, ip, label: `router ${router}` };
  const owner = pod !== undefined ? podEndpoint(pod) : svc !== undefined ? serviceEndpoint(svc) : node !== undefined ? nodeEndpoint(node) : atRouter;
  if (owner !== undefined && port === undefined) return owner;
  const label = owner !== undefined ? `${owner.label} (${formatIp(ip)}${port !== undefined ? `:${port}` : ''})` : `${formatIp(ip)}${port !== undefined ? `:${port}` : ''}`;
  return port === undefined ? { kind: 'ip', ip, label } : { kind: 'ip', ip, port, label };
}
