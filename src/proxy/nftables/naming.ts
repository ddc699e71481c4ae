/**
 * Names in kube-proxy's nftables table (pkg/proxy/nftables/proxier.go: hashAndTruncate,
 * servicePortChainNameBase, servicePortEndpointChainNameBase). nft names may be 256 characters,
 * so unlike iptables mode the names keep the readable service name after an 8-character hash:
 * `service-ULMVA6XW-ns1/svc1/tcp/p80`.
 */
import { base32Std, sha256Bytes } from '../../hash/index.js';

/** knftables.NameLengthMax (256) minus the longest prefix kube-proxy puts before a base name (16). */
export const CHAIN_NAME_BASE_LENGTH_MAX = 256 - 16;

/** The table every object lives in, in the `ip` or `ip6` family. */
export const KUBE_PROXY_TABLE = 'kube-proxy';

/** Prefixes of the per-service-port and per-endpoint objects. */
export const NFT_PREFIX = {
  service: 'service-',
  local: 'local-',
  external: 'external-',
  firewall: 'firewall-',
  endpoint: 'endpoint-',
  affinity: 'affinity-',
} as const;

/** hashAndTruncate: `base32(sha256(name))[:8]-name`, cut to 237 characters plus `...` when too long. */
export function hashAndTruncate(name: string): string {
  const full = `${base32Std(sha256Bytes(name)).slice(0, 8)}-${name}`;
  return full.length > CHAIN_NAME_BASE_LENGTH_MAX ? `${full.slice(0, CHAIN_NAME_BASE_LENGTH_MAX - 3)}...` : full;
}

/** What names a service port: its namespace, name, port name and lower-case protocol. */
export interface PortName {
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  readonly protocol: string;
}

/** servicePortChainNameBase: `HASH-ns/name/proto/portName`. */
export function servicePortChainNameBase(p: PortName): string {
  return hashAndTruncate(`${p.namespace}/${p.name}/${p.protocol}/${p.portName}`);
}

/**
 * servicePortEndpointChainNameBase: `HASH-ns/name/proto/portName__IP/port`. `endpoint` is
 * `IP:port` or `[IPv6]:port`; an IPv6 address's colons become dots (nft names cannot hold `:`).
 */
export function servicePortEndpointChainNameBase(p: PortName, endpoint: string): string {
  const sep = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, sep).replace(/^\[|\]$/g, '').replaceAll(':', '.');
  const port = endpoint.slice(sep + 1);
  return hashAndTruncate(`${p.namespace}/${p.name}/${p.protocol}/${p.portName}__${host}/${port}`);
}

/** The per-service-port chains (isServiceChainName: every one holds a `/`). */
export function isServiceChainName(chain: string): boolean {
  return chain.includes('/');
}
