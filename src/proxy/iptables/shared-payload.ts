/**
 * The same sync as buildPayloadLines, for many nodes at once: what every node's kube-proxy
 * writes alike is computed once and shared.
 *
 * In a large cluster, kube-proxy's payload differs between nodes only where a service port has
 * an endpoint on the node and a traffic policy Local (which picks local endpoints), carries
 * topology hints, or reads a node's own setting (the local detector's
 * node CIDR, the node IP of the KUBE-FW "allow from node" rule). Every other service port
 * writes the same lines on every node. A {@link PayloadMemo} keeps, per family, the service
 * ports with their normalised endpoints and chain names (hashed once), and each port's lines
 * per distinct node setting; {@link buildPayloadParts} then costs a lookup per port for a node.
 * The parts are the payload: {@link renderPayloadParts} gives exactly the text
 * buildIptablesPayload gives (shared-payload.property.test.ts).
 */
import { formatIp } from '../../addr/index.js';
import { collectPorts, endpointsFor } from '../ports.js';
import type { EndpointsBySPN, ProxierConfig, ServicePortInput } from '../types.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import { type EndpointInfo, endpointsOnNode, normalizeEndpoints } from './endpoints.js';
import { FILTER_TOP_CHAINS, NAT_TOP_CHAINS, forwardRules, kubeletFirewall, natFixedRules } from './fixed-rules.js';
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD, type PortFragment, portFragment } from './payload.js';
import { planServicePort } from './plan.js';
import { type TableLines, chainLine } from './rule.js';
import type { ServicePortInfo } from './service-port.js';
import { buildNodePortsJumps } from './services-chain.js';
import type { ChainContext } from './svc-chain.js';

/** One service port as every node sees it. */
interface SharedPort {
  readonly info: ServicePortInfo;
  /** Normalised as on a node that hosts none of them (no endpoint is local). */
  readonly endpoints: readonly EndpointInfo[];
  /** Nodes hosting at least one of the endpoints. */
  readonly nodes: ReadonlySet<string>;
  /** Some endpoint carries zone or node hints: categorisation depends on the node. */
  readonly hinted: boolean;
  /** Its KUBE-FW chain reads the node IP. */
  readonly readsNodeIP: boolean;
}

/**
 * What every node's sync of one family shares: the service ports, their endpoints, and the
 * fragments built so far, keyed by port and by the node settings the fragment reads.
 * Tied to the inputs it was made from (see {@link createPayloadMemo}).
 */
export interface PayloadMemo {
  readonly servicePorts: readonly ServicePortInput[];
  readonly endpointsBySPN: EndpointsBySPN;
  readonly family: 4 | 6;
  readonly ports: readonly SharedPort[];
  readonly largeClusterMode: boolean;
  /** Each port's fragment by the node settings it reads (settingsKey, then the node IP for ports that read it), indexed by port. */
  readonly fragments: Map<string, (PortFragment | undefined)[]>;
  /** Every port's shared fragment, by {@link sharedFragments}' key. */
  readonly shared: Map<string, readonly PortFragment[]>;
  /** Some port's KUBE-FW chain reads the node IP (then the shared fragments are per node IP too). */
  readonly readsNodeIP: boolean;
  /** The ports whose lines may differ on a node (in port order): hinted ones on every node, policy-Local ones where they have an endpoint. */
  readonly specific: { readonly hinted: readonly number[]; readonly byNode: ReadonlyMap<string, readonly number[]> };
}

/** The per-family memo for a set of nodes whose kube-proxy sees these services and endpoints. */
export function createPayloadMemo(family: 4 | 6, servicePorts: readonly ServicePortInput[], endpointsBySPN: EndpointsBySPN): PayloadMemo {
  // No node is named NUL, so no endpoint is local.
  const base: ProxierConfig = { nodeName: '\u0000', nodeIPs: [], family };
  const ports: SharedPort[] = [];
  const hintedPorts: number[] = [];
  const byNode = new Map<string, number[]>();
  let total = 0;
  for (const { info, endpoints } of collectPorts(base, family, servicePorts, endpointsBySPN)) {
    total += endpoints.length;
    const nodes = new Set<string>();
    let hinted = false;
    for (const ep of endpoints) {
      if (ep.zoneHints.size > 0 || ep.nodeHints.size > 0) hinted = true;
    }
    for (const raw of endpointsFor(endpointsBySPN, info.spn)) if (raw.nodeName !== undefined) nodes.add(raw.nodeName);
    if (hinted) hintedPorts.push(ports.length);
    else if (info.usesLocalEndpoints) {
      for (const n of nodes) {
        const list = byNode.get(n);
        if (list === undefined) byNode.set(n, [ports.length]);
        else list.push(ports.length);
      }
    }
    ports.push({ info, endpoints, nodes, hinted, readsNodeIP: info.loadBalancerVIPs.length > 0 && info.sourceRanges.length > 0 });
  }
  const specific = { hinted: hintedPorts, byNode };
  const readsNodeIP = ports.some((p) => p.readsNodeIP);
  return { servicePorts, endpointsBySPN, family, ports, largeClusterMode: total > LARGE_CLUSTER_ENDPOINTS_THRESHOLD, fragments: new Map(), shared: new Map(), specific, readsNodeIP };
}

/** Everything of the resolved configuration a port's fragment reads, but the node IP. */
function settingsKey(rc: ResolvedConfig, largeClusterMode: boolean): string {
  return JSON.stringify([rc.family, rc.masqueradeMark, rc.masqueradeAll, rc.localhostNodePorts, rc.randomFully, rc.nfacct, rc.conntrackTCPLiberal, rc.detector ?? null, largeClusterMode]);
}

/** One node's payload, in parts: each table's head, the ports' fragments, each table's tail. */
export interface PayloadParts {
  /** Top-level chains and fixed rules. */
  readonly filterHead: TableLines;
  readonly natHead: TableLines;
  readonly ports: readonly PortFragment[];
  readonly filterTail: readonly string[];
  readonly natTail: readonly string[];
  /** The shared fragments `ports` was made from ({@link sharedFragments} for the node's settings). */
  readonly shared: SharedFragments;
  /** The node-specific ports' fragments, by port index: `ports` is `shared` with these in place. */
  readonly own: ReadonlyMap<number, PortFragment>;
}

/** Every port's shared fragment for one node setting, and the key that names that setting. */
export interface SharedFragments {
  readonly key: string;
  readonly fragments: readonly PortFragment[];
}

/**
 * buildPayloadLines for one node through the memo: equal output, with the fragments of ports
 * whose lines do not depend on the node built once for all nodes. A full sync only: stale-chain
 * deletion (a resync) goes through buildIptablesPayload.
 */
export function buildPayloadParts(config: ProxierConfig, memo: PayloadMemo): PayloadParts {
  const rc = resolveConfig(config);
  const ctx: ChainContext = { rc, largeClusterMode: memo.largeClusterMode };
  const shared = sharedOf(rc, config, memo);
  const own = new Map<number, PortFragment>();
  for (const i of nodeSpecificPorts(memo, config.nodeName)) {
    const port = memo.ports[i] as SharedPort;
    // Node-specific: normalised again so that its endpoints know they are local.
    const endpoints = endpointsOnNode(port.endpoints, config.nodeName) ?? normalizeEndpoints(port.info, endpointsFor(memo.endpointsBySPN, port.info.spn), config);
    own.set(i, portFragment(planServicePort(port.info, endpoints, config), ctx));
  }
  const filterHead: TableLines = { chains: [...FILTER_TOP_CHAINS], rules: [] };
  kubeletFirewall(rc, filterHead);
  const parts = {
    filterHead,
    natHead: { chains: [...NAT_TOP_CHAINS], rules: natFixedRules(rc) },
    filterTail: forwardRules(rc),
    natTail: buildNodePortsJumps(rc),
    shared,
    own,
  };
  // Every port's fragment, the shared ones with the node's own in their places: a copy of the
  // 10,000-entry list, made when read (a node's delta restore reads `shared` and `own` instead).
  return Object.defineProperty(parts, 'ports', {
    enumerable: true,
    configurable: true,
    get(): readonly PortFragment[] {
      const ports = shared.fragments.slice();
      for (const [i, f] of own) ports[i] = f;
      Object.defineProperty(parts, 'ports', { value: ports, enumerable: true, configurable: true, writable: true });
      return ports;
    },
  }) as typeof parts & { readonly ports: readonly PortFragment[] };
}

/**
 * The ports whose lines on `node` may differ from every other node's, in port order: an
 * endpoint's locality is read only by a policy Local (categorizeEndpoints' localSelection),
 * and hints are read on every node.
 */
function nodeSpecificPorts(memo: PayloadMemo, node: string): readonly number[] {
  const local = memo.specific.byNode.get(node) ?? [];
  const { hinted } = memo.specific;
  if (hinted.length === 0) return local;
  return [...new Set([...hinted, ...local])].sort((a, b) => a - b);
}

/** The memo's fragment lists for a node's settings: `plain` for most ports, `withNodeIP` for those that read the node IP. */
interface FragmentLists {
  readonly key: string;
  readonly plain: (PortFragment | undefined)[];
  readonly withNodeIP: () => (PortFragment | undefined)[];
}

function fragmentLists(rc: ResolvedConfig, memo: PayloadMemo): FragmentLists {
  const settings = settingsKey(rc, memo.largeClusterMode);
  const nodeIP = rc.nodeIP === undefined ? '' : formatIp(rc.nodeIP);
  const slots = (key: string): (PortFragment | undefined)[] => {
    let list = memo.fragments.get(key);
    if (list === undefined) memo.fragments.set(key, (list = new Array<PortFragment | undefined>(memo.ports.length)));
    return list;
  };
  let withNodeIP: (PortFragment | undefined)[] | undefined;
  return {
    key: memo.readsNodeIP ? `${settings}\u0000${nodeIP}` : settings,
    plain: slots(settings),
    withNodeIP: () => (withNodeIP ??= slots(`${settings}\u0000${nodeIP}`)),
  };
}

function sharedFragment(port: SharedPort, i: number, lists: FragmentLists, config: ProxierConfig, ctx: ChainContext): PortFragment {
  const list = port.readsNodeIP ? lists.withNodeIP() : lists.plain;
  return (list[i] ??= portFragment(planServicePort(port.info, port.endpoints, config), ctx));
}

/**
 * Every port's fragment as on a node of `config`'s settings that hosts none of the endpoints
 * (built once per settings, and node IP where a port reads it): the base that a node's
 * {@link buildPayloadParts} differs from only in its node-specific ports. Nodes whose settings
 * give the same `key` share the same base.
 */
export function sharedFragments(config: ProxierConfig, memo: PayloadMemo): SharedFragments {
  return sharedOf(resolveConfig(config), config, memo);
}

function sharedOf(rc: ResolvedConfig, config: ProxierConfig, memo: PayloadMemo): SharedFragments {
  const lists = fragmentLists(rc, memo);
  let fragments = memo.shared.get(lists.key);
  if (fragments === undefined) {
    const ctx: ChainContext = { rc, largeClusterMode: memo.largeClusterMode };
    fragments = memo.ports.map((port, i) => sharedFragment(port, i, lists, config, ctx));
    memo.shared.set(lists.key, fragments);
  }
  return { key: lists.key, fragments };
}

/** The payload text of the parts: what buildIptablesPayload(…).text gives for the same node. */
export function renderPayloadParts(parts: PayloadParts): string {
  const out: string[] = ['*filter', ...parts.filterHead.chains.map(chainLine), ...parts.filterHead.rules];
  for (const p of parts.ports) out.push(...p.filter);
  out.push(...parts.filterTail, 'COMMIT', '*nat', ...parts.natHead.chains.map(chainLine));
  for (const p of parts.ports) out.push(...p.natChains.map(chainLine));
  out.push(...parts.natHead.rules);
  for (const p of parts.ports) out.push(...p.natDispatch, ...p.natRules);
  out.push(...parts.natTail, 'COMMIT');
  return `${out.join('\n')}\n`;
}
