/**
 * The policy ipsets one node holds: those of the policies that are active there (their selector
 * matches a local workload: the calculation graph's ActiveRulesCalculator), from the rules of
 * both directions (RuleScanner scans a policy whole). Every family's manager gets every set and
 * fills it with the members of its family; sets are listed by name.
 */
import type { IpSet } from '../../../kernel/netfilter/ipset/index.js';
import type { FelixInput } from './input.js';
import { type PolicySetData, policySet, ruleSets, setDataId, workloadLabels } from './policy-ipsets.js';
import type { FelixPolicy } from './policy-model.js';
import { selectorMatches } from './selector.js';

/** The policies that select a local workload of `input`. */
export function activePolicies(input: Pick<FelixInput, 'policies' | 'localWorkloads'>): FelixPolicy[] {
  const labels = input.localWorkloads.map(workloadLabels);
  return (input.policies ?? []).filter((p) => labels.some((l) => selectorMatches(p.selector, l)));
}

/** The selector and named-port sets of the active policies, by name. */
export function policySetsFor(input: FelixInput): IpSet[] {
  const byId = new Map<string, PolicySetData>();
  for (const p of activePolicies(input)) {
    for (const r of [...p.inbound, ...p.outbound]) {
      const s = ruleSets(r);
      for (const d of [...s.src, ...s.dst, ...s.dstNamedPorts]) byId.set(setDataId(d), d);
    }
  }
  const all = input.allWorkloads ?? input.localWorkloads;
  return [...byId.values()].map((d) => policySet(d, input.family, all)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
