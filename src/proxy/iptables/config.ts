/**
 * ProxierConfig with its defaults applied and the derived values that NewProxier computes once
 * (masquerade mark, node-port addresses, effective localhost NodePorts, local detector).
 */
import { type Cidr, type Family, type Ip, cidrContains, formatIp, parseCidr, parseIp } from '../../addr/index.js';
import type { ProxierConfig } from '../types.js';
import { type LocalDetector, localDetector } from './local-detector.js';

/** Default `--iptables-masquerade-bit`. */
export const DEFAULT_MASQUERADE_BIT = 14;

/** The configuration as the rule builders read it. */
export interface ResolvedConfig {
  readonly config: ProxierConfig;
  readonly family: Family;
  /** The primary node IP (first of the family), used by the KUBE-FW "allow from node" rule. */
  readonly nodeIP: Ip | undefined;
  /** `0x4000` for bit 14, in the form iptables-save prints (see docs/kube-proxy.md). */
  readonly masqueradeMark: string;
  readonly masqueradeAll: boolean;
  /** After NewProxier's check that the node-port addresses include IPv4 loopback. */
  readonly localhostNodePorts: boolean;
  readonly randomFully: boolean;
  readonly nfacct: boolean;
  readonly conntrackTCPLiberal: boolean;
  /** True when `--nodeport-addresses` is unset or contains the zero CIDR of the family. */
  readonly nodePortMatchAll: boolean;
  /** Node addresses inside `--nodeport-addresses` (empty when match-all). */
  readonly nodePortIPs: readonly string[];
  readonly detector: LocalDetector | undefined;
}

interface NodePortAddresses {
  readonly matchAll: boolean;
  readonly cidrs: readonly Cidr[];
  readonly containsIPv4Loopback: boolean;
}

const IPV4_LOOPBACK_START = parseIp('127.0.0.0');

/** NewNodePortAddresses: keep the family's CIDRs; none, or a zero CIDR, means match-all. */
function nodePortAddresses(texts: readonly string[], family: Family): NodePortAddresses {
  const cidrs = texts.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== undefined && c.addr.family === family);
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c.prefix === 0);
  const containsIPv4Loopback =
    family === 4 && (matchAll || cidrs.some((c) => isLoopbackIp(c.addr) || (IPV4_LOOPBACK_START !== undefined && cidrContains(c, IPV4_LOOPBACK_START))));
  return { matchAll, cidrs: matchAll ? [] : cidrs, containsIPv4Loopback };
}

/**
 * GetNodeIPs: the node's interface addresses (loopback plus `nodeIPs`) inside the CIDRs,
 * CIDR by CIDR, without duplicates. (Upstream collects them in a map, so its order is random.)
 */
function nodeIPsIn(cidrs: readonly Cidr[], config: ProxierConfig): string[] {
  const candidates = ['127.0.0.1', '::1', ...config.nodeIPs]
    .map((t) => parseIp(t))
    .filter((a): a is Ip => a !== undefined);
  const out: string[] = [];
  for (const c of cidrs) {
    for (const addr of candidates) {
      const text = formatIp(addr);
      if (cidrContains(c, addr) && !out.includes(text)) out.push(text);
    }
  }
  return out;
}

/** Applies defaults and derives what the builders need. */
export function resolveConfig(config: ProxierConfig): ResolvedConfig {
  const family = config.family;
  const npa = nodePortAddresses(config.nodePortAddresses ?? [], family);
  const bit = config.masqueradeBit ?? DEFAULT_MASQUERADE_BIT;
  const nodeIP = config.nodeIPs.map((t) => parseIp(t)).find((a) => a !== undefined && a.family === family);
  return {
    config,
    family,
    nodeIP,
    masqueradeMark: `0x${(2 ** bit).toString(16)}`,
    masqueradeAll: config.masqueradeAll ?? false,
    localhostNodePorts: (config.localhostNodePorts ?? true) && npa.containsIPv4Loopback,
    randomFully: config.randomFully ?? true,
    nfacct: config.nfacct ?? false,
    conntrackTCPLiberal: config.conntrackTCPLiberal ?? false,
    nodePortMatchAll: npa.matchAll,
    nodePortIPs: npa.matchAll ? [] : nodeIPsIn(npa.cidrs, config),
    detector: localDetector(config),
  };
}

/** True for 127.0.0.0/8 and ::1 (Go's net.IP.IsLoopback). */
export function isLoopbackIp(addr: Ip): boolean {
  return addr.family === 4 ? addr.value >> 24n === 127n : addr.value === 1n;
}

/** isLoopbackIp for text; false when the text is not an address. */
export function isLoopback(text: string): boolean {
  const addr = parseIp(text);
  return addr !== undefined && isLoopbackIp(addr);
}
