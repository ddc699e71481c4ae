/**
 * Endpoints as kube-proxy holds them (pkg/proxy/endpointslicecache.go) and the endpoint
 * selection of pkg/proxy/topology.go CategorizeEndpoints (reference note §1.1).
 */
import { type Family, formatIp, parseIp } from '../../addr/index.js';
import type { EndpointInput, ProxierConfig } from '../types.js';
import { servicePortEndpointChainName } from './naming.js';
import type { ServicePortInfo } from './service-port.js';

/** One endpoint of one service port, normalised. */
export interface EndpointInfo {
  /** Canonical IP text. */
  readonly ip: string;
  readonly port: number;
  /** `IP:port` or `[IPv6]:port`: the sort key, the DNAT target and part of the SEP hash. */
  readonly str: string;
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly zoneHints: ReadonlySet<string>;
  readonly nodeHints: ReadonlySet<string>;
  /** KUBE-SEP-… */
  readonly chain: string;
}

/** The endpoint selection for one service port. */
export interface CategorizedEndpoints {
  readonly cluster: readonly EndpointInfo[];
  readonly local: readonly EndpointInfo[];
  /** Every endpoint that gets a KUBE-SEP chain: cluster ∪ local, sorted. */
  readonly allReachable: readonly EndpointInfo[];
  /** The service has usable endpoints somewhere (not necessarily on this node). */
  readonly hasAnyEndpoints: boolean;
}

type TopologyMode = 'PreferSameNode' | 'PreferSameZone' | '';

/** `IP:port`, bracketing IPv6 as net.JoinHostPort does. */
export function endpointString(ip: string, family: Family, port: number): string {
  return family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** What every endpoint of one service port shares. */
interface EndpointContext {
  readonly spn: string;
  readonly protocol: string;
  readonly family: Family;
  readonly nodeName: string;
}

/** Hints absent or empty: one set for all such endpoints (read only). */
const NO_HINTS: ReadonlySet<string> = new Set();

const hints = (list: readonly string[] | undefined): ReadonlySet<string> => (list === undefined || list.length === 0 ? NO_HINTS : new Set(list));

/**
 * An endpoint as normalised: a class rather than an object literal with a getter, which made
 * each endpoint a dictionary of its own with a closure (0.9 KiB each; a 5,000-node cluster's
 * kube-proxy holds 150,000).
 */
class Endpoint implements EndpointInfo {
  readonly ip: string;
  readonly port: number;
  readonly str: string;
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly zoneHints: ReadonlySet<string>;
  readonly nodeHints: ReadonlySet<string>;
  readonly #ctx: EndpointContext;
  readonly #input: EndpointInput;
  #chain: string | undefined;

  constructor(ctx: EndpointContext, ep: EndpointInput, ipText: string) {
    this.#input = ep;
    this.ip = ipText;
    this.port = ep.port;
    this.str = endpointString(ipText, ctx.family, ep.port);
    this.isLocal = ep.nodeName !== undefined && ep.nodeName === ctx.nodeName;
    this.ready = ep.ready;
    this.serving = ep.serving;
    this.terminating = ep.terminating;
    this.zoneHints = hints(ep.zoneHints);
    this.nodeHints = hints(ep.nodeHints);
    this.#ctx = ctx;
  }

  /** Hashed on first use: nftables mode never reads the KUBE-SEP name. */
  get chain(): string {
    return (this.#chain ??= servicePortEndpointChainName(this.#ctx.spn, this.#ctx.protocol, this.str));
  }

  get context(): EndpointContext {
    return this.#ctx;
  }

  /** The same endpoint as normalised on the node of `ctx` (same port, protocol and family), its KUBE-SEP name kept. */
  onNode(ctx: EndpointContext): Endpoint {
    const copy = new Endpoint(ctx, this.#input, this.ip);
    copy.#chain = this.#chain;
    return copy;
  }
}

/**
 * normalizeEndpoints of the same inputs on node `nodeName`, from its result on another node:
 * which input an endpoint is kept from and their order do not read the node, only `isLocal`
 * does; the KUBE-SEP names hashed already are kept (a policy-Local port is normalised again on
 * each node hosting one of its endpoints). Undefined for endpoints normalizeEndpoints did not make.
 */
export function endpointsOnNode(endpoints: readonly EndpointInfo[], nodeName: string): EndpointInfo[] | undefined {
  const out: EndpointInfo[] = [];
  let ctx: EndpointContext | undefined;
  for (const ep of endpoints) {
    if (!(ep instanceof Endpoint)) return undefined;
    ctx ??= { ...ep.context, nodeName };
    out.push(ep.onNode(ctx));
  }
  return out;
}

/**
 * Keeps the proxier's family, de-duplicates by `IP:port` (a non-terminating copy replaces an
 * earlier one) and sorts by that string as plain text, so `10.1.1.11:11` < `10.1.1.1:11`.
 */
export function normalizeEndpoints(
  info: Pick<ServicePortInfo, 'spn' | 'protocol'>,
  inputs: readonly EndpointInput[],
  config: Pick<ProxierConfig, 'family' | 'nodeName'>,
): EndpointInfo[] {
  const ctx: EndpointContext = { spn: info.spn, protocol: info.protocol, family: config.family, nodeName: config.nodeName };
  const byString = new Map<string, EndpointInfo>();
  for (const ep of inputs) {
    const parsed = parseIp(ep.ip);
    if (parsed === undefined || parsed.family !== config.family) continue;
    const epInfo = new Endpoint(ctx, ep, formatIp(parsed));
    if (!byString.has(epInfo.str) || !epInfo.terminating) byString.set(epInfo.str, epInfo);
  }
  return [...byString.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
}

/** topologyModeFromHints: hints are honoured only if every ready endpoint carries them. */
function topologyMode(endpoints: readonly EndpointInfo[], config: ProxierConfig): TopologyMode {
  const zone = config.topology?.zone ?? '';
  let allNode = true;
  let forNode = false;
  let allZone = true;
  let forZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.nodeHints.size === 0) allNode = false;
    else if (ep.nodeHints.has(config.nodeName)) forNode = true;
    if (ep.zoneHints.size === 0) allZone = false;
    else if (ep.zoneHints.has(zone)) forZone = true;
  }
  if (config.topology?.preferSameNode === true && allNode && forNode) return 'PreferSameNode';
  if (allZone && forZone) return 'PreferSameZone';
  return '';
}

function availableForTopology(ep: EndpointInfo, mode: TopologyMode, config: ProxierConfig): boolean {
  switch (mode) {
    case '':
      return true;
    case 'PreferSameNode':
      return ep.nodeHints.has(config.nodeName);
    case 'PreferSameZone':
      return ep.zoneHints.has(config.topology?.zone ?? '');
  }
}

function clusterSelection(endpoints: readonly EndpointInfo[], mode: TopologyMode, config: ProxierConfig): EndpointInfo[] {
  const ready = endpoints.filter((ep) => ep.ready && availableForTopology(ep, mode, config));
  // No ready endpoint anywhere (topology already falls back when its zone has none):
  // keep serving the connections through endpoints that are shutting down gracefully.
  return ready.length > 0 ? ready : endpoints.filter((ep) => ep.serving && ep.terminating);
}

function localSelection(endpoints: readonly EndpointInfo[]): { local: EndpointInfo[]; terminatingFallback: boolean } {
  const ready = endpoints.filter((ep) => ep.isLocal && ep.ready);
  if (ready.length > 0) return { local: ready, terminatingFallback: false };
  const serving = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  return { local: serving, terminatingFallback: serving.length > 0 };
}

function union(a: readonly EndpointInfo[], b: readonly EndpointInfo[]): EndpointInfo[] {
  const byString = new Map<string, EndpointInfo>();
  for (const ep of [...a, ...b]) byString.set(ep.str, ep);
  return [...byString.values()].sort((x, y) => (x.str < y.str ? -1 : x.str > y.str ? 1 : 0));
}

/** CategorizeEndpoints (pkg/proxy/topology.go); `endpoints` must come from normalizeEndpoints. */
export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  info: Pick<ServicePortInfo, 'usesClusterEndpoints' | 'usesLocalEndpoints'>,
  config: ProxierConfig,
): CategorizedEndpoints {
  const mode = info.usesClusterEndpoints ? topologyMode(endpoints, config) : '';
  const cluster = info.usesClusterEndpoints ? clusterSelection(endpoints, mode, config) : [];
  if (!info.usesLocalEndpoints) {
    return { cluster, local: [], allReachable: cluster, hasAnyEndpoints: cluster.length > 0 };
  }
  const usable = endpoints.some((ep) => ep.ready || (ep.serving && ep.terminating));
  const { local, terminatingFallback } = localSelection(endpoints);
  const hasAnyEndpoints = cluster.length > 0 || usable;
  if (!info.usesClusterEndpoints) return { cluster, local, allReachable: local, hasAnyEndpoints };
  // Without topology or the terminating fallback, every local endpoint is already a cluster one.
  const allReachable = mode === '' && !terminatingFallback ? cluster : union(cluster, local);
  return { cluster, local, allReachable, hasAnyEndpoints };
}
