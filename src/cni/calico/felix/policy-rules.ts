/**
 * One policy rule as iptables rules (felix/rules/policy.go ProtoRuleToIptablesRules, Calico
 * 3.30), for the allow, deny and pass rules of converted Kubernetes policies.
 *
 * A rule keeps only its nets of the node's family; a rule whose nets were all of the other
 * family is left out (FilterRuleToIPVersion). What one iptables rule cannot say is split into
 * "match blocks" on the two scratch mark bits: more than one destination port group (15 slots
 * of multiport, a range taking two) or named-port set, and a net with excepted nets
 * (`ipBlock.except` → `notNets`): the first rule sets (or clears) scratch0 under the mask of
 * both, each except clears it, and the final match requires it. The action itself is two rules
 * (CombineMatchAndActionsForProtoRule): the match sets the action's mark, then a rule on that
 * mark acts: allow sets 0x10000 and RETURNs, pass (`next-tier`) sets 0x20000 and RETURNs (the
 * workload chain skips the rest of the tier), deny sets 0x40000 and DROPs. The rule's
 * annotations follow as `key=value` comments on each of its rules.
 */
import { formatCidr } from '../../../addr/cidr.js';
import type { Cidr } from '../../../addr/cidr.js';
import { A, M } from './fragments.js';
import { MARKS } from './input.js';
import { type RuleSets, mainSetName, ruleSets, setDataId } from './policy-ipsets.js';
import type { FelixPolicyRule, FelixPortRange, FelixRuleAction } from './policy-model.js';
import type { FelixRule } from './rule.js';

/** Multiport's 15 slots: SplitPortList (a range takes two). */
export function splitPortList(ports: readonly FelixPortRange[]): FelixPortRange[][] {
  const splits: FelixPortRange[][] = [];
  let split: FelixPortRange[] = [];
  let slots = 15;
  for (const p of ports) {
    const need = p.first === p.last ? 1 : 2;
    if (slots < need) {
      splits.push(split);
      split = [];
      slots = 15;
    }
    split.push(p);
    slots -= need;
  }
  if (split.length > 0) splits.push(split);
  return splits;
}

/** filterNets: the nets of `family`; `all` when some were given and none is of it (or a negated catch-all). */
function filterNets(nets: readonly Cidr[] | undefined, family: 4 | 6, negated: boolean): { nets: string[]; all: boolean } {
  if (nets === undefined || nets.length === 0) return { nets: [], all: false };
  const kept = nets.filter((n) => n.addr.family === family);
  if (negated && kept.some((n) => n.prefix === 0)) return { nets: [], all: true };
  return { nets: kept.map(formatCidr), all: kept.length === 0 };
}

/** matchBlockBuilder: the scratch-mark rules before the main match, and whether they were used. */
class MatchBlocks {
  readonly rules: FelixRule[] = [];
  using = false;
  private donePositive = false;

  private initial(mark: number): void {
    if (this.using) return;
    this.rules.push({ action: A.setMaskedMark(mark, MARKS.scratch0 | MARKS.scratch1) });
    this.using = true;
  }

  /** AppendPortMatchBlock / AppendCIDRMatchBlock: any of `matches` sets this block's bit. */
  positive(matches: readonly string[]): void {
    this.initial(0);
    const mark = this.donePositive ? MARKS.scratch1 : MARKS.scratch0;
    for (const m of matches) this.rules.push({ match: [m], action: A.setMark(mark) });
    if (!this.donePositive) this.donePositive = true;
    else this.rules.push({ match: [M.markClear(MARKS.scratch1)], action: A.clearMark(MARKS.scratch0) });
  }

  /** AppendNegatedCIDRMatchBlock: any of `matches` clears the all-blocks bit. */
  negated(matches: readonly string[]): void {
    this.initial(MARKS.scratch0);
    for (const m of matches) this.rules.push({ match: [m], action: A.clearMark(MARKS.scratch0) });
  }
}

/** Each action's mark and what the rule on that mark does. */
const ACTIONS: Readonly<Record<FelixRuleAction, { readonly mark: number; readonly then: string }>> = {
  allow: { mark: MARKS.accept, then: A.return },
  'next-tier': { mark: MARKS.pass, then: A.return },
  deny: { mark: MARKS.drop, then: A.drop },
};

/** The iptables rules of one rule on a node of `family` (none when its nets rule it out). */
export function policyRuleToIptables(rule: FelixPolicyRule, family: 4 | 6): FelixRule[] {
  const src = filterNets(rule.srcNets, family, false);
  const notSrc = filterNets(rule.notSrcNets, family, true);
  const dst = filterNets(rule.dstNets, family, false);
  const notDst = filterNets(rule.notDstNets, family, true);
  if (src.all || notSrc.all || dst.all || notDst.all) return [];
  const sets: RuleSets = ruleSets(rule);
  const setName = (d: Parameters<typeof setDataId>[0]) => mainSetName(family, setDataId(d));
  const proto = rule.protocol === undefined ? [] : [M.protocol(rule.protocol)];
  const blocks = new MatchBlocks();
  let portSplits = splitPortList((rule.dstPorts ?? []).filter((p): p is FelixPortRange => !('name' in p)));
  let named = sets.dstNamedPorts.map(setName);
  if (portSplits.length + named.length > 1) {
    blocks.positive([...portSplits.map((s) => [...proto, M.destPortRanges(s)].join(' ')), ...named.map(M.destIPPortSet)]);
    portSplits = [];
    named = [];
  }
  let srcNets = src.nets;
  let dstNets = dst.nets;
  if (srcNets.length > 1) (blocks.positive(srcNets.map(M.sourceNet)), (srcNets = []));
  if (dstNets.length > 1) (blocks.positive(dstNets.map(M.destNet)), (dstNets = []));
  let notSrcNets = notSrc.nets;
  let notDstNets = notDst.nets;
  if (srcNets.length + notSrcNets.length > 1) (blocks.negated(notSrcNets.map(M.sourceNet)), (notSrcNets = []));
  if (dstNets.length + notDstNets.length > 1) (blocks.negated(notDstNets.map(M.destNet)), (notDstNets = []));
  // CalculateRuleMatch's order.
  const match = [
    ...proto,
    ...srcNets.map(M.sourceNet),
    ...sets.src.map((d) => M.sourceIPSet(setName(d))),
    ...dstNets.map(M.destNet),
    ...sets.dst.map((d) => M.destIPSet(setName(d))),
    ...portSplits.map(M.destPortRanges),
    ...named.map(M.destIPPortSet),
    ...notSrcNets.map(M.notSourceNet),
    ...notDstNets.map(M.notDestNet),
    ...(blocks.using ? [M.markSingleBitSet(MARKS.scratch0)] : []),
  ];
  const act = ACTIONS[rule.action ?? 'allow'];
  const out: FelixRule[] = [...blocks.rules, { match, action: A.setMark(act.mark) }, { match: [M.markSingleBitSet(act.mark)], action: act.then }];
  const notes = (rule.annotations ?? []).map(([k, v]) => `${k}=${v}`);
  return notes.length === 0 ? out : out.map((r) => ({ ...r, comments: [...(r.comments ?? []), ...notes] }));
}

/**
 * ProtoRulesToIptablesRules: the rules of one direction of a policy, without the trailing
 * RETURNs (the chain returns anyway), the first carrying `Policy <name> ingress|egress` (an
 * empty rule holds it when there are none).
 */
export function policyDirectionRules(rules: readonly FelixPolicyRule[], family: 4 | 6, comment: string): FelixRule[] {
  const out = rules.flatMap((r) => policyRuleToIptables(r, family));
  while (out.length > 0 && out[out.length - 1]?.action === A.return) out.pop();
  const first = out[0] ?? { action: '' };
  return [{ ...first, comments: [...(first.comments ?? []), comment] }, ...out.slice(1)];
}
