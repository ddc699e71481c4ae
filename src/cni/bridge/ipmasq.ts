/**
 * `ipMasq`: the per-container SNAT chain of the reference plugins (`ip.SetupIPMasq` /
 * `TeardownIPMasq`, iptables backend), in the node's nat table:
 * ```
 * -A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \"mynet\" id: \"CID\"" -j CNI-…
 * -A CNI-… -d 10.244.1.0/24 -m comment --comment "…" -j ACCEPT
 * -A CNI-… ! -d 224.0.0.0/4 -m comment --comment "…" -j MASQUERADE
 * ```
 * (`ff00::/8` instead of `224.0.0.0/4` in ip6tables). Rules are appended only when the same rule
 * is not already there (go-iptables `AppendUnique`). Teardown deletes the POSTROUTING jump (the
 * bare-IP form and the older subnet form), then flushes and deletes the chain; absent rules and
 * chains are not errors. The kernel model has no `iptables -D`, so teardown writes the edited nat
 * table back through `loadRuleset` (what `iptables-save | edit | iptables-restore` does).
 */
import { type Cidr, canonicalCidr, formatCidr } from '../../addr/cidr.js';
import { formatIp } from '../../addr/ip.js';
import { InternalError } from '../../diag/diagnostic.js';
import { appendRule, getRuleset, loadRuleset, newChain, type NetfilterState, type Rule } from '../../kernel/netfilter/index.js';
import { parseRule, printRule } from '../../kernel/netfilter/syntax/index.js';
import { getNetns } from '../../kernel/world.js';
import type { CniHost } from '../types.js';

/** Where the masquerade rules of one container go. */
export interface MasqTarget {
  readonly chain: string;
  readonly comment: string;
}

/** A rule from its words, as iptables would parse `-A CHAIN …` (the words are ours, so a parse problem is a bug). */
function rule(family: 4 | 6, words: readonly string[]): Rule {
  const parsed = parseRule(words, { file: 'cni/bridge/ipmasq', family, table: 'nat' });
  const r = parsed.value?.rules[0];
  if (r === undefined || parsed.diagnostics.length > 0) throw new InternalError(`ipmasq rule does not parse: ${words.join(' ')}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

function natChain(state: NetfilterState, family: 4 | 6, chain: string) {
  return getRuleset(state, family).tables.find((t) => t.name === 'nat')?.chains.find((c) => c.name === chain);
}

/** go-iptables `AppendUnique`: append unless an identical rule exists. */
function appendUnique(state: NetfilterState, family: 4 | 6, chain: string, r: Rule): void {
  const text = printRule(chain, r);
  if (natChain(state, family, chain)?.rules.some((x) => printRule(chain, x) === text) === true) return;
  appendRule(state, family, 'nat', chain, r);
}

function jumpWords(t: MasqTarget, source: string): string[] {
  return ['-A', 'POSTROUTING', '-s', source, '-m', 'comment', '--comment', t.comment, '-j', t.chain];
}

/** `SetupIPMasq` for one container address (`10.244.1.2/24`: the pod IP with its subnet's length). */
export function setupIpMasq(host: CniHost, address: Cidr, t: MasqTarget): void {
  const state = getNetns(host.world, host.hostNs).netfilter;
  const family = address.addr.family;
  const multicast = family === 4 ? '224.0.0.0/4' : 'ff00::/8';
  if (natChain(state, family, t.chain) === undefined) newChain(state, family, 'nat', t.chain);
  const comment = ['-m', 'comment', '--comment', t.comment];
  appendUnique(state, family, t.chain, rule(family, ['-A', t.chain, '-d', formatCidr(canonicalCidr(address)), ...comment, '-j', 'ACCEPT']));
  appendUnique(state, family, t.chain, rule(family, ['-A', t.chain, '!', '-d', multicast, ...comment, '-j', 'MASQUERADE']));
  appendUnique(state, family, 'POSTROUTING', rule(family, jumpWords(t, formatIp(address.addr))));
}

/** `TeardownIPMasq` for one container address. */
export function teardownIpMasq(host: CniHost, address: Cidr, t: MasqTarget): void {
  const state = getNetns(host.world, host.hostNs).netfilter;
  const family = address.addr.family;
  const nat = getRuleset(state, family).tables.find((tb) => tb.name === 'nat');
  if (nat === undefined) return;
  // `iptables -D` removes the first identical rule, once per form.
  const forms = [formatIp(address.addr), formatCidr(address)].map((src) => printRule('POSTROUTING', rule(family, jumpWords(t, src))));
  const chains = nat.chains
    .filter((c) => c.name !== t.chain)
    .map((c) => {
      if (c.name !== 'POSTROUTING') return c;
      let rules = c.rules;
      for (const form of forms) {
        const at = rules.findIndex((x) => printRule('POSTROUTING', x) === form);
        if (at >= 0) rules = [...rules.slice(0, at), ...rules.slice(at + 1)];
      }
      return { ...c, rules };
    });
  loadRuleset(state, { family, tables: [{ ...nat, chains }] });
}
