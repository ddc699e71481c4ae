/**
 * buildNftablesTransaction: one full sync of kube-proxy's nftables proxier
 * (pkg/proxy/nftables/proxier.go syncProxyRules) as a pure function from its view of the world
 * to the `nft -f` text for the `ip kube-proxy` or `ip6 kube-proxy` table.
 *
 * The text is the transaction as upstream's tests state it (knftables' fake: every `add`, no
 * `flush`), in the order of their expected output, so that it loads into an empty table; the
 * real proxier also flushes each chain it re-adds and creates some objects in another order,
 * which only changes the order `nft list ruleset` lists chains in. Services are written in
 * input order (kube-proxy walks a Go map).
 */
import { cidrContains, parseCidr } from '../../addr/index.js';
import { isLoopback, resolveConfig } from '../iptables/config.js';
import { canonicalCIDRs } from '../iptables/service-port.js';
import { planServicePort } from '../iptables/plan.js';
import { collectPorts } from '../ports.js';
import type { EndpointsBySPN, ProxierConfig, ServicePortInput } from '../types.js';
import { writeBase } from './base.js';
import { nftLocalDetector } from './detector.js';
import { type ServiceContext, nftNames, writeServicePort } from './service.js';
import { Tx } from './tx.js';

/** The transaction text and its lines. */
export interface NftablesTransaction {
  readonly lines: readonly string[];
  /** Newline-terminated: what kube-proxy hands to `nft -f -`. */
  readonly text: string;
}

/** Builds the `nft -f` transaction kube-proxy in nftables mode writes for one family. */
export function buildNftablesTransaction(config: ProxierConfig, servicePorts: readonly ServicePortInput[], endpointsBySPN: EndpointsBySPN): NftablesTransaction {
  const rc = resolveConfig(config);
  const tx = new Tx(rc.family === 6 ? { ipX: 'ip6', addrType: 'ipv6_addr' } : { ipX: 'ip', addrType: 'ipv4_addr' });
  // Localhost NodePorts do not exist in nftables mode: loopback node-port addresses are skipped.
  const nodePortIPs = rc.nodePortMatchAll ? undefined : rc.nodePortIPs.filter((ip) => !isLoopback(ip));
  writeBase(tx, { mark: rc.masqueradeMark, serviceCIDRs: canonicalCIDRs(config.serviceCIDRs, rc.family), nodePortIPs });
  const nodeIP = rc.nodeIP;
  const ctx: ServiceContext = {
    tx,
    detector: nftLocalDetector(config),
    masqueradeAll: rc.masqueradeAll,
    cidrContainsNode: (text) => {
      const c = parseCidr(text);
      return c !== undefined && nodeIP !== undefined && cidrContains(c, nodeIP);
    },
  };
  for (const { input, info, endpoints } of collectPorts(config, rc.family, servicePorts, endpointsBySPN)) {
    const names = nftNames({ namespace: input.namespace, name: input.name, portName: input.portName, protocol: info.protocol });
    writeServicePort(planServicePort(info, endpoints, config), names, ctx);
  }
  return { lines: tx.lines, text: tx.text };
}
