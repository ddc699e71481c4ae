/**
 * A Service port as the iptables proxier uses it (pkg/proxy/serviceport.go plus the proxier's
 * servicePortInfo): addresses filtered to the proxier's family and rendered canonically,
 * policies resolved, chain names precomputed.
 */
import { type Family, formatIp, networkOf, parseCidr, parseIp } from '../../addr/index.js';
import type { ServicePortInput } from '../types.js';
import {
  protocolLower,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortChainName,
  servicePortLocalChainName,
  servicePortNameString,
} from './naming.js';

/** The API default for `sessionAffinityConfig.clientIP.timeoutSeconds`. */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

/** A normalised service port. Empty lists and 0 ports mean "none". */
export interface ServicePortInfo {
  /** `ns/name:port`, used in comments and hashes. */
  readonly spn: string;
  /** Lower-case protocol (`tcp`). */
  readonly protocol: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly sourceRanges: readonly string[];
  /** ClientIP affinity timeout in seconds; undefined without affinity. */
  readonly affinityTimeout: number | undefined;
  readonly internalPolicyLocal: boolean;
  readonly externalPolicyLocal: boolean;
  readonly externallyAccessible: boolean;
  readonly usesClusterEndpoints: boolean;
  readonly usesLocalEndpoints: boolean;
  /** 0 unless the service is a LoadBalancer with externalTrafficPolicy Local. */
  readonly healthCheckNodePort: number;
  readonly chains: { readonly svc: string; readonly svl: string; readonly ext: string; readonly fw: string };
}

/** Parses leniently, keeps only the proxier's family, formats canonically. */
export function canonicalIPs(texts: readonly string[] | undefined, family: Family): string[] {
  const out: string[] = [];
  for (const text of texts ?? []) {
    const parsed = parseIp(text);
    if (parsed !== undefined && parsed.family === family) out.push(formatIp(parsed));
  }
  return out;
}

/** As canonicalIPs, for CIDRs: trimmed, host bits cleared (`203.0.113.000/025` → `203.0.113.0/25`). */
export function canonicalCIDRs(texts: readonly string[] | undefined, family: Family): string[] {
  const out: string[] = [];
  for (const text of texts ?? []) {
    const parsed = parseCidr(text.trim());
    if (parsed !== undefined && parsed.addr.family === family) {
      out.push(`${formatIp(networkOf(parsed))}/${parsed.prefix}`);
    }
  }
  return out;
}

/**
 * externalTrafficPolicy Local applies only where there is something external to apply it to:
 * NodePort and LoadBalancer services, or any service with externalIPs (pkg/apis/core/v1/helper).
 */
function isExternalPolicyLocal(input: ServicePortInput): boolean {
  const external = input.type === 'NodePort' || input.type === 'LoadBalancer' || (input.externalIPs ?? []).length > 0;
  return external && input.externalTrafficPolicy === 'Local';
}

/**
 * Normalises one service port for a proxier of `family`. Returns undefined for ports kube-proxy
 * ignores: headless services and ClusterIPs of the other family.
 */
export function toServicePortInfo(input: ServicePortInput, family: Family): ServicePortInfo | undefined {
  const clusterIP = parseIp(input.clusterIP);
  if (clusterIP === undefined || clusterIP.family !== family) return undefined;
  const spn = servicePortNameString(input.namespace, input.name, input.portName);
  const protocol = protocolLower(input.protocol);
  const externalIPs = canonicalIPs(input.externalIPs, family);
  const loadBalancerVIPs = canonicalIPs(input.loadBalancerIPs, family);
  const nodePort = input.nodePort ?? 0;
  const internalPolicyLocal = input.internalTrafficPolicy === 'Local';
  const externalPolicyLocal = isExternalPolicyLocal(input);
  const externallyAccessible = nodePort !== 0 || loadBalancerVIPs.length > 0 || externalIPs.length > 0;
  const honourHealthCheck = input.type === 'LoadBalancer' && externalPolicyLocal;
  let chains: ServicePortInfo['chains'] | undefined;
  return {
    spn,
    protocol,
    clusterIP: formatIp(clusterIP),
    port: input.port,
    nodePort,
    externalIPs,
    loadBalancerVIPs,
    sourceRanges: canonicalCIDRs(input.loadBalancerSourceRanges, family),
    affinityTimeout:
      input.sessionAffinity === 'ClientIP'
        ? (input.sessionAffinityTimeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS)
        : undefined,
    internalPolicyLocal,
    externalPolicyLocal,
    externallyAccessible,
    usesClusterEndpoints: !internalPolicyLocal || externallyAccessible,
    usesLocalEndpoints: internalPolicyLocal || (externalPolicyLocal && externallyAccessible),
    healthCheckNodePort: honourHealthCheck ? (input.healthCheckNodePort ?? 0) : 0,
    // Hashed on first use: nftables mode never reads the iptables names.
    get chains() {
      return (chains ??= {
        svc: servicePortChainName(spn, protocol),
        svl: servicePortLocalChainName(spn, protocol),
        ext: serviceExternalChainName(spn, protocol),
        fw: serviceFirewallChainName(spn, protocol),
      });
    },
  };
}
