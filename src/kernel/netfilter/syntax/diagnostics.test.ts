/**
 * Every diagnostic code of the rules-file parser: code, line and a message that names the culprit.
 * Nothing here may throw.
 */
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, parseRule } from './index.js';

const HEAD = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';

/** A filter table with `body` from line 5. */
function filter(body: string): string {
  return `${HEAD}${body}\nCOMMIT\n`;
}

interface Case {
  readonly text: string;
  readonly code: string;
  readonly line: number;
  /** A piece of the message: the thing the user wrote wrong. */
  readonly says: string;
  readonly family?: 4 | 6;
}

const CASES: Record<string, Case> = {
  'unknown match': { text: filter('-A INPUT -m nosuch -j ACCEPT'), code: 'IPT_UNKNOWN_MATCH', line: 5, says: '-m nosuch' },
  'unmodelled target': { text: filter('-A INPUT -j NFQUEUE'), code: 'IPT_UNKNOWN_TARGET', line: 5, says: '-j NFQUEUE' },
  'unknown option': { text: filter('-A INPUT --bogus 1 -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '--bogus' },
  'tcp option without -p tcp': { text: filter('-A INPUT --dport 80 -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '--dport' },
  'bad port range': { text: filter('-A INPUT -p tcp --dport 20:10 -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '20:10' },
  'ambiguous abbreviation': { text: filter('-A INPUT -m recent --re -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: 'ambiguous' },
  'option not negatable': { text: filter('-A INPUT -m comment ! --comment x'), code: 'IPT_BAD_OPTION', line: 5, says: '--comment cannot be negated' },
  'intrapositioned negation': { text: filter('-A INPUT -s ! 10.0.0.1 -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '! -s' },
  'match needs its protocol': { text: filter('-A INPUT -p udp -m tcp --dport 1 -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '-m tcp needs -p tcp' },
  'tcp-reset without -p tcp': { text: filter('-A INPUT -j REJECT --reject-with tcp-reset'), code: 'IPT_BAD_OPTION', line: 5, says: 'tcp-reset' },
  'unknown protocol': { text: filter('-A INPUT -p nosuchproto -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: 'nosuchproto' },
  'two targets': { text: filter('-A INPUT -j ACCEPT -j DROP'), code: 'IPT_BAD_OPTION', line: 5, says: 'more than one target' },
  'interface name too long': { text: filter('-A INPUT -i abcdefghijklmnop -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: 'abcdefghijklmnop' },
  'missing argument': { text: filter('-A INPUT -j ACCEPT -s'), code: 'IPT_MISSING_ARG', line: 5, says: '-s needs an argument' },
  'DNAT without address': { text: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j DNAT\nCOMMIT\n', code: 'IPT_MISSING_ARG', line: 3, says: '--to-destination' },
  'no -A': { text: filter('-j ACCEPT -s 1.2.3.4'), code: 'IPT_BAD_LINE', line: 5, says: '-j' },
  'bad address': { text: filter('-A INPUT -s 10.0.0.300 -j ACCEPT'), code: 'IPT_BAD_ADDRESS', line: 5, says: '10.0.0.300' },
  'host name': { text: filter('-A INPUT -d example.com -j ACCEPT'), code: 'IPT_BAD_ADDRESS', line: 5, says: 'host names' },
  'IPv6 address in iptables': { text: filter('-A INPUT -s fd00::1 -j ACCEPT'), code: 'IPT_BAD_ADDRESS', line: 5, says: 'not an IPv4' },
  'bad DNAT address': { text: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j DNAT --to-destination 1.2.3\nCOMMIT\n', code: 'IPT_BAD_ADDRESS', line: 3, says: '1.2.3' },
  'jump to undeclared chain': { text: filter('-A INPUT -j KUBE-SERVICES'), code: 'IPT_UNKNOWN_CHAIN', line: 5, says: 'KUBE-SERVICES' },
  'append to undeclared chain': { text: filter('-A NOPE -j ACCEPT'), code: 'IPT_UNKNOWN_CHAIN', line: 5, says: 'NOPE' },
  'goto a built-in chain': { text: filter('-A INPUT -g OUTPUT'), code: 'IPT_UNKNOWN_CHAIN', line: 5, says: 'built-in' },
  'delete unknown chain': { text: filter('-X GONE'), code: 'IPT_UNKNOWN_CHAIN', line: 5, says: 'GONE' },
  'rule before a table': { text: '-A INPUT -j ACCEPT\n', code: 'IPT_NO_TABLE', line: 1, says: '-A' },
  'chain line after COMMIT': { text: `${filter('')}:X - [0:0]\n`, code: 'IPT_NO_TABLE', line: 7, says: ':X' },
  'missing COMMIT at the end': { text: `${HEAD}-A INPUT -j ACCEPT\n`, code: 'IPT_MISSING_COMMIT', line: 5, says: 'filter' },
  'missing COMMIT before the next table': { text: `${HEAD}*nat\nCOMMIT\n`, code: 'IPT_MISSING_COMMIT', line: 5, says: '*nat' },
  'unterminated quote': { text: filter('-A INPUT -m comment --comment "oops -j ACCEPT'), code: 'IPT_UNTERMINATED_QUOTE', line: 5, says: 'quote' },
  'unknown table': { text: '*bogus\n:X - [0:0]\nCOMMIT\n', code: 'IPT_UNKNOWN_TABLE', line: 1, says: 'bogus' },
  'a word over 1023 bytes': { text: filter(`-A INPUT -m comment --comment ${'x'.repeat(1024)} -j ACCEPT`), code: 'IPT_PARAMETER_TOO_LONG', line: 5, says: '1024 bytes' },
  'built-in chain without policy': { text: '*filter\n:INPUT - [0:0]\nCOMMIT\n', code: 'IPT_BAD_POLICY', line: 2, says: 'INPUT' },
  'CRLF line ends': { text: filter('-A INPUT -j ACCEPT').replaceAll('\n', '\r\n'), code: 'IPT_BAD_LINE', line: 1, says: 'carriage return' },
  'counters without a closing bracket': { text: filter('[1:2 -A INPUT -j ACCEPT'), code: 'IPT_BAD_LINE', line: 5, says: '[1:2' },
  'chain name too long': { text: filter(':ABCDEFGHIJKLMNOPQRSTUVWXYZ123 - [0:0]'), code: 'IPT_BAD_CHAIN_NAME', line: 5, says: '28' },
  'unsupported command': { text: filter('-D INPUT 1'), code: 'IPT_UNSUPPORTED_COMMAND', line: 5, says: '-D' },
  'DNAT in the filter table': { text: filter('-A INPUT -p tcp -j DNAT --to-destination 1.2.3.4'), code: 'IPT_WRONG_CHAIN', line: 5, says: 'nat' },
  'MASQUERADE in PREROUTING': { text: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MASQUERADE\nCOMMIT\n', code: 'IPT_WRONG_CHAIN', line: 3, says: 'POSTROUTING' },
  '-o in INPUT': { text: filter('-A INPUT -o eth0 -j ACCEPT'), code: 'IPT_WRONG_CHAIN', line: 5, says: '-o' },
  '-f in ip6tables': { text: filter('-A INPUT -f -j ACCEPT'), code: 'IPT_BAD_OPTION', line: 5, says: '-f', family: 6 },
};

describe('parseIptablesSave diagnostics', () => {
  it.each(Object.entries(CASES))('%s', (_name, c) => {
    const r = parseIptablesSave(c.text, { file: 'rules.txt', family: c.family ?? 4 });
    const d = r.diagnostics[0];
    expect(r.diagnostics.map((x) => `${x.code}@${x.pos?.line ?? '?'}`)).toContain(`${c.code}@${c.line}`);
    expect(d?.severity).toBe('error');
    expect(d?.pos?.file).toBe('rules.txt');
    expect(r.diagnostics.find((x) => x.code === c.code)?.message).toContain(c.says);
  });

  it('warns about a policy on a user chain and loads the chain without it, as iptables-restore does', () => {
    const r = parseIptablesSave(filter(':MINE ACCEPT [0:0]'), { file: 'f' });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.pos?.line])).toEqual([['IPT_USER_CHAIN_POLICY', 'warning', 5]]);
    expect(r.value.tables[0]?.chains.find((c) => c.name === 'MINE')?.policy).toBeUndefined();
  });

  it.each([
    ['chain line', ':MINE - [x:y]', '[x:y]'],
    ['words after the counters', ':MINE - [0:0] extra', 'extra'],
    ['rule line', '[x:y] -A INPUT -j ACCEPT', '[x:y]'],
  ])('warns about unreadable counters on a %s and loads it, as iptables-restore does', (_name, body, says) => {
    const r = parseIptablesSave(filter(body), { file: 'f' });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.pos?.line])).toEqual([['IPT_IGNORED_COUNTERS', 'warning', 5]]);
    expect(r.diagnostics[0]?.message).toContain(says);
  });

  it('warns about an interface name with a slash and loads the rule, as iptables-restore does', () => {
    const r = parseIptablesSave(filter('-A FORWARD -i a/b -j ACCEPT'), { file: 'f' });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.pos?.line])).toEqual([['IPT_WEIRD_INTERFACE', 'warning', 5]]);
  });

  it('cuts a comment past 255 bytes to 255, between characters, as iptables-restore does', () => {
    const r = parseIptablesSave(filter(`-A INPUT -m comment --comment ${'x'.repeat(254)}é -j ACCEPT`), { file: 'f' });
    expect(r.diagnostics).toEqual([]);
    expect(r.value.tables[0]?.chains[0]?.rules[0]?.matches[0]?.opts[0]?.args[0]).toBe('x'.repeat(254));
  });

  it('-m set names an ipset that must exist when the sets are known', () => {
    const text = filter('-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT');
    expect(parseIptablesSave(text, { file: 'f' }).diagnostics).toEqual([]);
    const r = parseIptablesSave(text, { file: 'f', ipsets: ['OTHER'] });
    expect(r.diagnostics.map((d) => [d.code, d.pos?.line, d.message])).toEqual([
      ['IPT_UNKNOWN_SET', 5, '-m set --match-set KUBE-CLUSTER-IP: no ipset named KUBE-CLUSTER-IP'],
    ]);
  });

  it('keeps going after an error and reports each problem on its own line', () => {
    const r = parseIptablesSave(filter('-A INPUT -m nosuch -j ACCEPT\n-A INPUT -j ACCEPT\n-A INPUT -j NOPE'), { file: 'f' });
    expect(r.diagnostics.map((d) => [d.code, d.pos?.line])).toEqual([
      ['IPT_UNKNOWN_MATCH', 5],
      ['IPT_UNKNOWN_CHAIN', 7],
    ]);
    expect(r.value.tables[0]?.chains[0]?.rules.length).toBe(3);
  });

  it('never throws, whatever the input', () => {
    const junk = ['"', '*', ':', '-A', '-A X -m', '[1:2]', '*nat\n-A PREROUTING -j DNAT --to [', '\u0000\u00ff', '-A X ! ! -s'];
    for (const j of junk) {
      expect(() => parseIptablesSave(j, { file: 'j' })).not.toThrow();
      expect(() => parseIptablesSave(filter(j), { file: 'j', family: 6 })).not.toThrow();
      expect(() => parseRule(j, { file: 'j' })).not.toThrow();
    }
  });
});

describe('parseRule diagnostics', () => {
  it('positions errors at the given file and line', () => {
    const r = parseRule('-A KUBE-SVC-X -m statistic --mode random --probability 2 -j KUBE-SEP-Y', { file: 'proxy', line: 42 });
    expect(r.diagnostics.map((d) => [d.code, d.pos?.file, d.pos?.line])).toEqual([['IPT_BAD_OPTION', 'proxy', 42]]);
    expect(r.diagnostics[0]?.message).toContain('--probability');
  });

  it('checks placement when the table is given', () => {
    const r = parseRule('-A OUTPUT -i eth0 -j ACCEPT', { file: 'f', table: 'filter' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IPT_WRONG_CHAIN']);
  });

  it('returns no rule without -A', () => {
    const r = parseRule('-j ACCEPT', { file: 'f' });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IPT_MISSING_ARG']);
  });
});
