/**
 * Dual-stack Cluster fields: `clusterCIDR`, `serviceCIDR` and `nodeNetwork` may each be a
 * comma-separated pair, one prefix per family, primary first (kube-controller-manager's
 * `--cluster-cidr`, the API server's `--service-cluster-ip-range`, kubelet's `--node-ip`).
 * A cluster is dual-stack when `clusterCIDR` is a pair; then the other two are pairs of the
 * same families in the same order (their defaults are the single-stack defaults of each family).
 * The node mask is `nodeCIDRMaskSizeIPv4` / `nodeCIDRMaskSizeIPv6`
 * (`--node-cidr-mask-size-ipv4/-ipv6`, defaults 24 and 64); `nodeCIDRMaskSize` is refused on a
 * dual-stack cluster, as kube-controller-manager refuses `--node-cidr-mask-size` there.
 */
import { type Cidr, type Family, canonicalCidr, cidr, familyBits, parseCidr } from '../addr/index.js';
import type { At } from './raw.js';
import { type Field, absent, child, fail, fieldName, optInt, optString } from './reader.js';

/** A prefix field: one prefix, or a dual-stack pair. */
export interface CidrPair {
  readonly primary: At<Cidr>;
  readonly secondary?: At<Cidr>;
}

/** The defaults a pair falls back to, per family. */
type PerFamily = Readonly<Record<Family, string>>;

/** Reads a prefix or a comma-separated pair; `fallback` picks the default of each family. */
export function readCidrPair(f: Field, fallback: (family: Family) => string, families: readonly Family[]): CidrPair {
  const text = optString(f);
  const fallbackPair = (): CidrPair => {
    const [p, s] = families;
    const primary = { value: cidr(fallback(p ?? 4)), field: f };
    return s === undefined ? { primary } : { primary, secondary: { value: cidr(fallback(s)), field: f } };
  };
  if (text === undefined) return fallbackPair();
  const parts = text.split(',');
  const parsed = parts.map((p) => parsePrefix(p.trim()));
  if (parts.length > 2 || parsed.some((c) => c === undefined)) {
    const why = parts.length > 2 ? 'may list at most two prefixes, one per family' : 'is not a prefix like 10.244.0.0/16 or fd00::/64 (or a pair of them, one per family)';
    fail(f, 'SCN_BAD_CIDR', `${fieldName(f)}: "${text}" ${why}`);
    return fallbackPair();
  }
  const [a, b] = parsed as Cidr[];
  if (a === undefined) return fallbackPair();
  if (b !== undefined && b.addr.family === a.addr.family) {
    fail(f, 'SCN_BAD_CIDR', `${fieldName(f)}: "${text}": a dual-stack pair needs one IPv4 and one IPv6 prefix, both are IPv${a.addr.family}`);
    return { primary: { value: a, field: f } };
  }
  return b === undefined ? { primary: { value: a, field: f } } : { primary: { value: a, field: f }, secondary: { value: b, field: f } };
}

function parsePrefix(s: string): Cidr | undefined {
  const [, len] = s.split('/');
  const c = len !== undefined && /^[0-9]{1,3}$/.test(len) ? parseCidr(s) : undefined;
  return c === undefined ? undefined : canonicalCidr(c);
}

/**
 * Every pair must have the shape of `clusterCIDR`: the same families in the same order
 * (k3s: "must share the same IP version"; kubeadm refuses the mix as well).
 */
export function checkPairShapes(cluster: CidrPair, others: readonly CidrPair[]): void {
  const want = shape(cluster);
  for (const o of others) {
    const got = shape(o);
    if (got === want) continue;
    const f = o.primary.field;
    fail(f, 'SCN_BAD_CIDR', `${fieldName(f)} is ${got} but clusterCIDR is ${want}: both must have the same families in the same order (a dual-stack cluster gives every network as a pair)`);
  }
}

function shape(p: CidrPair): string {
  const fam = (c: At<Cidr>): string => `IPv${c.value.addr.family}`;
  return p.secondary === undefined ? fam(p.primary) : `${fam(p.primary)},${fam(p.secondary)}`;
}

/** The mask sizes per family: `nodeCIDRMaskSizeIPv4/IPv6`, or `nodeCIDRMaskSize` (single-stack only). */
export function readMaskSizes(spec: Field, clusterCIDR: CidrPair, defaults: PerFamily | Readonly<Record<Family, number>>): { primary: At<number | undefined>; secondary?: At<number> } {
  const single = child(spec, 'nodeCIDRMaskSize');
  const perFamily = (c: At<Cidr>): At<number | undefined> => {
    const fam = c.value.addr.family;
    const f = child(spec, fam === 4 ? 'nodeCIDRMaskSizeIPv4' : 'nodeCIDRMaskSizeIPv6');
    return { value: optInt(f, c.value.prefix, familyBits(fam) - 2), field: f };
  };
  const sec = clusterCIDR.secondary;
  if (sec === undefined) return { primary: absent(single) ? perFamily(clusterCIDR.primary) : { value: undefined, field: single } };
  if (!absent(single)) fail(single, 'SCN_BAD_VALUE', 'usage of nodeCIDRMaskSize is not allowed with dual-stack clusters: set nodeCIDRMaskSizeIPv4 and nodeCIDRMaskSizeIPv6 (kube-controller-manager refuses --node-cidr-mask-size there)', 'key');
  const s = perFamily(sec);
  const fam = sec.value.addr.family;
  const dflt = Number(defaults[fam]);
  const value = s.value ?? Math.max(dflt, sec.value.prefix);
  if (s.value === undefined && dflt < sec.value.prefix) fail(sec.field, 'SCN_BAD_VALUE', `clusterCIDR's IPv${fam} /${sec.value.prefix} is smaller than one default /${dflt} node podCIDR: set nodeCIDRMaskSizeIPv${fam}`);
  return { primary: perFamily(clusterCIDR.primary), secondary: { value, field: s.field } };
}
