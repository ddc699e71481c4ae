/**
 * Reading a Calico `IPPool` (`projectcalico.org/v3` or `crd.projectcalico.org/v1`) with the
 * API's defaults and the checks Calico makes on one pool, in Calico's words: the
 * kubebuilder/CEL rules on `IPPoolSpec` (api/pkg/apis/projectcalico/v3/ippool.go) and
 * libcalico-go's `validateIPPoolSpec` and `clientv3` defaulting (lib/clientv3/ippool.go).
 * Checks across pools and against the Cluster are in resolve/calico.ts.
 */
import { parseCalicoSelector } from '../cni/calico/selector.js';
import { type Cidr, cidr as parseCidrText, cidrOverlaps, formatCidr, formatIp, ipEquals, networkOf, parseCidr } from '../addr/index.js';
import type { CalicoEncapMode, CalicoIPPool } from '../cluster/objects.js';
import { IPPOOL_SPEC } from './fields.js';
import type { RawIPPool } from './raw.js';
import { type Field, absent, at, child, fail, fieldName, isMap, missing, optBool, optEnum, optMap, optString, warn, wrongType } from './reader.js';

/** What an omitted IPPool field means (clientv3's defaulting; blockSize by the pool's family). */
export const IPPOOL_DEFAULTS = {
  blockSize: { 4: 26, 6: 122 },
  ipipMode: 'Never',
  vxlanMode: 'Never',
  natOutgoing: false,
  nodeSelector: 'all()',
  disabled: false,
} as const;

/** The block sizes calico-ipam accepts per family (the CEL rule on IPPoolSpec). */
export const BLOCK_SIZE_RANGE = { 4: { min: 20, max: 32 }, 6: { min: 116, max: 128 } } as const;

const ENCAP_MODES: readonly CalicoEncapMode[] = ['Always', 'CrossSubnet', 'Never'];
const LINK_LOCAL = { 4: parseCidrText('169.254.0.0/16'), 6: parseCidrText('fe80::/10') } as const;

/** Reads an IPPool's spec; undefined (reported) when it has no usable cidr. */
export function readIPPool(obj: Field, name: string, nameField: Field): RawIPPool | undefined {
  const spec = child(obj, 'spec');
  if (absent(spec)) return missing(obj, 'spec');
  if (optMap(spec, IPPOOL_SPEC) === undefined) return undefined;
  const cidrField = child(spec, 'cidr');
  const cidr = readPoolCidr(spec, cidrField);
  warnIgnored(spec);
  if (cidr === undefined) return undefined;
  const disabled = optBool(child(spec, 'disabled')) ?? IPPOOL_DEFAULTS.disabled;
  const pool: CalicoIPPool = {
    name,
    cidr,
    blockSize: readBlockSize(spec, cidr, disabled),
    ...readEncap(spec, cidr),
    natOutgoing: optBool(child(spec, 'natOutgoing')) ?? IPPOOL_DEFAULTS.natOutgoing,
    nodeSelector: readNodeSelector(child(spec, 'nodeSelector')),
    disabled,
    pos: at(obj),
  };
  return { pool, nameField, cidrField };
}

/** `spec.cidr`: required, a prefix, strictly masked, clear of the link-local range. */
function readPoolCidr(spec: Field, f: Field): Cidr | undefined {
  if (absent(f)) return missing(spec, 'cidr');
  const s = optString(f);
  if (s === undefined) return undefined;
  const c = s.includes('/') ? parseCidr(s) : undefined;
  if (c === undefined) {
    fail(f, 'SCN_BAD_CIDR', `spec.cidr: "${s}": IPPool CIDR must be a valid subnet (a prefix like 10.244.0.0/16 or fd00:10:244::/48)`);
    return undefined;
  }
  const net = networkOf(c);
  if (!ipEquals(net, c.addr)) {
    fail(f, 'SCN_BAD_CIDR', `spec.cidr: "${s}": IPPool CIDR must be strictly masked (${formatIp(net)}/${c.prefix})`);
    return undefined;
  }
  const family = c.addr.family;
  if (cidrOverlaps(c, LINK_LOCAL[family])) {
    const range = formatCidr(LINK_LOCAL[family]);
    fail(f, 'SCN_BAD_CIDR', `spec.cidr: "${s}": IPPool CIDR overlaps with IPv${family} link local range ${range}`);
    return undefined;
  }
  return c;
}

/** `spec.blockSize`: 0 or absent is the family's default; the range, then the pool's own size. */
function readBlockSize(spec: Field, cidr: Cidr, disabled: boolean): number {
  const f = child(spec, 'blockSize');
  const family = cidr.addr.family;
  const fallback = IPPOOL_DEFAULTS.blockSize[family];
  if (absent(f)) return checkPoolSize(child(spec, 'cidr'), cidr, fallback, disabled);
  if (typeof f.value !== 'number' || !Number.isInteger(f.value)) return wrongType(f, 'an integer') ?? fallback;
  if (f.value === 0) return checkPoolSize(child(spec, 'cidr'), cidr, fallback, disabled);
  const { min, max } = BLOCK_SIZE_RANGE[family];
  if (f.value < min || f.value > max) {
    fail(f, 'SCN_CALICO_BLOCK_SIZE', `spec.blockSize: Invalid value: ${f.value}: blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools (this pool is IPv${family})`);
    return fallback;
  }
  return checkPoolSize(f, cidr, f.value, disabled);
}

/** An enabled pool must hold at least one block (a disabled one is not checked, as in Calico). */
function checkPoolSize(f: Field, cidr: Cidr, blockSize: number, disabled: boolean): number {
  if (!disabled && cidr.prefix > blockSize) {
    fail(f, 'SCN_CALICO_BLOCK_SIZE', `IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size. (${formatCidr(cidr)} is smaller than one /${blockSize} block)`);
  }
  return blockSize;
}

/** `ipipMode` and `vxlanMode` (`""` is Never); at most one enabled, and IP-in-IP only for IPv4. */
function readEncap(spec: Field, cidr: Cidr): { ipipMode: CalicoEncapMode; vxlanMode: CalicoEncapMode } {
  const mode = (f: Field, dflt: CalicoEncapMode): CalicoEncapMode => (f.value === '' ? 'Never' : optEnum(f, ENCAP_MODES) ?? dflt);
  const ipipField = child(spec, 'ipipMode');
  let ipipMode = mode(ipipField, IPPOOL_DEFAULTS.ipipMode);
  const vxlanMode = mode(child(spec, 'vxlanMode'), IPPOOL_DEFAULTS.vxlanMode);
  if (ipipMode !== 'Never' && cidr.addr.family === 6) {
    fail(ipipField, 'SCN_CALICO_IPIP_IPV6', `spec.ipipMode: ${ipipMode}: IPIP is not supported on IPv6 pools (IP-in-IP carries IPv4 only; use vxlanMode or Never)`);
    ipipMode = 'Never';
  }
  if (ipipMode !== 'Never' && vxlanMode !== 'Never') {
    fail(ipipField, 'SCN_CALICO_ENCAP_CONFLICT', `spec.ipipMode: ${ipipMode}, spec.vxlanMode: ${vxlanMode}: ipipMode and vxlanMode cannot both be enabled`);
  }
  return { ipipMode, vxlanMode };
}

/**
 * `nodeSelector` (default and `""`: `all()`). Only the shape is checked here: balanced quotes
 * and parentheses, no `global()`, at most 1024 characters; the selector language itself is the
 * Calico plugin's to parse (src/cni/calico/selector.ts).
 */
function readNodeSelector(f: Field): string {
  const s = optString(f);
  if (s === undefined || s.trim() === '') return IPPOOL_DEFAULTS.nodeSelector;
  const problem = selectorShapeProblem(s);
  if (problem !== undefined) fail(f, 'SCN_CALICO_BAD_SELECTOR', `spec.nodeSelector: Invalid value: "${s}": ${problem}`);
  return problem === undefined ? s : IPPOOL_DEFAULTS.nodeSelector;
}

/** What is wrong with a selector's shape, if anything. */
export function selectorShapeProblem(s: string): string | undefined {
  if (s.length > 1024) return 'must be no more than 1024 characters';
  if (s.includes('global(')) return 'global() selector is not valid for IPPool nodeSelector';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of s) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return 'a ")" without its "("';
  }
  if (quote !== undefined) return `an unterminated ${quote} string`;
  if (depth > 0) return 'a "(" without its ")"';
  // The shape is fine: the grammar calico-ipam evaluates it with (a selector it cannot parse
  // would select no node there, and fail every pod's IPAM).
  const parsed = parseCalicoSelector(s);
  return parsed.ok ? undefined : parsed.message;
}

/** IPPoolSpec fields netsim does not model, each with the value that makes it harmless. */
const IGNORED_POOL_FIELDS: readonly (readonly [string, (v: unknown) => boolean, string])[] = [
  ['allowedUses', (v) => !Array.isArray(v) || v.length === 0 || (v.length <= 2 && v.every((u) => u === 'Workload' || u === 'Tunnel') && v.includes('Workload')), 'every pool serves workloads and tunnel addresses'],
  ['assignmentMode', (v) => v === 'Automatic' || v === '', 'every pool is Automatic'],
  ['disableBGPExport', (v) => v === false, 'routes to every block are programmed as a converged BGP mesh would'],
  ['namespaceSelector', (v) => v === '' || v === 'all()', 'a pool serves pods of every namespace'],
  ['ipip', () => false, 'the v1 API field; use ipipMode'],
  ['nat-outgoing', () => false, 'the v1 API field; use natOutgoing'],
];

function warnIgnored(spec: Field): void {
  if (!isMap(spec.value)) return;
  for (const [key, harmless, why] of IGNORED_POOL_FIELDS) {
    const f = child(spec, key);
    if (absent(f) || harmless(f.value)) continue;
    warn(f, 'SCN_CALICO_FIELD_IGNORED', `${fieldName(f)} is not modelled and has no effect: ${why}`, 'key');
  }
}
