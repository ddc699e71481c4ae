/**
 * The Service fields a cloud or a newer API server adds, read and checked as the API server
 * does (ValidateService and validateLoadBalancerClassField in k8s.io/kubernetes
 * pkg/apis/core/validation): `allocateLoadBalancerNodePorts`, `loadBalancerClass` and
 * `trafficDistribution` belong to LoadBalancer Services or name a known value, and an
 * ExternalName Service has no clusterIP. Messages keep the API server's wording.
 */
import type { ServiceType } from '../cluster/objects.js';
import { type Field, absent, child, fail, fieldName, optBool, optString } from './reader.js';
import { checkText, quoted } from './validate/index.js';

/** The values `spec.trafficDistribution` takes (PreferClose since 1.31; the other two since 1.33). */
export const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'] as const;

/** What these fields say, present keys only. */
export interface ServiceApiFields {
  readonly allocateLoadBalancerNodePorts?: boolean;
  readonly loadBalancerClass?: string;
  readonly trafficDistribution?: string;
}

/** Reads the fields and reports what the API server refuses. */
export function readServiceApiFields(spec: Field, type: ServiceType): ServiceApiFields {
  const allocF = child(spec, 'allocateLoadBalancerNodePorts');
  const alloc = optBool(allocF);
  if (alloc !== undefined && type !== 'LoadBalancer') forbiddenUnlessLB(allocF);
  const classF = child(spec, 'loadBalancerClass');
  const lbClass = optString(classF);
  if (lbClass !== undefined) {
    if (type !== 'LoadBalancer') forbiddenUnlessLB(classF);
    else checkText(classF, 'Service spec.loadBalancerClass', lbClass);
  }
  const tdF = child(spec, 'trafficDistribution');
  const td = optString(tdF);
  if (td !== undefined && !(TRAFFIC_DISTRIBUTIONS as readonly string[]).includes(td)) {
    fail(tdF, 'SCN_BAD_VALUE', `${fieldName(tdF)}: Unsupported value: ${quoted(td)}: supported values: ${TRAFFIC_DISTRIBUTIONS.map((v) => quoted(v)).join(', ')}`);
  }
  const clusterIP = child(spec, 'clusterIP');
  if (type === 'ExternalName' && !absent(clusterIP) && clusterIP.value !== '') {
    fail(clusterIP, 'SCN_BAD_VALUE', `${fieldName(clusterIP)}: Forbidden: must be empty for ExternalName services`);
  }
  return {
    ...(alloc === undefined ? {} : { allocateLoadBalancerNodePorts: alloc }),
    ...(lbClass === undefined ? {} : { loadBalancerClass: lbClass }),
    ...(td === undefined ? {} : { trafficDistribution: td }),
  };
}

function forbiddenUnlessLB(f: Field): void {
  fail(f, 'SCN_BAD_VALUE', `${fieldName(f)}: Forbidden: may only be used when \`type\` is 'LoadBalancer'`);
}
