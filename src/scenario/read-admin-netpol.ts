/**
 * Reading `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (cluster-scoped: a namespace in metadata is ignored, as the API
 * server ignores it for cluster-scoped kinds). The spec is required; `priority` is 0–1000;
 * the BANP must be named `default` (its CEL rule). Subjects, rules, peers and ports are read
 * by read-admin-rules.ts.
 */
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy } from '../cluster/objects.js';
import { ADMIN_LIMITS } from '../cluster/objects.js';
import { ADMIN_NETWORK_POLICY, ADMIN_NETWORK_POLICY_SPEC, BASELINE_ADMIN_NETWORK_POLICY_SPEC } from './fields.js';
import { readRules, readSubject } from './read-admin-rules.js';
import { readMeta } from './read-meta.js';
import type { RawAdminNetworkPolicy, RawBaselineAdminNetworkPolicy } from './raw.js';
import { type Field, absent, child, fail, fieldName, missing, optMap, shownInteger, wrongType } from './reader.js';

/** The one name a BaselineAdminNetworkPolicy may have. */
export const BANP_NAME = 'default';

/** Reads an AdminNetworkPolicy; undefined (and reported) when it cannot be used. */
export function readAdminNetworkPolicy(obj: Field): RawAdminNetworkPolicy | undefined {
  optMap(obj, ADMIN_NETWORK_POLICY);
  const meta = readMeta(obj, 'AdminNetworkPolicy');
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, ADMIN_NETWORK_POLICY_SPEC) === undefined) return undefined;
  const priority = readPriority(spec);
  const subject = readSubject(spec);
  const ingress = readRules(child(spec, 'ingress'), 'AdminNetworkPolicy', 'Ingress');
  const egress = readRules(child(spec, 'egress'), 'AdminNetworkPolicy', 'Egress');
  if (meta === undefined || priority === undefined || subject === undefined) return undefined;
  const policy: AdminNetworkPolicy = { name: meta.name, labels: meta.labels, priority, subject, ingress, egress, pos: meta.pos };
  return { meta, policy, kindField: child(obj, 'kind'), priorityField: child(spec, 'priority') };
}

/** Reads a BaselineAdminNetworkPolicy; its name must be `default`. */
export function readBaselineAdminNetworkPolicy(obj: Field): RawBaselineAdminNetworkPolicy | undefined {
  optMap(obj, ADMIN_NETWORK_POLICY);
  const meta = readMeta(obj, 'BaselineAdminNetworkPolicy');
  if (meta !== undefined && meta.name !== BANP_NAME) {
    fail(meta.nameField, 'SCN_BANP_NAME', `Invalid value: "object": Only one baseline admin network policy with metadata.name="${BANP_NAME}" can be created in the cluster (this one is named "${meta.name}")`);
  }
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, BASELINE_ADMIN_NETWORK_POLICY_SPEC) === undefined) return undefined;
  const subject = readSubject(spec);
  const ingress = readRules(child(spec, 'ingress'), 'BaselineAdminNetworkPolicy', 'Ingress');
  const egress = readRules(child(spec, 'egress'), 'BaselineAdminNetworkPolicy', 'Egress');
  if (meta === undefined || meta.name !== BANP_NAME || subject === undefined) return undefined;
  const policy: BaselineAdminNetworkPolicy = { name: meta.name, labels: meta.labels, subject, ingress, egress, pos: meta.pos };
  return { meta, policy, kindField: child(obj, 'kind') };
}

/** `spec.priority`: required, an integer from 0 to 1000 (Minimum=0, Maximum=1000). */
function readPriority(spec: Field): number | undefined {
  const f = child(spec, 'priority');
  if (absent(f)) {
    fail(spec, 'SCN_ANP_PRIORITY', `${fieldName(f)}: Required value`, 'value');
    return undefined;
  }
  if (typeof f.value !== 'number' || !Number.isInteger(f.value)) return wrongType(f, 'an integer');
  const v = f.value;
  if (v >= ADMIN_LIMITS.minPriority && v <= ADMIN_LIMITS.maxPriority) return v;
  const bound = v < ADMIN_LIMITS.minPriority ? `greater than or equal to ${ADMIN_LIMITS.minPriority}` : `less than or equal to ${ADMIN_LIMITS.maxPriority}`;
  fail(f, 'SCN_ANP_PRIORITY', `${fieldName(f)}: Invalid value: ${shownInteger(v)}: ${fieldName(f)} in body should be ${bound}`);
  return undefined;
}
