/**
 * A Service's IP families as the API server defaults them on create
 * (pkg/registry/core/service/storage/alloc.go, initIPFamilyFields), with its errors in its
 * words:
 *
 * - ExternalName Services get no families and no policy.
 * - An unset `ipFamilyPolicy` is `SingleStack`, except for a headless Service without a selector,
 *   which is `RequireDualStack`.
 * - `SingleStack` with two clusterIPs or two families is refused; a clusterIP must be of the
 *   family `ipFamilies` names at its index.
 * - Families are inferred from given clusterIPs; a clusterIP of a family the cluster lacks is
 *   refused ("IPv6 is not configured on this cluster").
 * - Headless without a selector: the default family, and the other one unless SingleStack (even
 *   on a single-stack cluster), with no further checks.
 * - Otherwise `RequireDualStack` needs a dual-stack cluster, every family must be the cluster's,
 *   no family means the cluster's primary, and PreferDualStack/RequireDualStack add the other
 *   family when the cluster has two.
 */
import { type Family, type Ip, formatIp } from '../../addr/index.js';
import { clusterFamilies, ipFamilyName } from '../../cluster/families.js';
import type { ClusterConfig, IpFamilyPolicy } from '../../cluster/objects.js';
import type { RawService } from '../raw.js';
import { child, fail } from '../reader.js';

/** The defaulted `ipFamilies` and `ipFamilyPolicy`; undefined when the API server would refuse the Service. */
export interface ServiceFamilies {
  readonly families: readonly Family[];
  readonly policy?: IpFamilyPolicy;
}

/** The family of `family` the cluster does not have first: the other one. */
function other(family: Family): Family {
  return family === 4 ? 6 : 4;
}

/** Defaults a Service's families against the cluster (see the file header); errors are reported. */
export function resolveIpFamilies(s: RawService, cluster: ClusterConfig): ServiceFamilies | undefined {
  if (s.type === 'ExternalName') return { families: [] };
  const raw = s.ipFamily;
  const spec = raw?.spec;
  const headless = s.clusterIP?.value === 'None';
  const policy: IpFamilyPolicy = raw?.policy?.value ?? (headless && s.selector === undefined ? 'RequireDualStack' : 'SingleStack');
  const given = s.clusterIP !== undefined && s.clusterIP.value !== 'None' ? [s.clusterIP.value, ...(raw?.secondIP === undefined ? [] : [raw.secondIP.value])] : [];
  const families = (raw?.families ?? []).map((f) => f.value);
  const clusterFams = clusterFamilies(cluster);
  let ok = true;
  const bad = (where: 'ipFamilyPolicy' | 'clusterIPs' | 'ipFamilies', index: number | undefined, message: string): void => {
    ok = false;
    const path = `spec.${where}${index === undefined ? '' : `[${index}]`}`;
    // clusterIPs[0] may have been written as clusterIP: point at whichever is there.
    const list = spec === undefined ? undefined : child(spec, where);
    const item = list === undefined || index === undefined ? list : child(list, index);
    const f = item?.value !== undefined ? item : where === 'clusterIPs' && index === 0 && s.clusterIP !== undefined ? s.clusterIP.field : (list ?? s.meta.nameField);
    fail(f.value === undefined ? s.meta.nameField : f, 'SCN_IP_FAMILY', `Service ${s.meta.name}: ${path}: ${message}`);
  };
  if (policy === 'SingleStack' && given.length === 2) bad('ipFamilyPolicy', undefined, `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`);
  if (policy === 'SingleStack' && families.length === 2) bad('ipFamilyPolicy', undefined, `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`);
  given.forEach((ip, i) => {
    const want = families[i];
    if (want !== undefined && want !== ip.family) bad('clusterIPs', i, `Invalid value: "${formatIp(ip)}": expected an ${ipFamilyName(want)} value as indicated by \`ipFamilies[${i}]\``);
  });
  if (!ok) return undefined;
  given.forEach((ip, i) => {
    if (i < families.length) return;
    if (clusterFams.includes(ip.family)) families.push(ip.family);
    else bad('clusterIPs', i, `Invalid value: ${shownIps(given)}: ${ipFamilyName(ip.family)} is not configured on this cluster`);
  });
  if (!ok) return undefined;
  const primary = clusterFams[0] ?? 4;
  if (headless && s.selector === undefined) {
    const fams = families.length === 0 ? [primary] : families;
    return { families: fams.length < 2 && policy !== 'SingleStack' ? [...fams, other(fams[0] ?? primary)] : fams, policy };
  }
  if (policy === 'RequireDualStack' && clusterFams.length < 2) bad('ipFamilyPolicy', undefined, 'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  families.forEach((f, i) => {
    if (!clusterFams.includes(f)) bad('ipFamilies', i, `Invalid value: "${ipFamilyName(f)}": not configured on this cluster`);
  });
  if (!ok) return undefined;
  const fams = families.length === 0 ? [primary] : families;
  const first = fams[0] ?? primary;
  return { families: policy !== 'SingleStack' && fams.length === 1 && clusterFams.length === 2 ? [first, other(first)] : fams, policy };
}

/** A string slice as field.Invalid prints its value (`%#v`): `[]string{"10.0.0.1", "fd00::1"}`. */
function shownIps(ips: readonly Ip[]): string {
  return `[]string{${ips.map((ip) => `"${formatIp(ip)}"`).join(', ')}}`;
}
