/**
 * kube-proxy on each node: Services and EndpointSlices, as kube-proxy sees them, become its
 * iptables-restore payload (src/proxy), which is loaded into the node's netfilter state with
 * `iptables-restore --noflush`, after the jump rules kube-proxy ensures in the built-in chains.
 * In nftables mode they become the `nft -f` transaction of the `kube-proxy` table instead,
 * loaded into the node's nft ruleset; nothing is written to iptables.
 */
import { formatCidr } from '../../addr/cidr.js';
import { type Family, type Ip, formatIp, ipEquals } from '../../addr/ip.js';
import { type Diagnostic, InternalError } from '../../diag/diagnostic.js';
import { type Rule, insertRule, newChain, parseNft, setNftRuleset } from '../../kernel/netfilter/index.js';
import type { TableName } from '../../kernel/events.js';
import { findChain, findTable } from '../../kernel/netfilter/state.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { parseRule } from '../../kernel/netfilter/syntax/index.js';
import { type World, getNetns } from '../../kernel/world.js';
import { deferNetfilterWrite } from '../../kernel/deferred-netfilter.js';
import { type EndpointInput, type PayloadMemo, type ProxierConfig, type ServicePortInput, buildIptablesPayload, buildNftablesTransaction, buildPayloadParts, builtinJumpSpecs, createPayloadMemo, renderPayloadParts } from '../../proxy/index.js';
import { restoreDelta } from './proxy-delta.js';
import { restorePayloadParts } from './proxy-parts.js';
import type { ClusterConfig, EndpointSlice, Node, Service } from '../objects.js';

/** kube-proxy's configuration on one node. */
export function proxierConfig(cluster: ClusterConfig, node: Node, family: Family): ProxierConfig {
  const kp = cluster.kubeProxy;
  const podCIDR = node.podCIDRs.find((c) => c.addr.family === family);
  // Dual-stack: kube-proxy's --cluster-cidr pair gives each family's proxier its own prefix.
  const clusterCIDR = kp.clusterCIDR === undefined || kp.clusterCIDR.addr.family === family ? kp.clusterCIDR : cluster.secondary?.clusterCIDR;
  const detectValue: Record<string, string | undefined> = {
    ClusterCIDR: clusterCIDR !== undefined ? formatCidr(clusterCIDR) : undefined,
    NodeCIDR: podCIDR !== undefined ? formatCidr(podCIDR) : undefined,
    BridgeInterface: kp.bridgeInterface,
    InterfaceNamePrefix: kp.interfaceNamePrefix,
  };
  const value = detectValue[kp.detectLocalMode];
  const zone = node.labels['topology.kubernetes.io/zone'];
  return {
    nodeName: node.name,
    // GetNodeIPs reads the interfaces: every address of the node, the primary first.
    nodeIPs: [...node.internalIPs, ...(node.extraAddresses ?? []), ...(node.extraInterfaces ?? []).flatMap((d) => d.addresses)].map((a) => formatIp('addr' in a ? a.addr : a)),
    family,
    detectLocal: value === undefined ? { mode: 'None' } : { mode: kp.detectLocalMode, value },
    masqueradeAll: kp.masqueradeAll,
    masqueradeBit: kp.masqueradeBit,
    localhostNodePorts: kp.localhostNodePorts,
    // `primary`: server.go's one host CIDR per family of the node's primary IPs.
    nodePortAddresses: kp.nodePortPrimary === true
      ? node.internalIPs.map((a) => `${formatIp(a)}/${a.family === 4 ? 32 : 128}`)
      : kp.nodePortAddresses.map(formatCidr),
    ...(kp.randomFully === undefined ? {} : { randomFully: kp.randomFully }),
    ...(kp.nfacct === undefined ? {} : { nfacct: kp.nfacct }),
    // CategorizeEndpoints compares zone hints with the node's zone label.
    ...(zone === undefined ? {} : { topology: { zone } }),
    serviceCIDRs: [formatCidr(cluster.serviceCIDR)],
  };
}

/**
 * The ingress IPs kube-proxy writes rules for: those in `ipMode: VIP` (the default). An ingress in
 * `ipMode: Proxy` is the load balancer's to answer (newBaseServiceInfo skips it: `!IsVIPMode`).
 */
function vipModeIngress(svc: Service): readonly Ip[] {
  const proxied = svc.loadBalancerProxyIPs ?? [];
  return svc.loadBalancerIngress.filter((a) => !proxied.some((p) => ipEquals(p, a)));
}

/** The service ports of one family, as kube-proxy's ServicePortName map sees them. */
export function servicePortInputs(services: readonly Service[], family: Family): ServicePortInput[] {
  const out: ServicePortInput[] = [];
  for (const svc of services) {
    if (svc.type === 'ExternalName' || svc.headless) continue;
    const clusterIP = svc.clusterIPs.find((a) => a.family === family);
    if (clusterIP === undefined) continue;
    for (const p of svc.ports) {
      out.push({
        namespace: svc.namespace,
        name: svc.name,
        portName: p.name,
        protocol: p.protocol,
        clusterIP: formatIp(clusterIP),
        port: p.port,
        ...(p.nodePort !== undefined && svc.type !== 'ClusterIP' ? { nodePort: p.nodePort } : {}),
        externalIPs: svc.externalIPs.filter((a) => a.family === family).map(formatIp),
        loadBalancerIPs: svc.type === 'LoadBalancer' ? vipModeIngress(svc).filter((a) => a.family === family).map(formatIp) : [],
        loadBalancerSourceRanges: svc.loadBalancerSourceRanges.filter((c) => c.addr.family === family).map(formatCidr),
        sessionAffinity: svc.sessionAffinity,
        sessionAffinityTimeoutSeconds: svc.sessionAffinityTimeoutSeconds,
        internalTrafficPolicy: svc.internalTrafficPolicy,
        externalTrafficPolicy: svc.externalTrafficPolicy,
        ...(svc.healthCheckNodePort !== undefined ? { healthCheckNodePort: svc.healthCheckNodePort } : {}),
        type: svc.type,
      });
    }
  }
  return out;
}

/**
 * Endpoints per `ns/name:port` from the slices (an endpoint belongs to a port of the same name
 * and protocol). The slices are indexed by Service once, as kube-proxy's EndpointSliceCache
 * keys them by ServicePortName, instead of scanning every slice for each Service port.
 */
export function endpointsBySpn(services: readonly Service[], slices: readonly EndpointSlice[], family: Family): Map<string, EndpointInput[]> {
  const out = new Map<string, EndpointInput[]>();
  const addressType = family === 4 ? 'IPv4' : 'IPv6';
  const byService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    if (slice.addressType !== addressType) continue;
    const key = `${slice.namespace}/${slice.serviceName}`;
    const list = byService.get(key);
    if (list === undefined) byService.set(key, [slice]);
    else list.push(slice);
  }
  for (const svc of services) {
    const own = byService.get(`${svc.namespace}/${svc.name}`) ?? [];
    for (const p of svc.ports) {
      const spn = p.name === '' ? `${svc.namespace}/${svc.name}` : `${svc.namespace}/${svc.name}:${p.name}`;
      const eps: EndpointInput[] = [];
      for (const slice of own) {
        const sp = slice.ports.find((x) => x.name === p.name && x.protocol === p.protocol);
        if (sp === undefined) continue;
        for (const ep of slice.endpoints) {
          for (const a of ep.addresses) {
            eps.push({
              ip: formatIp(a),
              port: sp.port,
              ...ep.conditions,
              ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
              ...(ep.hints === undefined ? {} : { zoneHints: ep.hints.forZones, nodeHints: ep.hints.forNodes }),
            });
          }
        }
      }
      out.set(spn, eps);
    }
  }
  return out;
}

/** kube-proxy's start-up: the chains it jumps to, and the jumps, each inserted at position 1. */
export function ensureKubeProxyJumps(world: World, node: string, family: Family): void {
  const nf = getNetns(world, node).netfilter;
  for (const jump of builtinJumpSpecs()) {
    const table = findTable(nf, family, jump.table);
    if (table === undefined || findChain(table, jump.target) === undefined) newChain(nf, family, jump.table, jump.target);
    insertRule(nf, family, jump.table, jump.chain, jumpRule(jump.rule, family, jump.table), 1);
  }
}

/** The jump rules, parsed once per family and table (they are the same on every node; rules are immutable). */
const jumpRules = new Map<string, Rule>();

function jumpRule(text: string, family: Family, table: TableName): Rule {
  const key = `${family} ${table} ${text}`;
  const hit = jumpRules.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseRule(text, { file: 'kube-proxy', family, table });
  const rule = parsed.value?.rules[0];
  if (rule === undefined || parsed.diagnostics.length > 0) throw new InternalError(`kube-proxy jump does not parse: ${text}`);
  jumpRules.set(key, rule);
  return rule;
}

/** What every node's kube-proxy sees alike: the service ports and their endpoints (computed once per family). */
export interface KubeProxyView {
  readonly servicePorts: readonly ServicePortInput[];
  readonly endpoints: ReadonlyMap<string, EndpointInput[]>;
}

/** The service ports and endpoints of one family, for every node's sync. */
export function kubeProxyView(services: readonly Service[], slices: readonly EndpointSlice[], family: Family): KubeProxyView {
  return { servicePorts: servicePortInputs(services, family), endpoints: endpointsBySpn(services, slices, family) };
}

/** What one kube-proxy sync on a node needs. */
export interface KubeProxySync {
  readonly cluster: ClusterConfig;
  readonly node: Node;
  readonly view: KubeProxyView;
  readonly family: Family;
  /** A later sync, which reads the nat chains that exist (iptables-save) so that those of removed
   * endpoints and services are flushed and deleted (`-X`), as syncProxyRules does. */
  readonly resync?: boolean;
  /** Told which way a shared sync's restore went (proxy-delta.ts). */
  readonly onRestore?: (path: 'delta' | 'full', why?: string) => void;
}

/** One kube-proxy sync on a node: builds the payload and restores it with --noflush (see `resync`). */
export function syncKubeProxy(world: World, input: KubeProxySync): { payload: string; diagnostics: readonly Diagnostic[] } {
  const config = proxierConfig(input.cluster, input.node, input.family);
  if (input.cluster.kubeProxy.mode === 'nftables') return syncNftables(world, input.node.name, config, input.view, input.resync === true);
  const nat = input.resync === true ? findTable(getNetns(world, input.node.name).netfilter, input.family, 'nat') : undefined;
  const existing = nat === undefined ? {} : { existingNatChains: nat.chains.map((c) => c.name) };
  const payload = buildIptablesPayload(config, input.view.servicePorts, input.view.endpoints, existing).text;
  const nf = getNetns(world, input.node.name).netfilter;
  const r = iptablesRestore(nf, payload, { file: 'kube-proxy', family: input.family, noflush: true });
  return { payload, diagnostics: r.diagnostics };
}

/**
 * kube-proxy's syncs on one node (one per family), deferred until the node's netfilter state is
 * first read (kernel/deferred-netfilter.ts): a trace or `show node-7` then pays for the nodes it
 * reads, not for every node. The first family's payload appears in `payloads[node]` on first
 * read too. The payloads are generated from validated objects, so a restore that fails is
 * netsim's bug: it surfaces as an InternalError where the eager build reports
 * KUBE_PROXY_RESTORE_FAILED.
 */
export function deferKubeProxySyncs(world: World, payloads: Record<string, string>, syncs: readonly KubeProxySync[]): void {
  const first = syncs[0];
  if (first === undefined) return;
  const node = first.node.name;
  const ns = getNetns(world, node);
  let payload: () => string = () => '';
  for (const sync of syncs) {
    deferNetfilterWrite(ns, () => {
      const r = syncKubeProxyShared(world, sync);
      const problem = r.diagnostics[0];
      if (problem !== undefined) throw new InternalError(`kube-proxy on ${node}: ${problem.message}`);
      if (sync === first) payload = r.payload;
    });
  }
  let text: string | undefined;
  Object.defineProperty(payloads, node, {
    enumerable: true,
    configurable: true,
    get: (): string => {
      void ns.netfilter; // runs the deferred syncs, once
      return (text ??= payload());
    },
  });
}

const memos = new WeakMap<KubeProxyView, PayloadMemo>();

/**
 * A full iptables sync through the payload every node shares (proxy/iptables/shared-payload.ts
 * and proxy-parts.ts): the same state as syncKubeProxy's restore of the text, at the cost of
 * the node's own fragments; the text is rendered only when asked for. nftables mode and
 * resyncs take syncKubeProxy's way.
 */
export function syncKubeProxyShared(world: World, input: KubeProxySync): { payload: () => string; diagnostics: readonly Diagnostic[] } {
  if (input.cluster.kubeProxy.mode !== 'iptables' || input.resync === true) {
    const r = syncKubeProxy(world, input);
    return { payload: () => r.payload, diagnostics: r.diagnostics };
  }
  let memo = memos.get(input.view);
  if (memo === undefined) {
    memo = createPayloadMemo(input.family, input.view.servicePorts, input.view.endpoints);
    memos.set(input.view, memo);
  }
  const config = proxierConfig(input.cluster, input.node, input.family);
  const parts = buildPayloadParts(config, memo);
  const nf = getNetns(world, input.node.name).netfilter;
  // Most nodes: the settings' shared tables with the node's own ports in place (proxy-delta.ts).
  const diagnostics = restoreDelta(nf, parts, memo, input.onRestore === undefined ? {} : { onPath: input.onRestore }) ? [] : restorePayloadParts(nf, parts, memo);
  // The text is rendered from parts built again when asked for (buildPayloadParts is a function of
  // the settings and the memo): a node's parts hold a copy of every port's fragment list (10,000
  // entries), which the closure would otherwise keep for as long as the node lives.
  return { payload: () => renderPayloadParts(buildPayloadParts(config, memo)), diagnostics };
}

/**
 * nftables mode: `nft -f` of the transaction on top of the node's current ruleset. The
 * transaction is written for an empty table, so a resync replaces kube-proxy's table of that
 * family (the real proxier flushes and re-adds its chains and maps instead; the set elements
 * the packet path added, such as ClientIP affinity, are kept either way: setNftRuleset keeps
 * the dynamic elements of sets that still exist).
 */
function syncNftables(world: World, node: string, config: ProxierConfig, view: KubeProxyView, resync: boolean): { payload: string; diagnostics: readonly Diagnostic[] } {
  const payload = buildNftablesTransaction(config, view.servicePorts, view.endpoints).text;
  const nft = getNetns(world, node).netfilter.nft;
  const family = config.family === 4 ? 'ip' : 'ip6';
  const base = resync ? { ...nft.ruleset, tables: nft.ruleset.tables.filter((t) => !(t.family === family && t.name === 'kube-proxy')) } : nft.ruleset;
  const r = parseNft(payload, { file: 'kube-proxy', base });
  // nft applies a transaction with errors not at all.
  if (r.diagnostics.length === 0) setNftRuleset(nft, r.value);
  return { payload, diagnostics: r.diagnostics };
}
