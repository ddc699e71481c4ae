/**
 * The per-service-port decisions of syncProxyRules (reference note §5, "Derived flags"): which
 * chains exist, where internal and external traffic goes, and what the filter table does when
 * there is nowhere to send it. Every chain builder reads a PortPlan; none re-derives it.
 */
import type { ProxierConfig } from '../types.js';
import { type CategorizedEndpoints, type EndpointInfo, categorizeEndpoints } from './endpoints.js';
import type { ServicePortInfo } from './service-port.js';

/** Target and comment of a filter-table rule for traffic that has no usable endpoint. */
export interface FilterVerdict {
  readonly target: 'REJECT' | 'DROP';
  readonly comment: string;
}

/** Everything the chain builders need to know about one service port. */
export interface PortPlan {
  readonly info: ServicePortInfo;
  readonly endpoints: CategorizedEndpoints;
  readonly hasEndpoints: boolean;
  readonly hasInternalEndpoints: boolean;
  readonly hasExternalEndpoints: boolean;
  /** SVC, or SVL under internalTrafficPolicy Local. */
  readonly internalTrafficChain: string;
  /** SVC, or SVL under externalTrafficPolicy Local. */
  readonly externalPolicyChain: string;
  readonly usesClusterPolicyChain: boolean;
  readonly usesLocalPolicyChain: boolean;
  readonly usesExternalTrafficChain: boolean;
  readonly usesFWChain: boolean;
  /** FW when source ranges apply, else EXT. */
  readonly loadBalancerTrafficChain: string;
  /** Set when ClusterIP traffic has nowhere to go. */
  readonly internalFilter: FilterVerdict | undefined;
  /** Set when external traffic has nowhere to go. */
  readonly externalFilter: FilterVerdict | undefined;
}

function filterVerdicts(info: ServicePortInfo, has: { any: boolean; internal: boolean; external: boolean }) {
  if (!has.any) {
    const noEndpoints: FilterVerdict = { target: 'REJECT', comment: `${info.spn} has no endpoints` };
    return { internalFilter: noEndpoints, externalFilter: noEndpoints };
  }
  const noLocal: FilterVerdict = { target: 'DROP', comment: `${info.spn} has no local endpoints` };
  return {
    internalFilter: has.internal ? undefined : noLocal,
    externalFilter: has.external ? undefined : noLocal,
  };
}

/** Plans one service port given its normalised endpoints. */
export function planServicePort(info: ServicePortInfo, all: readonly EndpointInfo[], config: ProxierConfig): PortPlan {
  const endpoints = categorizeEndpoints(all, info, config);
  const hasEndpoints = endpoints.hasAnyEndpoints;
  const noLocal = endpoints.local.length === 0;
  const hasInternalEndpoints = hasEndpoints && !(info.internalPolicyLocal && noLocal);
  const hasExternalEndpoints = hasEndpoints && !(info.externalPolicyLocal && noLocal);
  const usesFWChain = hasEndpoints && info.loadBalancerVIPs.length > 0 && info.sourceRanges.length > 0;
  return {
    info,
    endpoints,
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    internalTrafficChain: info.internalPolicyLocal ? info.chains.svl : info.chains.svc,
    externalPolicyChain: info.externalPolicyLocal ? info.chains.svl : info.chains.svc,
    usesClusterPolicyChain: endpoints.cluster.length > 0 && info.usesClusterEndpoints,
    usesLocalPolicyChain: endpoints.local.length > 0 && info.usesLocalEndpoints,
    // Based on hasEndpoints, not hasExternalEndpoints: the short-circuit rules for pod and
    // node traffic are needed even when no endpoint serves external clients.
    usesExternalTrafficChain: hasEndpoints && info.externallyAccessible,
    usesFWChain,
    loadBalancerTrafficChain: usesFWChain ? info.chains.fw : info.chains.ext,
    ...filterVerdicts(info, { any: hasEndpoints, internal: hasInternalEndpoints, external: hasExternalEndpoints }),
  };
}
