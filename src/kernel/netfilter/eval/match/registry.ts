/**
 * Match modules by name (the `-m` word iptables-save prints). A data table, not registration:
 * adding a family means adding its file and one line here.
 */
import type { MatchSpec } from '../../rule.js';
import { addrtypeMatch } from './addrtype.js';
import { conntrackMatch, stateMatch } from './ct.js';
import { icmp6Match, icmpMatch } from './icmp.js';
import { connmarkMatch, markMatch } from './marks.js';
import { alwaysMatch, iprangeMatch } from './misc.js';
import { physdevMatch } from './physdev.js';
import { multiportMatch, sctpMatch, tcpMatch, udpMatch } from './ports.js';
import { recentMatch } from './recent.js';
import { rpfilterMatch } from './rpfilter.js';
import { setMatch } from './set.js';
import { statisticMatch } from './statistic.js';
import { unmodelledMatch } from './unmodelled.js';
import { dscpMatch, ownerMatch, tosMatch } from './tos.js';
import type { MatchCompiler, Matcher } from './types.js';

const MODULES: ReadonlyMap<string, MatchCompiler> = new Map<string, MatchCompiler>([
  ['tcp', tcpMatch],
  ['udp', udpMatch],
  ['sctp', sctpMatch],
  ['multiport', multiportMatch],
  ['icmp', icmpMatch],
  ['icmp6', icmp6Match],
  ['mark', markMatch],
  ['connmark', connmarkMatch],
  ['conntrack', conntrackMatch],
  ['state', stateMatch],
  ['statistic', statisticMatch],
  ['addrtype', addrtypeMatch],
  ['recent', recentMatch],
  ['physdev', physdevMatch],
  ['set', setMatch],
  ['iprange', iprangeMatch],
  ['rpfilter', rpfilterMatch],
  ['tos', tosMatch],
  ['dscp', dscpMatch],
  ['owner', ownerMatch],
  ['comment', alwaysMatch],
  ['limit', alwaysMatch],
  ['hashlimit', alwaysMatch],
  ['nfacct', alwaysMatch],
]);

/** Module names the engine evaluates (the parser may accept more; those fail here, loudly). */
export const SUPPORTED_MATCHES: readonly string[] = [...MODULES.keys()];

/** Compiles one `-m` match; an unknown module is an internal error (the parser rejects them first). */
export function compileMatch(spec: MatchSpec): Matcher | undefined {
  if (spec.module === 'comment') return undefined; // never evaluated: no cost in long chains
  const compile = MODULES.get(spec.module);
  // The parser lets through only real matches it knows by name; those without an evaluator fork.
  if (compile === undefined) return unmodelledMatch(spec);
  return compile(spec);
}
