/**
 * Chain names, as kube-proxy derives them (pkg/proxy/iptables/proxier.go: portProtoHash,
 * servicePortEndpointChainName). iptables chain names are at most 28 characters, so the
 * per-service and per-endpoint chains carry a 16-character hash instead of the service name.
 */
import { base32Std, base32StdPrefix, sha256Bytes } from '../../hash/index.js';
import type { Protocol } from '../types.js';

/** nat: dispatch on destination IP and port; filter: REJECT/DROP for ClusterIPs. */
export const KUBE_SERVICES = 'KUBE-SERVICES';
/** filter: REJECT/DROP for externalIPs, LB IPs and NodePorts without usable endpoints. */
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
/** nat: dispatch on NodePort; filter: ACCEPT health-check node ports. */
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
/** nat: turns the masquerade mark into MASQUERADE. */
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
/** nat: sets the masquerade mark. */
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
/** filter: INVALID drop and ACCEPT of marked and established traffic. */
export const KUBE_FORWARD = 'KUBE-FORWARD';
/** filter: drops LB traffic that KUBE-FW-… did not let through. */
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
/** filter: kubelet's anti-martian rule, duplicated by kube-proxy. */
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

/** Prefixes of the per-service-port chains. */
export const CHAIN_PREFIX = {
  svc: 'KUBE-SVC-',
  svl: 'KUBE-SVL-',
  ext: 'KUBE-EXT-',
  fw: 'KUBE-FW-',
  sep: 'KUBE-SEP-',
} as const;

/** Go's base32.StdEncoding (the hash layer's; re-exported for this folder's callers). */
export { base32Std };

/**
 * Names already hashed: a name depends only on its text, and every node of a cluster (and every
 * sync) names the same Services' chains, so each text is hashed once. Bounded: cleared when full.
 */
const hashed = new Map<string, string>();
const MAX_HASHED = 1 << 20;

/** `base32(sha256(text))[:16]`; padding never shows, since 16 < 52 encoded characters. */
export function hash16(text: string): string {
  const hit = hashed.get(text);
  if (hit !== undefined) return hit;
  const name = base32StdPrefix(sha256Bytes(text), 16);
  if (hashed.size >= MAX_HASHED) hashed.clear();
  hashed.set(text, name);
  return name;
}

/** The service port name string: `ns/name:portName`, or `ns/name` for an unnamed port. */
export function servicePortNameString(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
}

/** The lower-case protocol used in rules and hashes (`tcp`, `udp`, `sctp`). */
export function protocolLower(protocol: Protocol): string {
  return protocol.toLowerCase();
}

/** The hash shared by KUBE-SVC/SVL/EXT/FW: `base32(sha256(SPN + protocol))[:16]`. */
export function portProtoHash(spn: string, protocol: string): string {
  return hash16(spn + protocol);
}

/** KUBE-SVC-…: Cluster traffic policy endpoint selection. */
export function servicePortChainName(spn: string, protocol: string): string {
  return CHAIN_PREFIX.svc + portProtoHash(spn, protocol);
}

/** KUBE-SVL-…: Local traffic policy endpoint selection. */
export function servicePortLocalChainName(spn: string, protocol: string): string {
  return CHAIN_PREFIX.svl + portProtoHash(spn, protocol);
}

/** KUBE-EXT-…: entry point for NodePort, externalIP and load-balancer traffic. */
export function serviceExternalChainName(spn: string, protocol: string): string {
  return CHAIN_PREFIX.ext + portProtoHash(spn, protocol);
}

/** KUBE-FW-…: loadBalancerSourceRanges filter. */
export function serviceFirewallChainName(spn: string, protocol: string): string {
  return CHAIN_PREFIX.fw + portProtoHash(spn, protocol);
}

/** KUBE-SEP-…: one endpoint; `endpoint` is the canonical `IP:port` or `[IPv6]:port`. */
export function servicePortEndpointChainName(spn: string, protocol: string, endpoint: string): string {
  return CHAIN_PREFIX.sep + hash16(spn + protocol + endpoint);
}

/** True for the per-service-port chains that kube-proxy creates and deletes itself. */
export function isServiceChainName(chain: string): boolean {
  return Object.values(CHAIN_PREFIX).some((prefix) => chain.startsWith(prefix));
}
