/**
 * The extensions netsim understands, as two lookup tables built once. Anything not listed here
 * is reported (`IPT_UNKNOWN_MATCH`, `IPT_UNKNOWN_TARGET`), never passed through silently,
 * because the engine could not evaluate it.
 */
import { type ExtensionDef, bare } from './extension.js';
import { conntrack, state } from './match/conntrack.js';
import { icmp, icmp6 } from './match/icmp.js';
import { iprange } from './match/iprange.js';
import { multiport, sctp, tcp, udp } from './match/ports.js';
import { limit, recent, statistic } from './match/rate.js';
import { addrtype, comment, connmark, mark, nfacct, physdev, rpfilter, set } from './match/simple.js';
import { CONNMARK, MARK } from './target/mark.js';
import { DNAT, MASQUERADE, REDIRECT, SNAT } from './target/nat.js';
import { CT, NFLOG } from './target/misc.js';
import { LOG, REJECT } from './target/reject-log.js';
import { CLASSIFY, DSCP, TCPMSS, TOS } from './target/qos.js';
import { dscp, owner, tos } from './match/tos.js';

function byName(defs: readonly ExtensionDef[]): ReadonlyMap<string, ExtensionDef> {
  return new Map(defs.map((d) => [d.name, d]));
}

/** `-m NAME` extensions. */
export const MATCHES = byName([
  tcp, udp, sctp, multiport, icmp, icmp6, comment, mark, connmark, conntrack, state, statistic, limit,
  recent, addrtype, physdev, set, nfacct, iprange, rpfilter, tos, dscp, owner,
]);

/** Names `-m` also accepts for a match, mapped to the name iptables-save prints. */
export const MATCH_ALIASES: ReadonlyMap<string, string> = new Map([['icmpv6', 'icmp6'], ['ipv6-icmp', 'icmp6']]);

/** Verdicts built into iptables itself (XT_STANDARD_TARGET). */
export const VERDICTS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/** `-j NAME` extensions. */
export const TARGETS = byName([
  DNAT, SNAT, MASQUERADE, REDIRECT, MARK, CONNMARK, REJECT, LOG, NFLOG, CT, bare('TRACE'), bare('NOTRACK'), TOS, DSCP, TCPMSS, CLASSIFY,
]);

/** The implicit match `-p PROTO` loads when one of its options appears without `-m`. */
export const PROTO_MATCH: ReadonlyMap<string, string> = new Map([
  ['tcp', 'tcp'], ['udp', 'udp'], ['sctp', 'sctp'], ['icmp', 'icmp'], ['ipv6-icmp', 'icmp6'],
]);

/** Real iptables extensions netsim does not model, named so the error can say so. */
export const KNOWN_UNSUPPORTED: ReadonlySet<string> = new Set([
  'NFQUEUE', 'TPROXY', 'CHECKSUM', 'TTL', 'HL',
  'SET', 'AUDIT', 'SECMARK', 'CONNSECMARK', 'NETMAP', 'ULOG', 'TEE', 'IDLETIMER', 'LED', 'SYNPROXY',
  'string', 'length', 'ttl', 'hl', 'mac', 'pkttype', 'connlimit',
  'connbytes', 'hashlimit', 'helper', 'socket', 'time', 'u32', 'bpf', 'cgroup', 'policy',
  'dccp', 'esp', 'ah', 'cluster', 'cpu', 'devgroup', 'ecn', 'realm', 'quota',
  'rateest', 'osf', 'ipvs', 'frag', 'hbh', 'dst', 'ipv6header', 'mh', 'rt', 'eui64', 'tcpmss', 'udplite',
]);
