/**
 * `-p PROTO`: protocol names as iptables reads and prints them.
 *
 * iptables turns the argument into a number (`tcp`, `TCP`, `6`, `IPv6-ICMP` …) and prints it back
 * as the first name in /etc/protocols, or as the number when there is none (`-p 47` prints
 * `-p gre`, `-p 200` prints `-p 200`). `all` and `0` mean no protocol and print nothing.
 * The table below is Debian netbase's /etc/protocols, which the fixtures were made with.
 */
const NAMES: ReadonlyArray<readonly [number, string, ...string[]]> = [
  [1, 'icmp'], [2, 'igmp'], [3, 'ggp'], [4, 'ipencap', 'ip-encap'], [5, 'st'], [6, 'tcp'], [8, 'egp'],
  [9, 'igp'], [12, 'pup'], [17, 'udp'], [20, 'hmp'], [22, 'xns-idp'], [27, 'rdp'], [29, 'iso-tp4'],
  [33, 'dccp'], [36, 'xtp'], [37, 'ddp'], [38, 'idpr-cmtp'], [41, 'ipv6'], [43, 'ipv6-route'],
  [44, 'ipv6-frag'], [45, 'idrp'], [46, 'rsvp'], [47, 'gre'], [50, 'esp', 'ipsec-esp'], [51, 'ah', 'ipsec-ah'],
  [57, 'skip'], [58, 'ipv6-icmp', 'icmpv6', 'icmp6'], [59, 'ipv6-nonxt'], [60, 'ipv6-opts'], [73, 'rspf', 'cphb'],
  [81, 'vmtp'], [88, 'eigrp'], [89, 'ospf', 'ospfigp'], [93, 'ax.25'], [94, 'ipip'], [97, 'etherip'],
  [98, 'encap'], [103, 'pim'], [108, 'ipcomp'], [112, 'vrrp'], [115, 'l2tp'], [124, 'isis'], [132, 'sctp'],
  [133, 'fc'], [135, 'mobility-header', 'ipv6-mh', 'mh'], [136, 'udplite'], [137, 'mpls-in-ip'], [138, 'manet'],
  [139, 'hip'], [140, 'shim6'], [141, 'wesp'], [142, 'rohc'], [143, 'ethernet'],
];

const BY_NAME = new Map<string, number>([['all', 0], ['ip', 0], ['hopopt', 0]]);
const BY_NUMBER = new Map<number, string>();
for (const [num, first, ...aliases] of NAMES) {
  BY_NUMBER.set(num, first);
  for (const n of [first, ...aliases]) BY_NAME.set(n, num);
}

/** The protocol number of a `-p` argument, or undefined when it names nothing. */
export function protoNumber(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const n = Number.parseInt(text, 10);
    return n <= 255 ? n : undefined;
  }
  return BY_NAME.get(text.toLowerCase());
}

/** The name iptables-save prints for a protocol number (`undefined` for 0, which prints nothing). */
export function protoName(num: number): string | undefined {
  if (num === 0) return undefined;
  return BY_NUMBER.get(num) ?? `${num}`;
}
