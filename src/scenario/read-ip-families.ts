/**
 * A Service's `ipFamilies`, `ipFamilyPolicy` and the second entry of `clusterIPs`, with the
 * API server's stand-alone checks on them (ValidateServiceClusterIPsRelatedFields in
 * pkg/apis/core/validation): families are `IPv4`/`IPv6` without duplicates, `clusterIPs` holds
 * at most two values, one per family. The checks that need the cluster are in
 * resolve/ip-families.ts.
 */
import type { Family, Ip } from '../addr/index.js';
import type { IpFamilyPolicy } from '../cluster/objects.js';
import { optIp } from './read-addr.js';
import type { At } from './raw.js';
import { type Field, child, fail, fieldName, optEnum, optList, optString } from './reader.js';
import { quoted } from './validate/index.js';

/** What a Service says about its families, before defaulting. */
export interface RawIpFamilies {
  readonly policy?: At<IpFamilyPolicy>;
  readonly families: readonly At<Family>[];
  /** `clusterIPs[1]`, the secondary family's address. */
  readonly secondIP?: At<Ip>;
  /** The Service `spec`, where the errors about the whole Service point. */
  readonly spec: Field;
}

/** Reads `ipFamilies`, `ipFamilyPolicy` and `clusterIPs[1]` of a Service spec. */
export function readIpFamilies(spec: Field, first: Ip | 'None' | undefined): RawIpFamilies {
  const policyField = child(spec, 'ipFamilyPolicy');
  const policy = optEnum(policyField, ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const);
  const families: At<Family>[] = [];
  for (const item of optList(child(spec, 'ipFamilies')) ?? []) {
    const name = optEnum(item, ['IPv4', 'IPv6'] as const);
    if (name === undefined) continue;
    const family: Family = name === 'IPv4' ? 4 : 6;
    if (families.some((f) => f.value === family)) fail(item, 'SCN_IP_FAMILY', `${fieldName(item)}: Duplicate value: ${quoted(name)}`);
    else families.push({ value: family, field: item });
  }
  const secondIP = readSecondIP(child(spec, 'clusterIPs'), first);
  return {
    families,
    spec,
    ...(policy === undefined ? {} : { policy: { value: policy, field: policyField } }),
    ...(secondIP === undefined ? {} : { secondIP }),
  };
}

function readSecondIP(list: Field, first: Ip | 'None' | undefined): At<Ip> | undefined {
  const items = optList(list) ?? [];
  // As field.Invalid prints a string slice (`%#v`).
  const shown = `[]string{${items.map((i) => quoted(optString(i) ?? '')).join(', ')}}`;
  if (items.length > 2) fail(list, 'SCN_IP_FAMILY', `${fieldName(list)}: Invalid value: ${shown}: may only hold up to 2 values`);
  const f = items[1];
  if (f === undefined) return undefined;
  if (first === 'None') {
    fail(list, 'SCN_IP_FAMILY', `${fieldName(list)}: Invalid value: ${shown}: 'None' must be the first and only value`);
    return undefined;
  }
  const ip = optIp(f);
  if (ip === undefined) return undefined;
  if (first !== undefined && first.family === ip.family) {
    fail(list, 'SCN_IP_FAMILY', `${fieldName(list)}: Invalid value: ${shown}: may specify no more than one IP for each IP family`);
    return undefined;
  }
  return { value: ip, field: f };
}
