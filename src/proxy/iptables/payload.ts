/**
 * buildIptablesPayload: one full sync of kube-proxy's iptables proxier (syncProxyRules), as a
 * pure function from its view of the world to the `iptables-restore --noflush` payload.
 *
 * Emission order follows kube-proxy: the top-level chains and fixed rules first, then, per
 * service port, its dispatch rules and its own chains (EXT, FW, SVC, SVL, SEPs), then the final
 * KUBE-SERVICES → KUBE-NODEPORTS jump and the KUBE-FORWARD rules. kube-proxy walks its service
 * map in Go's random map order; we walk `servicePorts` in the order given.
 */
import { collectPorts } from '../ports.js';
import type { EndpointsBySPN, ProxierConfig, ServicePortInput } from '../types.js';
import { resolveConfig } from './config.js';
import { buildExternalChain } from './ext-chain.js';
import { FILTER_TOP_CHAINS, NAT_TOP_CHAINS, forwardRules, kubeletFirewall, natFixedRules } from './fixed-rules.js';
import { buildFirewallChain } from './fw-chain.js';
import { isServiceChainName } from './naming.js';
import { type PortPlan, planServicePort } from './plan.js';
import { type PayloadLines, type TableLines, chainLine } from './rule.js';
import { buildEndpointChain } from './sep-chain.js';
import { buildDispatchRules, buildNodePortsJumps } from './services-chain.js';
import { type ChainContext, buildClusterIPMasqRule, buildEndpointSelection } from './svc-chain.js';

/** Above this many endpoints in total, kube-proxy leaves comments off per-endpoint rules. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

/** What the proxier knows about the kernel's current state. */
export interface SyncOptions {
  /**
   * The nat chains that exist before this sync (as `iptables-save -t nat` lists them). Those of
   * kube-proxy's per-service chains that this sync does not write are flushed and deleted
   * (`:CHAIN - [0:0]` then `-X CHAIN`). kube-proxy does this on every sync, except in
   * large-cluster mode where it waits a sync period between cleanups.
   */
  readonly existingNatChains?: readonly string[];
}

/** The payload: each table's lines (from `*table` to `COMMIT`) and the whole text. */
export interface IptablesPayload {
  readonly filter: readonly string[];
  readonly nat: readonly string[];
  /** `filter` then `nat`, newline-terminated: what kube-proxy pipes into iptables-restore. */
  readonly text: string;
}

/**
 * One service port's share of a sync: its dispatch rules in the top-level chains of both tables,
 * then the nat chains it owns (declared in kube-proxy's order) with their rules.
 */
export interface PortFragment {
  readonly filter: readonly string[];
  readonly natDispatch: readonly string[];
  readonly natChains: readonly string[];
  readonly natRules: readonly string[];
}

/** The lines one planned service port writes (the body of syncProxyRules' loop over services). */
export function portFragment(plan: PortPlan, ctx: ChainContext): PortFragment {
  const { info, endpoints } = plan;
  const dispatch = buildDispatchRules(plan, ctx.rc);
  const nat: TableLines = { chains: [], rules: [...buildClusterIPMasqRule(plan, ctx)] };
  if (plan.usesExternalTrafficChain) nat.chains.push(info.chains.ext);
  nat.rules.push(...buildExternalChain(plan, ctx));
  if (plan.usesFWChain) nat.chains.push(info.chains.fw);
  nat.rules.push(...buildFirewallChain(plan, ctx));
  if (plan.usesClusterPolicyChain) {
    nat.chains.push(info.chains.svc);
    nat.rules.push(...buildEndpointSelection(plan, info.chains.svc, endpoints.cluster, ctx));
  }
  if (plan.usesLocalPolicyChain) {
    nat.chains.push(info.chains.svl);
    nat.rules.push(...buildEndpointSelection(plan, info.chains.svl, endpoints.local, ctx));
  }
  for (const ep of endpoints.allReachable) {
    nat.chains.push(ep.chain);
    nat.rules.push(...buildEndpointChain(plan, ep, ctx));
  }
  return { filter: dispatch.filter, natDispatch: dispatch.nat, natChains: nat.chains, natRules: nat.rules };
}

/** Appends a port's fragment to the two tables, in emission order. */
export function pushFragment(filter: TableLines, nat: TableLines, f: PortFragment): void {
  filter.rules.push(...f.filter);
  nat.rules.push(...f.natDispatch);
  nat.chains.push(...f.natChains);
  nat.rules.push(...f.natRules);
}

/** Flushes and deletes the stale per-service chains (kube-proxy leaves other chains alone). */
function deleteStaleChains(nat: TableLines, existing: readonly string[]): void {
  const active = new Set(nat.chains);
  for (const chain of new Set(existing)) {
    if (active.has(chain) || !isServiceChainName(chain)) continue;
    nat.chains.push(chain);
    nat.rules.push(`-X ${chain}`);
  }
}

/** Builds both tables' chains and rules (data, before rendering). */
export function buildPayloadLines(
  config: ProxierConfig,
  servicePorts: readonly ServicePortInput[],
  endpointsBySPN: EndpointsBySPN,
  options: SyncOptions = {},
): PayloadLines {
  const rc = resolveConfig(config);
  const filter: TableLines = { chains: [...FILTER_TOP_CHAINS], rules: [] };
  const nat: TableLines = { chains: [...NAT_TOP_CHAINS], rules: natFixedRules(rc) };
  kubeletFirewall(rc, filter);
  const ports = collectPorts(config, rc.family, servicePorts, endpointsBySPN);
  const total = ports.reduce((n, p) => n + p.endpoints.length, 0);
  const ctx: ChainContext = { rc, largeClusterMode: total > LARGE_CLUSTER_ENDPOINTS_THRESHOLD };
  for (const { info, endpoints } of ports) {
    pushFragment(filter, nat, portFragment(planServicePort(info, endpoints, config), ctx));
  }
  deleteStaleChains(nat, options.existingNatChains ?? []);
  nat.rules.push(...buildNodePortsJumps(rc));
  filter.rules.push(...forwardRules(rc));
  return { filter, nat };
}

function renderTable(name: string, table: TableLines): string[] {
  return [`*${name}`, ...table.chains.map(chainLine), ...table.rules, 'COMMIT'];
}

/**
 * The `iptables-restore` payload kube-proxy writes on a full sync: `*filter`, chain lines,
 * rules, `COMMIT`, then the same for `*nat`.
 */
export function buildIptablesPayload(
  config: ProxierConfig,
  servicePorts: readonly ServicePortInput[],
  endpointsBySPN: EndpointsBySPN,
  options: SyncOptions = {},
): IptablesPayload {
  const lines = buildPayloadLines(config, servicePorts, endpointsBySPN, options);
  const filter = renderTable('filter', lines.filter);
  const nat = renderTable('nat', lines.nat);
  return { filter, nat, text: `${[...filter, ...nat].join('\n')}\n` };
}
