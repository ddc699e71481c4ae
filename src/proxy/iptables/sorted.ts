/**
 * sortedForTest: the normalisation upstream's proxier tests apply to both the expected and the
 * actual payload (sortIPTablesRules in pkg/proxy/iptables/proxier_test.go), so that service
 * order does not matter while the order of related rules does. Tables by name; chains with
 * KUBE-NODEPORTS, then KUBE-SERVICES, then other KUBE-* alphabetically, then the rest; rules of
 * the KUBE-NODEPORTS and KUBE-SERVICES chains stably by service name, keeping the nat
 * "must be the last rule" rule last.
 */
import { type DumpChain, parseDump, renderDump, ruleComment } from './dump.js';
import { KUBE_NODEPORTS, KUBE_SERVICES } from './naming.js';

function chainRank(name: string): number {
  if (name === KUBE_NODEPORTS) return 0;
  if (name === KUBE_SERVICES) return 1;
  return name.startsWith('KUBE-') ? 2 : 3;
}

function compareChains(a: DumpChain, b: DumpChain): number {
  const byRank = chainRank(a.name) - chainRank(b.name);
  if (byRank !== 0) return byRank;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The service name of a rule's comment: up to the first space or colon. */
function serviceName(rule: string): string | undefined {
  const text = ruleComment(rule);
  if (text === undefined) return undefined;
  const cut = text.search(/[ :]/);
  return cut === -1 ? text : text.slice(0, cut);
}

function byServiceName(a: string, b: string): number {
  const na = serviceName(a);
  const nb = serviceName(b);
  if (na === undefined || nb === undefined) return 0;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function isLastRule(rule: string): boolean {
  return (ruleComment(rule) ?? '').includes('must be the last rule');
}

function byServiceNameLastRuleLast(a: string, b: string): number {
  const lastA = isLastRule(a);
  const lastB = isLastRule(b);
  if (lastA || lastB) return lastA === lastB ? 0 : lastA ? 1 : -1;
  return byServiceName(a, b);
}

/** Normalises a payload or dump for comparison with upstream's expected dumps. */
export function sortedForTest(text: string): string {
  const tables = parseDump(text).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const table of tables) {
    table.chains.sort(compareChains);
    for (const chain of table.chains) {
      if (chain.name === KUBE_NODEPORTS) chain.rules.sort(byServiceName);
      if (chain.name === KUBE_SERVICES) {
        chain.rules.sort(table.name === 'nat' ? byServiceNameLastRuleLast : byServiceName);
      }
    }
  }
  return renderDump(tables);
}
