/**
 * loadKubeRouter: one fullPolicySync of kube-router's network policy controller on a node, for
 * one family, through the kernel verbs its commands stand for:
 *
 * 1. single iptables commands keep the top-level jumps and KUBE-ROUTER-INPUT's head at their
 *    positions (`-I CHAIN N`, and `-D` of a copy found elsewhere), and the DEFAULT and COMMON
 *    chains' rules (append when missing);
 * 2. `ipset restore` of the policies' sets (`create NAME hash:ip|hash:net timeout 0`);
 * 3. `iptables-save -t filter` into a buffer, the new policy and pod chains appended to it, the
 *    explicit ACCEPT moved to the end of each top-level chain (AppendUnique), every line of a
 *    stale KUBE-NWPLCY-/KUBE-POD-FW- chain dropped, chain lines given ` - [0:0]`, and the
 *    whole filter table restored (cleanupStaleRules, then `iptables-restore -T filter`
 *    without --noflush: kube-router replaces the table it read, other agents' rules included).
 */
import { type Diagnostic, InternalError, hasErrors } from '../../diag/diagnostic.js';
import { type Rule, defineSet, deleteRule, getRuleset, insertRule, newChain, appendRule } from '../../kernel/netfilter/index.js';
import type { IpSet } from '../../kernel/netfilter/ipset/index.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { findChain } from '../../kernel/netfilter/state.js';
import { parseRule, printRule, printRuleset } from '../../kernel/netfilter/syntax/index.js';
import type { NetfilterState } from '../../kernel/netfilter/index.js';
import { getNetns } from '../../kernel/world.js';
import type { World } from '../../kernel/world.js';
import { buildPolicyInfos } from './info.js';
import type { KubeRouterInput } from './input.js';
import { KR_CHAINS, KR_TOP_CHAINS } from './names.js';
import { localPods, podChains } from './pod-chains.js';
import { type KrSet, policyChains } from './policy-chains.js';
import { type KrPositionedRule, commonChainRules, defaultChainRules, explicitAcceptLines, inputWhitelist, topLevelJumps } from './static.js';

/** What one sync wrote: the restored filter table and the sets, for tests and `show`. */
export interface KubeRouterSync {
  readonly payload: string;
  readonly sets: readonly IpSet[];
  readonly diagnostics: readonly Diagnostic[];
}

function parseLine(line: string, family: 4 | 6): Rule {
  const parsed = parseRule(line, { file: 'kube-router', family, table: 'filter' });
  const rule = parsed.value?.rules[0];
  if (rule === undefined || hasErrors(parsed.diagnostics)) throw new InternalError(`kube-router rule does not parse: ${line}`);
  return rule;
}

function chainOf(nf: NetfilterState, family: 4 | 6, name: string) {
  const table = getRuleset(nf, family).tables.find((t) => t.name === 'filter');
  return table === undefined ? undefined : findChain(table, name);
}

function ensureChain(nf: NetfilterState, family: 4 | 6, name: string): void {
  if (chainOf(nf, family, name) === undefined) newChain(nf, family, 'filter', name);
}

/** ensureRuleAtPosition: insert when missing; when elsewhere, insert at the position and delete the old copy. */
function ensureAtPosition(nf: NetfilterState, family: 4 | 6, r: KrPositionedRule): void {
  const rule = parseLine(r.line, family);
  const want = printRule(r.chain, rule);
  const rules = chainOf(nf, family, r.chain)?.rules ?? [];
  const at = rules.findIndex((x) => printRule(r.chain, x) === want) + 1;
  if (at === r.position) return;
  insertRule(nf, family, 'filter', r.chain, rule, Math.min(r.position, rules.length + 1));
  // As kube-router: the old copy is taken to be one further down (right when another agent
  // inserted above it, which is the case this is for; wrong if the copy sat above the position).
  if (at > 0) deleteRule(nf, family, 'filter', r.chain, at + 1);
}

/** AppendUnique through iptables: append when no equal rule exists. */
function appendMissing(nf: NetfilterState, family: 4 | 6, chain: string, line: string): void {
  const rule = parseLine(line, family);
  const want = printRule(chain, rule);
  if (!(chainOf(nf, family, chain)?.rules ?? []).some((x) => printRule(chain, x) === want)) appendRule(nf, family, 'filter', chain, rule);
}

/** Step 1: the chains and rules kube-router keeps with single commands. */
function ensureStatic(nf: NetfilterState, input: KubeRouterInput): void {
  const fam = input.family;
  for (const [, custom] of KR_TOP_CHAINS) ensureChain(nf, fam, custom);
  for (const r of topLevelJumps()) ensureAtPosition(nf, fam, r);
  for (const r of inputWhitelist(fam, input.serviceClusterIPRanges, input.nodePortRange)) ensureAtPosition(nf, fam, r);
  ensureChain(nf, fam, KR_CHAINS.default);
  for (const l of defaultChainRules()) appendMissing(nf, fam, KR_CHAINS.default, l);
  ensureChain(nf, fam, KR_CHAINS.common);
  for (const l of commonChainRules(fam)) appendMissing(nf, fam, KR_CHAINS.common, l);
}

/** An ipset of kube-router's as the kernel holds it after `ipset restore`. */
function toIpSet(s: KrSet, family: 4 | 6): IpSet {
  return { name: s.name, type: s.type, family, options: ['hashsize', '1024', 'maxelem', '65536', 'timeout', '0'], members: [...new Set(s.members)] };
}

/** AppendUnique: drop earlier copies of `line`'s rule, then append it. */
function appendUnique(buffer: string[], line: string): string[] {
  const [, chain = '', ...rest] = line.trim().split(' ');
  const body = rest.join(' ');
  return [...buffer.filter((l) => !(l.includes(chain) && l.includes(body))), line];
}

/** cleanupStaleRules: the buffer as the table kube-router restores. */
function desiredTable(buffer: readonly string[], stale: readonly string[]): string {
  const kept = buffer.filter((l) => !stale.some((c) => l.includes(c)) && !l.includes('COMMIT') && !l.startsWith('# '));
  const chains = kept.filter((l) => l.startsWith(':')).map((l) => `${l} - [0:0]`);
  const rules = kept.filter((l) => l.startsWith('-'));
  return ['*filter', ...chains, ...rules, 'COMMIT', ''].join('\n');
}

/** One full sync of kube-router on `nodeNs` for `input.family`. */
export function loadKubeRouter(world: World, nodeNs: string, input: KubeRouterInput): KubeRouterSync {
  const nf = getNetns(world, nodeNs).netfilter;
  const fam = input.family;
  ensureStatic(nf, input);
  const policies = buildPolicyInfos(input);
  const pol = policyChains(policies, input.syncVersion, fam);
  const sets = pol.sets.map((s) => toIpSet(s, fam));
  for (const s of sets) defineSet(nf, s);
  const filter = getRuleset(nf, fam).tables.filter((t) => t.name === 'filter');
  const saved = printRuleset({ family: fam, tables: filter }).split('\n').filter((l) => l !== '');
  const added = [...pol.lines, ...podChains(localPods(input.pods, input.nodeName), policies, input.syncVersion, fam)];
  let buffer = [...saved, ...added];
  for (const line of explicitAcceptLines()) buffer = appendUnique(buffer, line);
  // Chains of earlier syncs (another version in their hash) are stale; this sync's are declared in `added`.
  const declared = new Set(added.filter((l) => l.startsWith(':')).map((l) => l.slice(1)));
  const stale = (filter[0]?.chains ?? []).map((c) => c.name).filter((c) => isKubeRouterDynamic(c) && !declared.has(c));
  const payload = desiredTable(buffer, stale);
  const restored = iptablesRestore(nf, payload, { file: `kube-router:${nodeNs}`, family: fam, noflush: false });
  return { payload, sets, diagnostics: restored.diagnostics };
}

/** A per-sync chain: KUBE-POD-FW-… or KUBE-NWPLCY-… other than DEFAULT and COMMON. */
function isKubeRouterDynamic(chain: string): boolean {
  return (chain.startsWith('KUBE-NWPLCY-') || chain.startsWith('KUBE-POD-FW-')) && chain !== KR_CHAINS.default && chain !== KR_CHAINS.common;
}
