/** Unit facts of the syntax layer: the canonical forms the engine relies on. */
import { describe, expect, it } from 'vitest';
import { cidr, ip } from '../../../addr/index.js';
import type { Rule } from '../rule.js';
import { parseIptablesSave, parseRule, printRule, printRuleset, quoteString, tokenize } from './index.js';
import { formatProbability, formatRate } from './match/rate.js';
import { formatAddr } from './values.js';

function one(line: string, family: 4 | 6 = 4): Rule {
  const r = parseRule(line, { file: 't', family });
  expect(r.diagnostics).toEqual([]);
  const rule = r.value?.rules[0];
  if (rule === undefined) return expect.unreachable('no rule');
  return rule;
}

describe('parseRule: kube-proxy input', () => {
  const line = '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41/32 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O';

  it('stores the canonical option lists the engine reads', () => {
    const r = parseRule(line, { file: 'kp', line: 7 });
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({
      chain: 'KUBE-SERVICES',
      rules: [
        {
          dst: { value: cidr('172.30.0.41/32'), neg: false },
          proto: { value: 'tcp', neg: false },
          matches: [
            { module: 'comment', opts: [{ name: '--comment', args: ['ns1/svc1:p80 cluster IP'], neg: false }] },
            { module: 'tcp', opts: [{ name: '--dport', args: ['80'], neg: false }] },
          ],
          target: { kind: 'jump', name: 'KUBE-SVC-XPGD46QRK7WJZT7O', opts: [] },
          line: 7,
        },
      ],
    });
  });

  it('prints it as iptables-save does', () => {
    expect(printRule('KUBE-SERVICES', one(line))).toBe(
      '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    );
  });

  it('accepts the words as well as the line', () => {
    expect(parseRule(['-A', 'X', '-m', 'comment', '--comment', 'a b', '-j', 'ACCEPT'], { file: 'w' }).value?.rules[0]?.matches[0]?.opts[0]?.args).toEqual(['a b']);
  });

  it.each([
    ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'],
    ['-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000', '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0'],
    ['-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN', '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN'],
    ['-A S -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.3333333333 -j SEP', '-A S -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.33333333349 -j SEP'],
    ['-A S -m recent --name SEP --rcheck --seconds 10800 --reap -j SEP', '-A S -m recent --rcheck --seconds 10800 --reap --name SEP --mask 255.255.255.255 --rsource -j SEP'],
    ['-A SEP -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80', '-A SEP -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80'],
    ['-A F -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A F -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
    ['-A I -j REJECT', '-A I -j REJECT --reject-with icmp-port-unreachable'],
  ])('%s', (input, want) => {
    const r = parseRule(input, { file: 't' });
    expect(r.diagnostics).toEqual([]);
    const v = r.value;
    expect(v === undefined ? undefined : printRule(v.chain, v.rules[0] as Rule)).toBe(want);
  });

  it('expands address lists, sources outer', () => {
    const r = parseRule('-A I -s 10.0.0.1,10.0.0.2 -d 1.1.1.1,2.2.2.2 -j ACCEPT', { file: 't' });
    expect(r.value?.rules.map((x) => printRule('I', x))).toEqual([
      '-A I -s 10.0.0.1/32 -d 1.1.1.1/32 -j ACCEPT',
      '-A I -s 10.0.0.1/32 -d 2.2.2.2/32 -j ACCEPT',
      '-A I -s 10.0.0.2/32 -d 1.1.1.1/32 -j ACCEPT',
      '-A I -s 10.0.0.2/32 -d 2.2.2.2/32 -j ACCEPT',
    ]);
  });

  it('IPv6 rules', () => {
    expect(printRule('I', one('-A I -p icmpv6 --icmpv6-type echo-request -s 2001:DB8:0::1 -j ACCEPT', 6))).toBe(
      '-A I -s 2001:db8::1/128 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT',
    );
  });
});

describe('tokenize and quoteString (iptables-restore / iptables-save quoting)', () => {
  it.each([
    ['-A X -m comment --comment "a b" -j ACCEPT', ['-A', 'X', '-m', 'comment', '--comment', 'a b', '-j', 'ACCEPT']],
    ['--comment "q\\"q"', ['--comment', 'q"q']],
    ['--comment "a\\b"', ['--comment', 'ab']],
    ['--comment x\\y', ['--comment', 'x\\y']],
    ['--comment ab"c d"', ['--comment', 'abc d']],
    ['--comment "" x', ['--comment', '', 'x']],
    ['  \t-A   X\t', ['-A', 'X']],
  ])('%j', (line, words) => {
    expect(tokenize(line)).toEqual({ words, unterminatedQuote: false });
  });

  it('reports an open quote', () => expect(tokenize('--comment "abc').unterminatedQuote).toBe(true));

  it.each([
    ['simple', 'simple'],
    ['ns1/svc1:p80', '"ns1/svc1:p80"'],
    ['', '""'],
    ['has "q"', '"has \\"q\\""'],
    ["a'b", '"a\\\'b"'],
    ['x\\y', '"x\\\\y"'],
  ])('quoteString(%j) = %s', (value, printed) => {
    expect(quoteString(value)).toBe(printed);
    expect(tokenize(printed).words).toEqual([value]);
  });
});

describe('addresses as inet_ntop prints them', () => {
  it.each([
    ['::b706:0', '::183.6.0.0'],
    ['::1:0', '::0.1.0.0'],
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:a00:1', '::ffff:10.0.0.1'],
    ['fd00::1', 'fd00::1'],
    ['10.0.0.1', '10.0.0.1'],
  ])('%s prints %s', (text, want) => expect(formatAddr(ip(text))).toBe(want));
});

describe('number formats', () => {
  it.each([
    [0.5, '0.50000000000'],
    [0.3333333333, '0.33333333349'],
    [0.0000099999, '0.00001000008'],
    [1, '1.00000000000'],
    [0, '0.00000000000'],
    [2 ** -12, '0.00024414062'],
  ])('probability %d prints %s', (p, s) => expect(formatProbability(p)).toBe(s));

  it.each([
    [10000 / 3, '3/sec'],
    [5000, '2/sec'],
    [600000 / 7, '7/min'],
    [12000000, '3/hour'],
    [864000000, '1/day'],
  ])('limit period %d prints %s', (period, s) => expect(formatRate(Math.floor(period))).toBe(s));
});

describe('getopt behaviour the kernel showed', () => {
  it.each([
    ['-A I -p tcp -m multiport --dport 80 -j ACCEPT', '-A I -p tcp -m multiport --dports 80 -j ACCEPT'],
    ['-A I -m comment --com x -j ACCEPT', '-A I -m comment --comment x -j ACCEPT'],
    ['-A I -p tcp --dpor 80 -j ACCEPT', '-A I -p tcp -m tcp --dport 80 -j ACCEPT'],
    ['-A I -m mark --mark 1 -m mark --mark 2 -j ACCEPT', '-A I -m mark --mark 0x1 -m mark --mark 0x2 -j ACCEPT'],
  ])('%s', (input, want) => expect(printRule('I', one(input))).toBe(want));

  it.each([
    ['-A I -p icmp -m icmp6 --icmpv6-type 1 -j ACCEPT', 4, 'IPT_UNKNOWN_MATCH'],
    ['-A I -p ipv6-icmp -m icmp --icmp-type 1 -j ACCEPT', 6, 'IPT_UNKNOWN_MATCH'],
    ['-A I -m conntrack --ctstate NEW --ctstate INVALID -j ACCEPT', 4, 'IPT_BAD_OPTION'],
    ['-A I -p tcp -m multiport --dports 80 --sport 5 -j ACCEPT', 4, 'IPT_BAD_OPTION'],
  ] as const)('%s is refused', (input, family, code) => {
    expect(parseRule(input, { file: 't', family }).diagnostics.map((d) => d.code)).toContain(code);
  });
});

describe('printRuleset options', () => {
  it('prints counters and the timestamp lines only when asked', () => {
    const rs = parseIptablesSave('*filter\n:INPUT DROP [5:100]\n[3:180] -A INPUT -j ACCEPT\nCOMMIT\n', { file: 'c' }).value;
    expect(printRuleset(rs)).toBe('*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n');
    expect(printRuleset(rs, { counters: true, header: 'Sun Nov 22 02:30:03 2026' })).toBe(
      '# Generated by iptables-save v1.8.9 (nf_tables) on Sun Nov 22 02:30:03 2026\n*filter\n:INPUT DROP [5:100]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n[3:180] -A INPUT -j ACCEPT\nCOMMIT\n# Completed on Sun Nov 22 02:30:03 2026\n',
    );
    expect(printRuleset({ family: 4, tables: [] })).toBe('');
  });

  it('reads its own output with the timestamp lines back (they are # comments)', () => {
    const rs = parseIptablesSave('*nat\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\nCOMMIT\n*filter\nCOMMIT\n', { file: 'h' }).value;
    const withHeader = printRuleset(rs, { header: 'Sun Nov 22 02:30:03 2026' });
    const again = parseIptablesSave(withHeader, { file: 'h2' });
    expect(again.diagnostics).toEqual([]);
    expect(printRuleset(again.value)).toBe(printRuleset(rs));
    expect(printRuleset(rs).startsWith('*filter\n')).toBe(true);
  });
});
