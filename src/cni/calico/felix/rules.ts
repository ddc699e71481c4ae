/**
 * felixRules: everything Felix's iptables dataplane writes on one node for one family, as an
 * `iptables-restore` payload plus the ipsets the rules name.
 *
 * Felix only programs chains that something references (felix/iptables/table.go keeps
 * reference counts), starting from its rules in the built-in chains: one jump inserted at the
 * top of each hooked chain (`cali-INPUT` from INPUT …), and two rules appended to FORWARD. So
 * an empty chain such as `cali-failsafe-in`, which only host endpoints jump to, is not written.
 */
import type { TableName } from '../../../kernel/events.js';
import type { IpSet } from '../../../kernel/netfilter/ipset/index.js';
import { workloadChains, profileChains, workloadDispatchChains } from './endpoints.js';
import { CHAIN, emptyChains, filterForwardAppendRules, filterForwardChain, filterInputChain, filterOutputChain, filterWorkloadToHostChain } from './filter.js';
import { A } from './fragments.js';
import type { FelixInput, FelixWorkload } from './input.js';
import { felixIpsets } from './ipsets.js';
import { POLICY_PFX, policyChains, workloadPolicies, workloadTierRules } from './policy-chains.js';
import { policySetsFor } from './policy-sets.js';
import { mangleChains, rawChains } from './mangle-raw.js';
import { natChains } from './nat.js';
import { type FelixChain, type FelixRule, renderRules } from './rule.js';

/** Felix's rules in one built-in chain: inserted at the top, or appended at the end. */
export interface FelixHook {
  readonly table: TableName;
  readonly chain: string;
  readonly position: 'insert' | 'append';
  /** `-A CHAIN -m comment --comment "cali:…" …` lines, in the order they stand in the chain. */
  readonly rules: readonly string[];
}

/** What {@link felixRules} returns. */
export interface FelixRules {
  /** The whole payload (iptables-restore input, Felix's spelling): raw, mangle, filter and nat, each with its chains and its hook rules. */
  readonly payload: string;
  /** The same without the rules in built-in chains: what `iptables-restore --noflush` loads beside other agents' rules. */
  readonly chainsPayload: string;
  /** The rules in built-in chains, which Felix inserts (`-I CHAIN 1 …`) or appends itself. */
  readonly hooks: readonly FelixHook[];
  readonly ipsets: readonly IpSet[];
}

interface TableSpec {
  readonly name: TableName;
  readonly chains: readonly FelixChain[];
  readonly inserts: ReadonlyArray<readonly [string, string]>;
  readonly appends?: ReadonlyArray<readonly [string, readonly FelixRule[]]>;
}

/** The tier blocks of each direction of `w`'s chains: the policies that select it, tier by tier. */
function workloadTiers(input: FelixInput, w: FelixWorkload): { ingress: FelixRule[]; egress: FelixRule[] } {
  const mine = workloadPolicies(input.policies ?? [], w);
  return {
    ingress: workloadTierRules(input.tiers, mine.ingress, POLICY_PFX.inbound),
    egress: workloadTierRules(input.tiers, mine.egress, POLICY_PFX.outbound),
  };
}

/** The tables in the order iptables-nft-save prints them. */
function tableSpecs(input: FelixInput): TableSpec[] {
  const pre: [string, string] = ['PREROUTING', CHAIN.prerouting];
  const post: [string, string] = ['POSTROUTING', CHAIN.postrouting];
  const out: [string, string] = ['OUTPUT', CHAIN.output];
  const filter: FelixChain[] = [
    filterInputChain(input),
    filterWorkloadToHostChain(input),
    filterForwardChain(),
    filterOutputChain(input),
    ...workloadDispatchChains(input.localWorkloads),
    ...input.localWorkloads.flatMap((w) => workloadChains(input, w, workloadTiers(input, w))),
    ...(input.policies ?? []).flatMap((p) => policyChains(p, input.family)),
    ...profileChains(input.localWorkloads),
    ...emptyChains([CHAIN.fromHostEndpoint, CHAIN.toHostEndpoint, CHAIN.fromHepForward, CHAIN.toHepForward, CHAIN.cidrBlock]),
  ];
  return [
    { name: 'mangle', chains: mangleChains(), inserts: [pre, post] },
    { name: 'raw', chains: rawChains(), inserts: [pre, out] },
    { name: 'filter', chains: filter, inserts: [['INPUT', CHAIN.input], ['FORWARD', CHAIN.forward], out], appends: [['FORWARD', filterForwardAppendRules()]] },
    { name: 'nat', chains: natChains(input), inserts: [pre, post, out] },
  ];
}

function targetOf(rule: FelixRule): string | undefined {
  return /^--(?:jump|goto) (\S+)$/.exec(rule.action)?.[1];
}

/** The chains reachable from the hook rules, sorted by name as iptables-save lists them. */
function referenced(spec: TableSpec): FelixChain[] {
  const byName = new Map(spec.chains.map((c) => [c.name, c]));
  const seen = new Set<string>();
  const visit = (name: string | undefined): void => {
    const c = name === undefined ? undefined : byName.get(name);
    if (c === undefined || seen.has(c.name)) return;
    seen.add(c.name);
    for (const r of c.rules) visit(targetOf(r));
  };
  for (const [, target] of spec.inserts) visit(target);
  for (const [, rules] of spec.appends ?? []) for (const r of rules) visit(targetOf(r));
  return [...seen].sort().map((n) => byName.get(n) as FelixChain);
}

function hooksOf(spec: TableSpec): FelixHook[] {
  const inserted = spec.inserts.map(([chain, target]): FelixHook => ({ table: spec.name, chain, position: 'insert', rules: renderRules(chain, [{ action: A.jump(target) }]) }));
  const appended = (spec.appends ?? []).map(([chain, rules]): FelixHook => ({ table: spec.name, chain, position: 'append', rules: renderRules(chain, rules, `${chain}*appends*`) }));
  return [...inserted, ...appended];
}

/** Felix's rules for one node and family (the iptables dataplane of Calico 3.30). */
export function felixRules(input: FelixInput): FelixRules {
  const payload: string[] = [];
  const chainsPayload: string[] = [];
  const hooks: FelixHook[] = [];
  for (const spec of tableSpecs(input)) {
    const chains = referenced(spec);
    const decl = chains.map((c) => `:${c.name} - [0:0]`);
    const body = chains.flatMap((c) => renderRules(c.name, c.rules));
    const own = hooksOf(spec);
    hooks.push(...own);
    payload.push(`*${spec.name}`, ...decl, ...own.flatMap((h) => h.rules), ...body, 'COMMIT');
    chainsPayload.push(`*${spec.name}`, ...decl, ...body, 'COMMIT');
  }
  return { payload: `${payload.join('\n')}\n`, chainsPayload: `${chainsPayload.join('\n')}\n`, hooks, ipsets: [...felixIpsets(input), ...policySetsFor(input)] };
}
