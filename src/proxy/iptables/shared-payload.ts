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
import { type EndpointInfo, normalizeEndpoints } from './endpoints.js';
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
}

/** The per-family memo for a set of nodes whose kube-proxy sees these services and endpoints. */
export function createPayloadMemo(family: 4 | 6, servicePorts: readonly ServicePortInput[], endpointsBySPN: EndpointsBySPN): PayloadMemo {
  // No node is named NUL, so no endpoint is local.
  const base: ProxierConfig = { nodeName: '\u0000', nodeIPs: [], family };
  const ports: SharedPort[] = [];
  let total = 0;
  for (const { info, endpoints } of collectPorts(base, family, servicePorts, endpointsBySPN)) {
    total += endpoints.length;
    const nodes = new Set<string>();
    let hinted = false;
    for (const ep of endpoints) {
      if (ep.zoneHints.size > 0 || ep.nodeHints.size > 0) hinted = true;
    }
    for (const raw of endpointsFor(endpointsBySPN, info.spn)) if (raw.nodeName !== undefined) nodes.add(raw.nodeName);
    ports.push({ info, endpoints, nodes, hinted, readsNodeIP: info.loadBalancerVIPs.length > 0 && info.sourceRanges.length > 0 });
  }
  return { servicePorts, endpointsBySPN, family, ports, largeClusterMode: total > LARGE_CLUSTER_ENDPOINTS_THRESHOLD, fragments: new Map() };
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
}

/**
 * buildPayloadLines for one node through the memo: equal output, with the fragments of ports
 * whose lines do not depend on the node built once for all nodes. A full sync only: stale-chain
 * deletion (a resync) goes through buildIptablesPayload.
 */
export function buildPayloadParts(config: ProxierConfig, memo: PayloadMemo): PayloadParts {
  const rc = resolveConfig(config);
  const ctx: ChainContext = { rc, largeClusterMode: memo.largeClusterMode };
  const settings = settingsKey(rc, memo.largeClusterMode);
  const nodeIP = rc.nodeIP === undefined ? '' : formatIp(rc.nodeIP);
  const ports: PortFragment[] = [];
  const slots = (key: string): (PortFragment | undefined)[] => {
    let list = memo.fragments.get(key);
    if (list === undefined) memo.fragments.set(key, (list = new Array<PortFragment | undefined>(memo.ports.length)));
    return list;
  };
  const plain = slots(settings);
  let withNodeIP: (PortFragment | undefined)[] | undefined;
  memo.ports.forEach((port, i) => {
    // An endpoint's locality is read only by a policy Local (categorizeEndpoints' localSelection).
    if (port.hinted || (port.info.usesLocalEndpoints && port.nodes.has(config.nodeName))) {
      // Node-specific: normalised again so that its endpoints know they are local.
      const endpoints = normalizeEndpoints(port.info, endpointsFor(memo.endpointsBySPN, port.info.spn), config);
      ports.push(portFragment(planServicePort(port.info, endpoints, config), ctx));
      return;
    }
    const list = port.readsNodeIP ? (withNodeIP ??= slots(`${settings}\u0000${nodeIP}`)) : plain;
    const fragment = (list[i] ??= portFragment(planServicePort(port.info, port.endpoints, config), ctx));
    ports.push(fragment);
  });
  const filterHead: TableLines = { chains: [...FILTER_TOP_CHAINS], rules: [] };
  kubeletFirewall(rc, filterHead);
  return {
    filterHead,
    natHead: { chains: [...NAT_TOP_CHAINS], rules: natFixedRules(rc) },
    ports,
    filterTail: forwardRules(rc),
    natTail: buildNodePortsJumps(rc),
  };
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
