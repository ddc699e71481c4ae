/**
 * Cutting a node's kube-proxy rules out of what a scenario builds, for comparison with a
 * kube-proxy test's expected dump: the `default/kubernetes` Service (which every netsim cluster
 * has and upstream's fake proxier has not) is removed, and only the KUBE-* chains of filter and
 * nat are kept from an iptables-save (the built-in chains hold other agents' rules too).
 */
import { createNetfilter, getRuleset, newChain } from '../../src/kernel/netfilter/index.js';
import { findChain, findTable } from '../../src/kernel/netfilter/state.js';
import { builtinJumpSpecs } from '../../src/proxy/index.js';
import { iptablesRestore } from '../../src/kernel/netfilter/restore.js';
import { printRuleset } from '../../src/kernel/netfilter/syntax/index.js';

const KUBERNETES = 'default/kubernetes';

/** The text without the kubernetes Service's rules, and without the chains only they filled. */
export function withoutKubernetesService(text: string): string {
  const lines = text.split('\n');
  const emptied = new Set<string>();
  const kept = lines.filter((l) => {
    if (!l.startsWith('-A ') || !l.includes(KUBERNETES)) return true;
    emptied.add(l.split(' ')[1] ?? '');
    return false;
  });
  const filled = new Set(kept.filter((l) => l.startsWith('-A ')).map((l) => l.split(' ')[1] ?? ''));
  return kept.filter((l) => !(l.startsWith(':') && emptied.has(l.slice(1).split(' ')[0] ?? '') && !filled.has(l.slice(1).split(' ')[0] ?? ''))).join('\n');
}

/** The KUBE-* chains and rules of filter and nat of an iptables-save text. */
export function kubeChains(save: string): string {
  const out: string[] = [];
  let table = '';
  for (const l of save.split('\n')) {
    if (l.startsWith('*')) table = l.slice(1);
    if (table !== 'filter' && table !== 'nat') continue;
    if (l.startsWith('*') || l === 'COMMIT' || l.startsWith(':KUBE-') || l.startsWith('-A KUBE-')) out.push(l);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A kube-proxy payload as iptables-save prints it once restored (options in the kernel's
 * order), after kube-proxy's start-up created the chains its built-in jumps target (so an
 * empty KUBE-FIREWALL is there even when the payload writes nothing into it, as on a node).
 */
export function canonicalSave(payload: string): string {
  const nf = createNetfilter();
  for (const j of builtinJumpSpecs()) {
    const table = findTable(nf, 4, j.table);
    if (table === undefined || findChain(table, j.target) === undefined) newChain(nf, 4, j.table, j.target);
  }
  const r = iptablesRestore(nf, payload, { file: 'expected', family: 4, noflush: true });
  if (r.diagnostics.length > 0) throw new Error(`does not restore: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return printRuleset(getRuleset(nf, 4));
}
