/**
 * The API server's rules that tie several fields of a Service spec together (ValidateService
 * in k8s.io/kubernetes pkg/apis/core/validation), worded as it words them where it can.
 */
import type { Ip } from '../addr/index.js';
import type { ServiceType } from '../cluster/objects.js';
import type { RawServicePort } from './raw.js';
import { type Field, absent, child, fail, fieldName, missing, optString } from './reader.js';

/** What the rules need to know of a Service, already read. */
export interface ServiceFacts {
  readonly type: ServiceType;
  readonly headless: boolean;
  readonly ports: readonly RawServicePort[];
  readonly externalIPs: readonly Ip[];
  readonly externalName: string | undefined;
  readonly healthCheckNodePort: number | undefined;
}

/** Reports every cross-field rule `spec` breaks. */
export function checkServiceRules(spec: Field, s: ServiceFacts): void {
  if (s.type === 'ExternalName' && s.externalName === undefined) missing(spec, 'externalName');
  if (s.type !== 'ExternalName' && !s.headless && s.ports.length === 0 && absent(child(spec, 'ports'))) missing(spec, 'ports');
  const affinityConfig = child(spec, 'sessionAffinityConfig');
  if (!absent(affinityConfig) && optString(child(spec, 'sessionAffinity')) !== 'ClientIP') {
    fail(affinityConfig, 'SCN_BAD_VALUE', `${fieldName(affinityConfig)}: Forbidden: must not be set when session affinity is None`, 'key');
  }
  const etp = child(spec, 'externalTrafficPolicy');
  // The API server refuses the field on Services nothing outside the cluster can reach.
  if (!absent(etp) && s.type !== 'NodePort' && s.type !== 'LoadBalancer' && s.externalIPs.length === 0) {
    fail(etp, 'SCN_BAD_VALUE', `${fieldName(etp)} applies only to NodePort and LoadBalancer Services or Services with externalIPs`);
  }
  const hc = child(spec, 'healthCheckNodePort');
  if (s.healthCheckNodePort !== undefined && !(s.type === 'LoadBalancer' && optString(etp) === 'Local')) {
    fail(hc, 'SCN_BAD_VALUE', `${fieldName(hc)}: Invalid value: ${s.healthCheckNodePort}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`);
  }
  const ranges = child(spec, 'loadBalancerSourceRanges');
  if (Array.isArray(ranges.value) && ranges.value.length > 0 && s.type !== 'LoadBalancer') {
    fail(ranges, 'SCN_BAD_VALUE', `${fieldName(ranges)}: Forbidden: may only be used when \`type\` is 'LoadBalancer'`, 'key');
  }
}
