/**
 * The consistency check of upstream's proxier tests (checkIPTablesRuleJumps): within each table
 * of a payload, every rule is appended to a declared chain, every `-j` names a declared chain or
 * a built-in target, every jumped-to chain has rules (KUBE-NODEPORTS excepted), and every
 * declared chain is used (the top-level chains excepted).
 */
import { parseDump } from './dump.js';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './naming.js';

/** Targets that are not chains (iptables extensions and built-in verdicts). */
export const BUILTIN_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'LOG', 'NFLOG']);

const TOP_LEVEL_CHAINS: ReadonlySet<string> = new Set([
  KUBE_SERVICES,
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_PROXY_FIREWALL,
  KUBE_FIREWALL,
]);

function jumpTarget(rule: string): string | undefined {
  return / -j (\S+)/.exec(rule)?.[1];
}

/** Problems found, one sentence each; empty when the payload is consistent. */
export function checkRuleJumps(text: string): string[] {
  const problems: string[] = [];
  for (const table of parseDump(text)) {
    const declared = new Set(table.chains.filter((c) => !c.deleted).map((c) => c.name));
    const filled = new Set(table.chains.filter((c) => c.rules.length > 0).map((c) => c.name));
    const jumped = new Set<string>();
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        const target = jumpTarget(rule);
        if (target !== undefined && !BUILTIN_TARGETS.has(target)) jumped.add(target);
      }
    }
    for (const name of [...jumped, ...filled]) {
      if (!declared.has(name)) problems.push(`${table.name}: ${name} is used but not created`);
    }
    for (const name of jumped) {
      if (!filled.has(name) && name !== KUBE_NODEPORTS) problems.push(`${table.name}: ${name} is jumped to but has no rules`);
    }
    for (const name of declared) {
      if (!jumped.has(name) && !TOP_LEVEL_CHAINS.has(name)) problems.push(`${table.name}: ${name} is created but not used`);
    }
  }
  return [...new Set(problems)];
}
