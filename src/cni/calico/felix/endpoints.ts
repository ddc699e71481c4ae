/**
 * Per-workload chains (felix/rules/endpoints.go), the interface dispatch chains
 * (felix/rules/dispatch.go) and the Kubernetes profiles a pod gets without any policy.
 *
 * With no policy, a workload's chains apply its two profiles: `kns.<namespace>` (which Calico's
 * Kubernetes conversion makes allow everything) and `ksa.<namespace>.<serviceAccount>` (no
 * rules). The namespace profile sets the accept mark and returns, the endpoint chain RETURNs on
 * that mark, and the built-in FORWARD chain's appended rule ACCEPTs.
 */
import { sha256Bytes } from '../../../hash/index.js';
import { base64RawUrl } from '../../../hash/index.js';
import { A, M } from './fragments.js';
import { DEFAULT_VXLAN_PORT, type FelixInput, type FelixWorkload, MARKS } from './input.js';
import { CHAIN } from './filter.js';
import type { FelixChain, FelixRule } from './rule.js';

/** MaxChainNameLength: iptables' 29-byte name buffer less the NUL and one spare. */
export const MAX_CHAIN_NAME_LENGTH = 28;

/** hashutils.GetLengthLimitedID: prefix + suffix, or prefix + `_` + a SHA-256 of the suffix when too long. */
export function lengthLimitedId(prefix: string, suffix: string, max: number = MAX_CHAIN_NAME_LENGTH): string {
  const total = prefix.length + suffix.length;
  if (total > max || (total === max && suffix.startsWith('_'))) {
    return `${prefix}_${base64RawUrl(sha256Bytes(suffix)).slice(0, max - 1 - prefix.length)}`;
  }
  return prefix + suffix;
}

/** Chain name prefixes (rules.WorkloadToEndpointPfx …, PolicyInboundPfx/OutboundPfx + `pro`/`pri`). */
export const PFX = { toWorkload: 'cali-tw-', fromWorkload: 'cali-fw-', profileIn: 'cali-pri-', profileOut: 'cali-pro-' } as const;

/** The profiles of a pod without policy, in the order Felix applies them. */
export function workloadProfiles(w: FelixWorkload): string[] {
  return [`kns.${w.namespace}`, `ksa.${w.namespace}.${w.serviceAccount ?? 'default'}`];
}

function profileRules(prefix: string, profiles: readonly string[]): FelixRule[] {
  return profiles.flatMap((p) => [
    { action: A.jump(lengthLimitedId(prefix, p)) },
    { comments: ['Return if profile accepted'], match: [M.markSingleBitSet(MARKS.accept)], action: A.return },
  ]);
}

/**
 * cali-tw-<iface> and cali-fw-<iface> (WorkloadEndpointToIptablesChains). `tiers` holds the tier
 * block of each direction (policy-chains.ts `tierRules`), empty when no policy selects `w`.
 */
export function workloadChains(input: FelixInput, w: FelixWorkload, tiers: { readonly ingress: readonly FelixRule[]; readonly egress: readonly FelixRule[] } = { ingress: [], egress: [] }): FelixChain[] {
  const head: FelixRule[] = [
    { match: [M.conntrackState('RELATED,ESTABLISHED')], action: A.accept },
    { match: [M.conntrackState('INVALID')], action: A.drop },
    // Clear the policy result bits (accept and pass) before any tier runs.
    { action: A.clearMark(MARKS.accept | MARKS.pass) },
  ];
  const noEncapFromPods: FelixRule[] = [
    { comments: ['Drop VXLAN encapped packets originating in workloads'], match: [M.protocolNum(17), M.destPorts(input.vxlanPort ?? DEFAULT_VXLAN_PORT)], action: A.drop },
    { comments: ['Drop IPinIP encapped packets originating in workloads'], match: [M.protocolNum(4)], action: A.drop },
  ];
  const tail: FelixRule = { comments: ['Drop if no profiles matched'], action: A.drop };
  const profiles = workloadProfiles(w);
  return [
    { name: lengthLimitedId(PFX.toWorkload, w.iface), rules: [...head, ...tiers.ingress, ...profileRules(PFX.profileIn, profiles), tail] },
    { name: lengthLimitedId(PFX.fromWorkload, w.iface), rules: [...head, ...noEncapFromPods, ...tiers.egress, ...profileRules(PFX.profileOut, profiles), tail] },
  ];
}

/**
 * The profile chains the workloads use, sorted by name: `kns.*` allows all (set the accept
 * mark, return on it), `ksa.*` has no rules.
 */
export function profileChains(workloads: readonly FelixWorkload[]): FelixChain[] {
  const names = [...new Set(workloads.flatMap(workloadProfiles))].sort();
  return names.flatMap((p) => {
    const rules: FelixRule[] = p.startsWith('kns.') ? [{ action: A.setMark(MARKS.accept) }, { match: [M.markSingleBitSet(MARKS.accept)], action: A.return }] : [];
    return [PFX.profileIn, PFX.profileOut].map((prefix) => ({ name: lengthLimitedId(prefix, p), rules }));
  });
}

function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let p = names[0] as string;
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * One dispatch chain and its children (buildSingleDispatchChains): names are sorted and
 * binned by the character after their common prefix; a bin of one is a rule in the root chain,
 * a larger bin gets a `<chain>-<char>` child chain matched by `<prefix>+`. Both end in
 * `DROP "Unknown interface"`.
 */
function dispatchChains(root: string, names: readonly string[], side: 'in' | 'out', targetPfx: string): FelixChain[] {
  const sorted = [...new Set(names)].sort();
  const common = commonPrefix(sorted);
  const bins = new Map<string, string[]>();
  for (const n of sorted) {
    const key = n.length > common.length ? n.slice(0, common.length + 1) : common;
    bins.set(key, [...(bins.get(key) ?? []), n]);
  }
  const iface = (n: string) => (side === 'in' ? M.inInterface(n) : M.outInterface(n));
  const end: FelixRule = { comments: ['Unknown interface'], action: A.drop };
  const children: FelixChain[] = [];
  const rootRules: FelixRule[] = [];
  for (const [prefix, members] of bins) {
    if (members.length === 1) {
      const n = members[0] as string;
      rootRules.push({ match: [iface(n)], action: A.goto(lengthLimitedId(targetPfx, n)) });
      continue;
    }
    const child = `${root}-${prefix.slice(common.length)}`;
    rootRules.push({ match: [iface(`${prefix}+`)], action: A.goto(child) });
    children.push({ name: child, rules: [...members.map((n) => ({ match: [iface(n)], action: A.goto(lengthLimitedId(targetPfx, n)) })), end] });
  }
  return [...children, { name: root, rules: [...rootRules, end] }];
}

/** cali-from-wl-dispatch and cali-to-wl-dispatch with their children (WorkloadDispatchChains). */
export function workloadDispatchChains(workloads: readonly FelixWorkload[]): FelixChain[] {
  const names = workloads.map((w) => w.iface);
  return [...dispatchChains(CHAIN.fromWlDispatch, names, 'in', PFX.fromWorkload), ...dispatchChains(CHAIN.toWlDispatch, names, 'out', PFX.toWorkload)];
}
