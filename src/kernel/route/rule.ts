/**
 * `ip rule`: the policy routing database. Every namespace starts with the kernel's default rules
 * (IPv4: 0 local, 32766 main, 32767 default; IPv6: 0 local, 32766 main — IPv6 has no rule for
 * the default table, as `ip -6 rule` shows). Rules are kept sorted by priority; a new rule goes
 * after existing rules of equal priority (fib_nl_newrule).
 */
import type { Cidr } from '../../addr/cidr.js';
import { canonicalCidr, cidrContains } from '../../addr/cidr.js';
import type { Family, Ip } from '../../addr/ip.js';
import type { Netns } from '../netns.js';
import { noteRulesWrite } from '../netns-changes.js';
import { type FibRule, type RuleAction, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from './types.js';

/** The rules a fresh namespace has. */
export function defaultRules(family: Family): FibRule[] {
  const rules: FibRule[] = [
    { priority: 0, action: 'lookup', table: TABLE_LOCAL },
    { priority: 32766, action: 'lookup', table: TABLE_MAIN },
  ];
  if (family === 4) rules.push({ priority: 32767, action: 'lookup', table: TABLE_DEFAULT });
  return rules;
}

/** Options of {@link addRule}, as `ip rule add` spells them. */
export interface RuleSpec {
  readonly family: Family;
  readonly priority?: number;
  readonly action?: RuleAction;
  readonly table?: number;
  readonly from?: Cidr;
  readonly to?: Cidr;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly iif?: string;
  readonly oif?: string;
  readonly not?: boolean;
}

/**
 * The priority the kernel gives a rule added without one: one less than the priority of the
 * first rule after rule 0 (fib_default_rule_pref, net/core/fib_rules.c), or 0.
 */
function defaultPriority(rules: readonly FibRule[]): number {
  const second = rules[0]?.priority === 0 ? rules[1] : rules[0];
  return second !== undefined && second.priority > 0 ? second.priority - 1 : 0;
}

/**
 * `ip [-6] rule add [not] [from P] [to P] [fwmark M[/MASK]] [iif DEV] [oif DEV] [priority N]
 * lookup TABLE | blackhole | unreachable | prohibit`.
 */
export function addRule(ns: Netns, spec: RuleSpec): FibRule {
  const list = ns.rules[spec.family];
  const rule: FibRule = {
    priority: spec.priority ?? defaultPriority(list),
    action: spec.action ?? 'lookup',
    table: spec.table ?? TABLE_MAIN,
    ...(spec.from !== undefined ? { from: canonicalCidr(spec.from) } : {}),
    ...(spec.to !== undefined ? { to: canonicalCidr(spec.to) } : {}),
    ...(spec.fwmark !== undefined ? { fwmark: spec.fwmark >>> 0, fwmask: (spec.fwmask ?? 0xffffffff) >>> 0 } : {}),
    ...(spec.iif !== undefined ? { iif: spec.iif } : {}),
    ...(spec.oif !== undefined ? { oif: spec.oif } : {}),
    ...(spec.not === true ? { not: true } : {}),
  };
  const at = list.findIndex((r) => r.priority > rule.priority);
  list.splice(at < 0 ? list.length : at, 0, rule);
  noteRulesWrite();
  return rule;
}

/** `ip rule del priority N`: removes the rules of that priority; returns how many. */
export function delRule(ns: Netns, family: Family, priority: number): number {
  const list = ns.rules[family];
  const before = list.length;
  const kept = list.filter((r) => r.priority !== priority);
  list.splice(0, list.length, ...kept);
  noteRulesWrite();
  return before - kept.length;
}

/** The keys a rule matches on (`struct flowi`): addresses, mark, input and output device. */
export interface FlowKey {
  readonly dst: Ip;
  readonly src?: Ip;
  readonly mark: number;
  /** Input device; `lo` for locally generated packets (the kernel uses LOOPBACK_IFINDEX). */
  readonly iif: string;
  readonly oif?: string;
}

/** fib_rule_match + fib4_rule_match: all selectors must hold, then `not` inverts. */
export function ruleMatches(rule: FibRule, key: FlowKey): boolean {
  const hit =
    (rule.from === undefined || (key.src !== undefined && cidrContains(rule.from, key.src)) || rule.from.prefix === 0) &&
    (rule.to === undefined || cidrContains(rule.to, key.dst)) &&
    (rule.fwmark === undefined || ((key.mark ^ rule.fwmark) & (rule.fwmask ?? 0xffffffff)) === 0) &&
    (rule.iif === undefined || rule.iif === key.iif) &&
    (rule.oif === undefined || rule.oif === key.oif);
  return rule.not === true ? !hit : hit;
}
