/**
 * The differential cases: a rules file from test/fixtures/kernel-diff/, the host's devices and
 * addresses, and one packet. The same packet goes through the real kernel (in namespaces) and
 * through `netsim iptables trace`.
 *
 * `--local-addr` is derived from `addrs`, the out device's addresses first: netsim takes the
 * first local address as the MASQUERADE source, and the kernel takes the out device's.
 */
export interface DiffCase {
  readonly name: string;
  readonly rules: string;
  /** An `ipset save` file beside the rules, loaded first (`ipset restore`; `--ipsets` for netsim). */
  readonly ipsets?: string;
  /** Arriving packets have an in device; locally generated ones do not. */
  readonly in?: string;
  readonly out: string;
  readonly addrs: Readonly<Record<string, readonly string[]>>;
  readonly packet: {
    readonly src: string;
    readonly dst: string;
    readonly proto: 'tcp' | 'udp' | 'icmp';
    readonly sport?: number;
    readonly dport?: number;
  };
  /** Compare with `--all-paths`: the kernel's path must be one of netsim's (for `-m statistic`). */
  readonly allPaths?: boolean;
  /** The source port after NAT is random (`MASQUERADE --random-fully`), so it is not compared. */
  readonly randomSport?: boolean;
}

const NODE = { eth0: ['192.168.0.2/24'], cni0: ['10.180.5.1/24'] } as const;

export const CASES: readonly DiffCase[] = [
  // kube-proxy: one endpoint, no-endpoints REJECT, KUBE-FORWARD, KUBE-POSTROUTING.
  { name: 'kube 1ep: pod to ClusterIP is DNATed, not masqueraded', rules: 'kube-1ep.rules', in: 'cni0', out: 'eth0', addrs: NODE, packet: { src: '10.180.5.7', dst: '172.30.0.41', proto: 'tcp', dport: 80 } },
  { name: 'kube 1ep: outside client to ClusterIP is masqueraded', rules: 'kube-1ep.rules', in: 'eth1', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'], eth1: ['203.0.113.1/24'] }, packet: { src: '203.0.113.9', dst: '172.30.0.41', proto: 'tcp', dport: 80 }, randomSport: true },
  { name: 'kube 1ep: hairpin (endpoint reaches itself) is masqueraded', rules: 'kube-1ep.rules', in: 'cni0', out: 'eth0', addrs: NODE, packet: { src: '10.180.0.1', dst: '172.30.0.41', proto: 'tcp', dport: 80 }, randomSport: true },
  { name: 'kube 1ep: node process to ClusterIP (OUTPUT)', rules: 'kube-1ep.rules', out: 'eth0', addrs: NODE, packet: { src: '192.168.0.2', dst: '172.30.0.41', proto: 'tcp', dport: 80 }, randomSport: true },
  { name: 'kube 1ep: pod to a service without endpoints is REJECTed in FORWARD', rules: 'kube-1ep.rules', in: 'cni0', out: 'eth0', addrs: NODE, packet: { src: '10.180.5.7', dst: '172.30.0.42', proto: 'tcp', dport: 80 } },
  { name: 'kube 1ep: node process to a service without endpoints is REJECTed in OUTPUT', rules: 'kube-1ep.rules', out: 'eth0', addrs: NODE, packet: { src: '192.168.0.2', dst: '172.30.0.42', proto: 'tcp', dport: 80 } },
  { name: 'kube 1ep: node address, no NodePort there, goes through KUBE-NODEPORTS to INPUT', rules: 'kube-1ep.rules', in: 'eth0', out: 'cni0', addrs: NODE, packet: { src: '192.168.0.77', dst: '192.168.0.2', proto: 'tcp', dport: 30999 } },
  { name: 'kube 1ep: NodePort is DNATed via KUBE-EXT, forwarded and masqueraded', rules: 'kube-1ep.rules', in: 'eth0', out: 'cni0', addrs: { cni0: ['10.180.5.1/24'], eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.77', dst: '192.168.0.2', proto: 'tcp', dport: 30080 }, randomSport: true },
  { name: 'kube 1ep: UDP to the ClusterIP matches nothing', rules: 'kube-1ep.rules', in: 'cni0', out: 'eth0', addrs: NODE, packet: { src: '10.180.5.7', dst: '172.30.0.41', proto: 'udp', dport: 80 } },
  // kube-proxy: three endpoints behind -m statistic (compared with --all-paths).
  { name: 'kube 3ep: pod to ClusterIP, one of three endpoints', rules: 'kube-3ep.rules', in: 'cni0', out: 'eth0', addrs: NODE, packet: { src: '10.180.5.7', dst: '172.30.0.41', proto: 'tcp', dport: 80 }, allPaths: true },
  { name: 'kube 3ep: node process to ClusterIP, one of three endpoints', rules: 'kube-3ep.rules', out: 'eth0', addrs: NODE, packet: { src: '192.168.0.2', dst: '172.30.0.41', proto: 'tcp', sport: 41000, dport: 80 }, allPaths: true, randomSport: true },
  // Hand-written matches.
  { name: 'match: -i/-o wildcards, counting rule, RETURN, multiport range', rules: 'match-basics.rules', in: 'cali1234', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.244.0.5', dst: '10.244.2.9', proto: 'tcp', dport: 8080 } },
  { name: 'match: ! -d excludes the destination, DROP policy', rules: 'match-basics.rules', in: 'cali1234', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.244.0.5', dst: '10.244.1.9', proto: 'tcp', dport: 8080 } },
  { name: 'match: ! -s with -d network, DROP', rules: 'match-basics.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.96.0.5', proto: 'tcp', dport: 443 } },
  { name: 'match: udp --dport range', rules: 'match-basics.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.1.1', dst: '10.2.2.2', proto: 'udp', sport: 5353, dport: 5353 } },
  { name: 'match: ! -i wildcard with --sport range', rules: 'match-basics.rules', in: 'eth0', out: 'cali99', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.1.1', dst: '10.244.0.9', proto: 'tcp', sport: 40000, dport: 9090 } },
  { name: 'match: icmp echo from a cali device', rules: 'match-basics.rules', in: 'cali1234', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.244.0.5', dst: '10.8.8.8', proto: 'icmp' } },
  { name: 'match: --syn, CONNMARK --save-mark and connmark in FORWARD', rules: 'match-more.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.5', dst: '10.0.0.9', proto: 'tcp', dport: 443 } },
  { name: 'match: REDIRECT to the in device address, connmark in INPUT', rules: 'match-more.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.50', dst: '10.0.1.9', proto: 'tcp', dport: 8080 } },
  { name: 'match: iprange --src-range and ! --dst-range', rules: 'match-more.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.5', dst: '10.0.1.9', proto: 'udp', dport: 53 } },
  { name: 'match: iprange outside the range falls to the DROP policy', rules: 'match-more.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.50', dst: '10.0.1.9', proto: 'udp', dport: 53 } },
  { name: 'unmodelled: ttl 63 in FORWARD', rules: 'unmodelled.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.5', dst: '10.0.0.9', proto: 'tcp', dport: 443 }, allPaths: true },
  { name: 'unmodelled: --length 0:40 (a bare SYN is 40 bytes)', rules: 'unmodelled.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.50', dst: '10.0.1.9', proto: 'tcp', dport: 443 }, allPaths: true },
  // A raw table in the rules file.
  { name: 'raw: NOTRACK skips conntrack and the nat chains, ctstate UNTRACKED', rules: 'raw-notrack.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.3.3.3', proto: 'udp', dport: 53 } },
  { name: 'raw: tracked udp is DNATed by the catch-all rule', rules: 'raw-notrack.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.3.3.3', proto: 'udp', dport: 54 } },
  { name: 'raw: RETURN in a built-in nat chain leaves it to the policy', rules: 'raw-notrack.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.3.3.3', proto: 'tcp', dport: 7 } },
  { name: 'raw: ACCEPT in nat PREROUTING ends the chain without NAT', rules: 'raw-notrack.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.3.3.3', proto: 'tcp', dport: 8 } },
  // Marks.
  { name: 'mark: set in mangle PREROUTING, changed in FORWARD, matched in filter', rules: 'mark.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.5.5.5', proto: 'tcp', dport: 8080 } },
  { name: 'mark: unmarked packet falls to the DROP policy', rules: 'mark.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.5.5.5', proto: 'tcp', dport: 8081 } },
  { name: 'mark: --set-mark then --and-mark in mangle OUTPUT', rules: 'mark.rules', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.5.5.5', proto: 'udp', dport: 53 } },
  // Conntrack states.
  { name: 'ctstate: NEW tcp to a local port is accepted', rules: 'conntrack-state.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'tcp', dport: 22 } },
  { name: 'ctstate: NEW tcp to another local port hits the DROP policy', rules: 'conntrack-state.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'tcp', dport: 23 } },
  { name: 'ctstate: -m state NEW udp', rules: 'conntrack-state.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'udp', dport: 5000 } },
  { name: 'ctstate: DNAT pseudo-state after nat PREROUTING', rules: 'conntrack-state.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.96.0.99', proto: 'tcp', dport: 80 } },
  { name: 'ctstate: forwarded without DNAT is dropped', rules: 'conntrack-state.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.96.0.98', proto: 'tcp', dport: 80 } },
  // addrtype.
  { name: 'addrtype: dst LOCAL is DNATed and forwarded, then masqueraded (src not LOCAL)', rules: 'addrtype.rules', in: 'eth0', out: 'eth1', addrs: { eth1: ['10.1.2.1/24'], eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'tcp', dport: 8443 } },
  { name: 'addrtype: the second local address is LOCAL too', rules: 'addrtype.rules', in: 'eth0', out: 'eth1', addrs: { eth1: ['10.1.2.1/24'], eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.1.2.1', proto: 'tcp', dport: 22 } },
  { name: 'addrtype: src UNICAST to a local port is REJECTed', rules: 'addrtype.rules', in: 'eth0', out: 'eth1', addrs: { eth1: ['10.1.2.1/24'], eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'tcp', dport: 8080 } },
  { name: 'addrtype: not LOCAL, forwarded untouched and masqueraded', rules: 'addrtype.rules', in: 'eth0', out: 'eth1', addrs: { eth1: ['10.1.2.1/24'], eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.1.2.50', proto: 'tcp', dport: 8443 } },
  // goto / RETURN.
  { name: 'goto: RETURN after -g goes back past the goto', rules: 'goto-return.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.7.7.7', proto: 'tcp', dport: 80 } },
  { name: 'goto: implicit return from a jump, then RETURN, then DROP in the caller', rules: 'goto-return.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.7.7.7', proto: 'tcp', dport: 81 } },
  { name: 'goto: from OUTPUT, chain ends, OUTPUT policy DROP decides', rules: 'goto-return.rules', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.7.7.7', proto: 'udp', dport: 54 } },
  { name: 'goto: from OUTPUT, ACCEPT inside the goto target', rules: 'goto-return.rules', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.7.7.7', proto: 'udp', dport: 53 } },
  // REJECT.
  { name: 'reject: tcp-reset on INPUT', rules: 'reject.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'tcp', dport: 23 } },
  { name: 'reject: default type on INPUT udp', rules: 'reject.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '192.168.0.2', proto: 'udp', dport: 9 } },
  { name: 'reject: icmp-net-unreachable on FORWARD', rules: 'reject.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.9.9.9', proto: 'tcp', dport: 80 } },
  { name: 'reject: icmp-admin-prohibited on OUTPUT', rules: 'reject.rules', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.9.9.10', proto: 'tcp', dport: 25 } },
  // NAT with fixed outcomes.
  { name: 'nat: statistic probability 0 and 1, DNAT, SNAT on forward', rules: 'nat-fixed.rules', in: 'cali1', out: 'eth1', addrs: { eth1: ['192.168.0.2/24'] }, packet: { src: '10.244.0.5', dst: '172.30.0.50', proto: 'tcp', dport: 80 } },
  { name: 'nat: DNAT without a port in nat OUTPUT', rules: 'nat-fixed.rules', out: 'eth1', addrs: { eth1: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '172.30.0.51', proto: 'tcp', dport: 443 } },
  // -m statistic --mode nth: the first packet in a fresh ruleset matches --packet 0 (not --packet 1).
  { name: 'nth: first packet matches --every 2 --packet 0', rules: 'statistic-nth.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.6.6.6', proto: 'tcp', dport: 80 } },
  { name: 'nth: first packet misses --every 3 --packet 1, dropped by policy', rules: 'statistic-nth.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.1', dst: '10.6.6.6', proto: 'udp', dport: 53 } },
  // ipsets (ipset restore before iptables-restore; netsim --ipsets): hash:net with nomatch, hash:ip,port, hash:net,port, list:set.
  { name: 'ipset: hash:net,port dst,dst', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.9.9.9', dst: '172.20.0.1', proto: 'udp', dport: 53 } },
  { name: 'ipset: hash:ip,port src,dst', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.2.3', dst: '192.0.2.1', proto: 'tcp', dport: 80 } },
  { name: 'ipset: hash:net nomatch element with --return-nomatch', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.9.9', dst: '192.0.2.1', proto: 'tcp', dport: 80 } },
  { name: 'ipset: list:set, first member hits', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.0.2.7', dst: '10.5.0.1', proto: 'tcp', dport: 80 } },
  { name: 'ipset: list:set, first member says nomatch, second hits', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.0.2.7', dst: '10.1.2.3', proto: 'tcp', dport: 80 } },
  { name: 'ipset: list:set misses, ! --match-set drops', rules: 'ipset-list.rules', ipsets: 'ipset-list.sets', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.0.2.7', dst: '10.1.0.9', proto: 'tcp', dport: 80 } },
  // TOS/DSCP rewrites seen by later -m tos/-m dscp (and a MARK that depends on them), TCPMSS and CLASSIFY recorded, -m owner on the sending socket (root).
  { name: 'qos: DSCP then TOS rewrite in PREROUTING, MARK on the result, TCPMSS in FORWARD', rules: 'qos-owner.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.1.1', dst: '10.2.2.2', proto: 'tcp', dport: 80 } },
  { name: 'qos: local TCP, TCPMSS --set-mss, DSCP class in OUTPUT, CLASSIFY, owner uid 0', rules: 'qos-owner.rules', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.2.2.2', proto: 'tcp', dport: 80 } },
  { name: 'owner: local UDP from root is REJECTed by --uid-owner 0-10 --gid-owner 0', rules: 'qos-owner.rules', out: 'eth0', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '192.168.0.2', dst: '10.2.2.2', proto: 'udp', dport: 53 } },
  // Matches netsim does not model load; the packet's kernel path must be one of the forked paths.
  { name: 'unmodelled: -m string and -m connlimit fork; the kernel takes the no-match way to the policy', rules: 'unmodelled-fork.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.1.1', dst: '10.2.2.2', proto: 'tcp', dport: 80 }, allPaths: true },
  { name: 'unmodelled: -m length forks; a short UDP packet matches it', rules: 'unmodelled-fork.rules', in: 'eth0', out: 'eth1', addrs: { eth0: ['192.168.0.2/24'] }, packet: { src: '10.1.1.1', dst: '10.9.2.2', proto: 'udp', dport: 53 }, allPaths: true },
];

/** `--local-addr` values: the out device's addresses first, then the others, without prefix lengths. */
export function localAddrs(c: DiffCase): string[] {
  const devs = [c.out, ...Object.keys(c.addrs).filter((d) => d !== c.out)];
  return devs.flatMap((d) => (c.addrs[d] ?? []).map((cidr) => cidr.split('/')[0] as string));
}

/** The netsim command line for a case (without `-o json`). */
export function netsimArgs(c: DiffCase, rulesPath: string): string[] {
  const p = c.packet;
  const args = ['iptables', 'trace', '--rules', rulesPath, '--src', p.src, '--dst', p.dst, '--proto', p.proto];
  if (c.ipsets !== undefined) args.push('--ipsets', rulesPath.replace(/[^/]*$/, c.ipsets));
  if (p.proto !== 'icmp') args.push('--sport', String(p.sport ?? 40000), '--dport', String(p.dport ?? 80));
  if (c.in !== undefined) args.push('--in', c.in);
  args.push('--out', c.out);
  for (const a of localAddrs(c)) args.push('--local-addr', a);
  if (c.allPaths === true) args.push('--all-paths');
  return args;
}
