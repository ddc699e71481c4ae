/**
 * The rules kube-router keeps with single iptables commands before each sync (network_policy_controller.go):
 *
 * - ensureTopLevelChains: `-I INPUT|FORWARD|OUTPUT 1 -m comment --comment "kube-router netpol - <uuid>"
 *   -j KUBE-ROUTER-…`, then at the top of KUBE-ROUTER-INPUT, per family: RETURN for the
 *   service ClusterIP ranges, and for TCP and UDP to a local address in the NodePort range
 *   (kube-proxy's business, not policy's);
 * - ensureDefaultNetworkPolicyChain: KUBE-NWPLCY-DEFAULT marks 0x10000 ("no policy applies: allowed");
 * - ensureCommonPolicyChain: KUBE-NWPLCY-COMMON drops INVALID, accepts RELATED,ESTABLISHED and
 *   some ICMP (echo-request, destination-unreachable, time-exceeded; for IPv6 also neighbour
 *   solicitation/advertisement and echo-reply) before any policy is asked.
 *
 * The INVALID and ESTABLISHED rules' comments carry literal double quotes: kube-router passes
 * `"\"rule to drop invalid state for pod\""` to iptables as one argument.
 */
import { type Cidr, formatCidr } from '../../addr/index.js';
import { KR_CHAINS, KR_MARK, KR_TOP_CHAINS, topLevelRuleUuid } from './names.js';

/** A rule kube-router keeps at a position of a chain (ensureRuleAtPosition), as an `-A` line. */
export interface KrPositionedRule {
  readonly chain: string;
  readonly position: number;
  readonly line: string;
}

/** `words` with ` - <uuid>` appended to the comment, as an `-A CHAIN` line. */
function withUuid(chain: string, words: readonly string[]): string {
  const uuid = topLevelRuleUuid(chain, words);
  const out = words.map((w, i) => (words[i - 1] === '--comment' ? `"${w} - ${uuid}"` : w));
  return `-A ${chain} ${out.join(' ')}`;
}

/** The jumps from the built-in chains, each at position 1. */
export function topLevelJumps(): KrPositionedRule[] {
  return KR_TOP_CHAINS.map(([builtin, custom]) => ({ chain: builtin, position: 1, line: withUuid(builtin, ['-m', 'comment', '--comment', 'kube-router netpol', '-j', custom]) }));
}

/** KUBE-ROUTER-INPUT's head for one family: ClusterIP ranges, then NodePorts for TCP and UDP. */
export function inputWhitelist(family: 4 | 6, clusterIPRanges: readonly Cidr[], nodePortRange: string): KrPositionedRule[] {
  const chain = KR_CHAINS.input;
  const words: string[][] = clusterIPRanges
    .filter((c) => c.addr.family === family)
    .map((c) => ['-m', 'comment', '--comment', 'allow traffic to primary/secondary cluster IP range', '-d', formatCidr(c), '-j', 'RETURN']);
  for (const proto of ['tcp', 'udp'] as const) {
    words.push(['-p', proto, '-m', 'comment', '--comment', `allow LOCAL ${proto.toUpperCase()} traffic to node ports`, '-m', 'addrtype', '--dst-type', 'LOCAL', '-m', 'multiport', '--dports', nodePortRange, '-j', 'RETURN']);
  }
  return words.map((w, i) => ({ chain, position: i + 1, line: withUuid(chain, w) }));
}

/** KUBE-NWPLCY-DEFAULT's one rule. */
export function defaultChainRules(): string[] {
  return [`-A ${KR_CHAINS.default} -j MARK -m comment --comment "rule to mark traffic matching a network policy" --set-xmark ${KR_MARK.matched}`];
}

/** KUBE-NWPLCY-COMMON's rules for a family (utils.CommonICMPRules). */
export function commonChainRules(family: 4 | 6): string[] {
  const c = KR_CHAINS.common;
  const [proto, opt] = family === 4 ? ['icmp', '--icmp-type'] : ['ipv6-icmp', '--icmpv6-type'];
  const icmp: [string, string][] = [
    ['echo-request', 'allow icmp echo requests'],
    ['destination-unreachable', 'allow icmp destination unreachable messages'],
    ['time-exceeded', 'allow icmp time exceeded messages'],
  ];
  if (family === 6) {
    icmp.push(['neighbor-solicitation', 'allow icmp neighbor solicitation messages'], ['neighbor-advertisement', 'allow icmp neighbor advertisement messages'], ['echo-reply', 'allow icmp echo reply messages']);
  }
  return [
    `-A ${c} -m comment --comment "\\"rule to drop invalid state for pod\\"" -m conntrack --ctstate INVALID -j DROP`,
    `-A ${c} -m comment --comment "\\"rule for stateful firewall for pod\\"" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    ...icmp.map(([type, comment]) => `-A ${c} -m comment --comment "${comment}" -p ${proto} ${opt} ${type} -j ACCEPT`),
  ];
}

/** ensureExplicitAccept: the last rule of each top-level chain (AppendUnique into the restore buffer). */
export function explicitAcceptLines(): string[] {
  return KR_TOP_CHAINS.map(([, custom]) => `-A ${custom} -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark ${KR_MARK.passed} -j ACCEPT `);
}
