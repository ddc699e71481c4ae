/**
 * Random rule lines for the rule readers' property tests (the fast reader against the reference
 * reader): a small vocabulary, so that parts repeat within and across rules, mostly in forms the
 * fast reader takes, sometimes in forms it leaves to the reference reader.
 */
import fc from 'fast-check';

// A small vocabulary, so that parts repeat within and across rules: mostly in forms the fast
// reader takes, sometimes in forms it leaves to the reference reader (long names, prefixes,
// implicit matches, escapes, lists, bad values), so that diagnostics come out too.
const CHAINS = ['A', 'B', 'KUBE-SVC-X', 'KUBE-SEP-Y', 'LATER', 'INPUT'];
const ADDRS = ['10.0.0.1/32', '10.0.0.0/8', '10.244.0.0/16'];
const ODD_ADDRS = ['10.0.0.1', '10.0.0.5/8', '0.0.0.0/0', '10.0.0.1,10.0.0.2', '10.0.0.300', 'fd00::1/128', '!'];
const IFACES = ['eth0', 'eth+', 'cali1234567890a'];
const ODD_IFACES = ['cali1234567890ab', 'a/b', '""'];
const MATCH_TEXTS = [
  '-m comment --comment "ns/svc:http"',
  '-m comment --comment "ns/svc:http cluster IP"',
  '-m comment --comment x',
  '-m comment --comment ""',
  '-m tcp --dport 80',
  '-m tcp ! --dport 80',
  '-m tcp',
  '-m tcp --sport 1:2 --dport 3',
  '-m mark --mark 0x4000/0x4000',
  '-m mark ! --mark 0x4000/0x4000',
  '-m statistic --mode random --probability 0.50000000000',
  '-m multiport --dports 80,443',
  '-m conntrack --ctstate NEW,ESTABLISHED',
  '-m addrtype --dst-type LOCAL',
];
const ODD_MATCHES = [
  '-m comment --comment "a \\"q\\" b"',
  '-m comment',
  '-m comment ! --comment x',
  '! -m tcp',
  '-m tcp --dport 80:80',
  '-m tcp --destination-port 80',
  '-m tcp --dpor 80',
  '-m tcp ! --dport 0:65535',
  '-m tcp --dport 3 --sport 1:2',
  '-m tcp --dport 80 --dport 81',
  '-m udp --dport 53',
  '--dport 80',
  '-m mark ! --mark 16384',
  '-m statistic --mode random --probability 0.5',
  '-m multiport --dports 80,http',
  '-m addrtype --dst-type local',
  '-m icmp6 --icmpv6-type 128',
  '-m string --string x',
  '-m nosuch',
  '-m udp -p udp --dport 53',
  '-m tcp -p tcp -p tcp --dport 80',
  '-m tcp -p tcp ! --dport 80',
  '-m tcp -p udp --dport 80',
  '-m tcp -p tcp',
  '-m comment -p tcp --dport 80',
];
const TARGET_TEXTS = [
  '-j ACCEPT',
  '-j RETURN',
  '-j KUBE-SVC-X',
  '-j KUBE-SEP-Y',
  '-j LATER',
  '-g B',
  '-j MARK --set-xmark 0x4000/0x4000',
  '-j DNAT --to-destination 10.0.0.1:8080',
  '-j MASQUERADE --random-fully',
  '',
];
const ODD_TARGETS = [
  '-j INPUT',
  '-j NOWHERE',
  '-g ACCEPT',
  '-j MARK --or-mark 0x4000',
  '-j DNAT --to-destination 10.0.0.01:08080',
  '-j DNAT --to 10.0.0.1:80',
  '-j DNAT --to-destination 10.0.0.1-10.0.0.3',
  '-j MASQUERADE --to-ports 1000-2000',
  '-j REJECT --reject-with tcp-reset',
  '-j NFQUEUE',
];

/** Mostly the plain values, sometimes an odd one. */
export function mostly<T>(plain: readonly T[], odd: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...plain), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
}

/** The parts of one rule, in an order that is usually iptables-save's, sometimes shuffled. */
export const ruleLine = fc
  .record({
    chain: fc.constantFrom(...CHAINS),
    src: fc.option(fc.tuple(fc.boolean(), mostly(ADDRS, ODD_ADDRS))),
    dst: fc.option(fc.tuple(fc.boolean(), mostly(ADDRS, ODD_ADDRS))),
    iface: fc.option(fc.tuple(mostly(['-i', '-o'], ['--in-interface']), fc.boolean(), mostly(IFACES, ODD_IFACES)), { freq: 3 }),
    proto: fc.option(fc.tuple(mostly([false], [true]), mostly(['tcp'], ['udp', '6', 'TCP', 'all', 'sctp', 'nope'])), { freq: 8 }),
    matches: fc.array(mostly(MATCH_TEXTS, ODD_MATCHES), { maxLength: 3 }),
    target: mostly(TARGET_TEXTS, ODD_TARGETS),
    shuffle: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 4 }),
    sep: mostly([' '], ['  ', '\t']),
    tail: mostly([''], [' ', '\r', ' -f', ' -c 1 2', ' !']),
    // kube-proxy's order: the protocol and address between the first match's name and its options.
    kubeOrder: fc.boolean(),
  })
  .map((r) => {
    const parts = [
      r.src === null ? '' : `${r.src[0] ? '! ' : ''}-s ${r.src[1]}`,
      r.dst === null ? '' : `${r.dst[0] ? '! ' : ''}-d ${r.dst[1]}`,
      r.iface === null ? '' : `${r.iface[1] ? '! ' : ''}${r.iface[0]} ${r.iface[2]}`,
      r.proto === null ? '' : `${r.proto[0] ? '! ' : ''}-p ${r.proto[1]}`,
      ...r.matches,
      r.target,
    ].filter((p) => p !== '');
    const first = r.matches[0];
    if (r.kubeOrder && r.shuffle === null && first !== undefined) {
      const base = parts.filter((p) => /^(! )?-[sdp] /.test(p));
      const [m, name, ...opts] = first.split(' ');
      const rest = parts.filter((p) => !base.includes(p) && p !== first);
      return `-A${r.sep}${r.chain}${r.sep}${[m, name, ...base, ...opts, ...rest].join(r.sep)}${r.tail}`;
    }
    if (r.shuffle !== null) parts.push(...parts.splice(0, r.shuffle % (parts.length + 1)));
    return `-A${r.sep}${r.chain}${r.sep}${parts.join(r.sep)}${r.tail}`;
  });

