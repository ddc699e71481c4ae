/**
 * loadFelix: Felix's iptables dataplane applying its rules to a node's netfilter state, through
 * the kernel verbs Felix's commands stand for.
 *
 * 1. `ipset restore` of its sets (each replaced whole, as Felix's resync does);
 * 2. `iptables-restore --noflush` of its own chains: declared chains are flushed and refilled,
 *    other agents' chains (kube-proxy's KUBE-*) stay, and `cali-` chains Felix no longer
 *    writes are deleted (`-X`);
 * 3. its rules in the built-in chains: old ones (a `cali:` comment first) are deleted
 *    (`-D`), then the jumps are inserted at the top (`-I CHAIN 1`) and the FORWARD rules appended.
 *
 * Felix re-checks the built-in chains periodically and moves its rules back to the top when
 * another agent inserted above them; calling loadFelix again after kube-proxy's start-up does the
 * same, so the two may load in either order.
 */
import { type Diagnostic, InternalError, hasErrors } from '../../../diag/diagnostic.js';
import type { TableName } from '../../../kernel/events.js';
import { type Rule, appendRule, defineSet, deleteRule, getRuleset, insertRule } from '../../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../../kernel/netfilter/restore.js';
import { findChain } from '../../../kernel/netfilter/state.js';
import { parseRule } from '../../../kernel/netfilter/syntax/index.js';
import { getNetns } from '../../../kernel/world.js';
import type { World } from '../../../kernel/world.js';
import type { FelixInput } from './input.js';
import { type FelixHook, felixRules } from './rules.js';

/** True for a rule Felix wrote: its first comment is `cali:<hash>`. */
export function isFelixRule(rule: Rule): boolean {
  const c = rule.matches.find((m) => m.module === 'comment');
  return c?.opts[0]?.args[0]?.startsWith('cali:') ?? false;
}

/** `-X` lines for the `cali-` chains a table has that the new payload does not declare. */
function staleChainLines(payload: string, existing: ReadonlyMap<TableName, readonly string[]>): string {
  const out: string[] = [];
  let table: TableName | undefined;
  let declared = new Set<string>();
  for (const line of payload.split('\n')) {
    if (line.startsWith('*')) {
      table = line.slice(1) as TableName;
      declared = new Set();
    } else if (line.startsWith(':')) {
      declared.add(line.slice(1).split(' ')[0] ?? '');
    } else if (line === 'COMMIT' && table !== undefined) {
      const stale = (existing.get(table) ?? []).filter((c) => c.startsWith('cali-') && !declared.has(c));
      out.push(...stale.map((c) => `:${c} - [0:0]`), ...stale.map((c) => `-X ${c}`));
    }
    out.push(line);
  }
  return out.join('\n');
}

function parseHookRule(line: string, hook: FelixHook, family: 4 | 6): Rule {
  const parsed = parseRule(line, { file: 'felix', family, table: hook.table });
  const rule = parsed.value?.rules[0];
  if (rule === undefined || hasErrors(parsed.diagnostics)) throw new InternalError(`Felix rule does not parse: ${line}`);
  return rule;
}

/** Felix's rules and ipsets on the node `nodeNs` for `input.family`; returns what loading reported. */
export function loadFelix(world: World, nodeNs: string, input: FelixInput): readonly Diagnostic[] {
  const nf = getNetns(world, nodeNs).netfilter;
  const fam = input.family;
  const rules = felixRules(input);
  for (const set of rules.ipsets) defineSet(nf, set);
  const existing = new Map(getRuleset(nf, fam).tables.map((t) => [t.name, t.chains.map((c) => c.name)] as const));
  const restored = iptablesRestore(nf, staleChainLines(rules.chainsPayload, existing), { file: `felix:${nodeNs}`, family: fam, noflush: true });
  if (hasErrors(restored.diagnostics)) return restored.diagnostics;
  const cleared = new Set<string>();
  for (const hook of rules.hooks) {
    if (cleared.has(`${hook.table} ${hook.chain}`)) continue;
    cleared.add(`${hook.table} ${hook.chain}`);
    const table = getRuleset(nf, fam).tables.find((t) => t.name === hook.table);
    const chain = table === undefined ? undefined : findChain(table, hook.chain);
    if (chain === undefined) throw new InternalError(`${hook.table} ${hook.chain}: no such built-in chain after restore`);
    // From the end, so the positions still to delete do not move.
    for (let i = chain.rules.length; i >= 1; i--) if (isFelixRule(chain.rules[i - 1] as Rule)) deleteRule(nf, fam, hook.table, hook.chain, i);
  }
  for (const hook of rules.hooks) {
    const parsed = hook.rules.map((l) => parseHookRule(l, hook, fam));
    if (hook.position === 'insert') parsed.reverse().forEach((r) => insertRule(nf, fam, hook.table, hook.chain, r, 1));
    else parsed.forEach((r) => appendRule(nf, fam, hook.table, hook.chain, r));
  }
  return restored.diagnostics;
}
