/**
 * What the API server defaults on a ClusterIP Service that says nothing more (`SetDefaults_Service`
 * in pkg/apis/core/v1/defaults.go): the implicit `kubernetes` and `kube-dns` Services carry it.
 */
import type { Service } from '../../cluster/objects.js';

/** The defaulted fields of a plain ClusterIP Service. */
export const CLUSTER_IP_DEFAULTS = {
  headless: false,
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  sessionAffinity: 'None',
  sessionAffinityTimeoutSeconds: 10800,
  externalIPs: [],
  loadBalancerSourceRanges: [],
  loadBalancerIngress: [],
  publishNotReadyAddresses: false,
} as const satisfies Partial<Service>;
