/**
 * The rules against upstream's own examples: the good and bad values of apimachinery's
 * validation_test.go (TestIsDNS1123Label, TestIsDNS1123Subdomain, TestIsDNS1035Label,
 * TestIsValidPortName, TestIsQualifiedName, TestIsValidLabelValue), and the exact messages the
 * API server prints for a few of them.
 */
import { describe, expect, it } from 'vitest';
import { ruleProblems } from './check.js';
import type { RuleName } from './rules.js';

const a = (n: number): string => 'a'.repeat(n);

const CASES: Readonly<Record<string, { readonly rule: RuleName; readonly good: readonly string[]; readonly bad: readonly string[] }>> = {
  IsDNS1123Label: {
    rule: 'dns1123Label',
    good: ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', a(63)],
    bad: [
      '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', a(64),
    ],
  },
  IsDNS1123Subdomain: {
    rule: 'dns1123Subdomain',
    good: [
      'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a',
      'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a',
      '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', a(253),
    ],
    bad: [
      '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a',
      'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE',
      'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', a(254),
    ],
  },
  IsDNS1035Label: {
    rule: 'dns1035Label',
    good: ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', a(63)],
    bad: [
      '0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1',
      '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', a(64),
    ],
  },
  IsValidPortName: {
    rule: 'portName',
    good: ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
    bad: ['longerthan15characters', '', a(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'],
  },
  IsQualifiedName: {
    rule: 'labelKey',
    good: [
      'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
      'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
      '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', a(63),
      `${a(253)}/${'b'.repeat(63)}`,
    ],
    bad: [
      'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
      'example.com/', '/simple', a(64), `${a(254)}/abc`,
    ],
  },
  IsValidLabelValue: {
    rule: 'labelValue',
    good: ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), ''],
    bad: [
      'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
      '.starts.with.dot', 'ends.with.dot.', a(64),
    ],
  },
  dev_valid_name: {
    rule: 'ifName',
    good: ['cni0', 'eth0', 'br-0123456789ab', 'a', a(15), 'vlan.10', 'x_y', 'é', '...'],
    bad: ['', a(16), '.', '..', 'a/b', 'a:b', 'a b', 'a\tb', 'a\nb', 'a\vb', 'a\fb', 'a\rb', 'a\u0000b', 'à', 'ééééééé-é'],
  },
  'bridge name': {
    rule: 'bridgeName',
    good: ['cni0', 'br0', 'docker0', 'veth1234567', 'vethABCDEF12'],
    bad: ['lo', 'eth0', 'veth0123abcd', 'bridge/0', a(16)],
  },
};

describe.each(Object.entries(CASES))('%s', (_name, { rule, good, bad }) => {
  it.each(good.map((v) => [JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v), v]))('accepts %s', (_, v) => {
    expect(ruleProblems(rule, v), `${rule} of ${JSON.stringify(v)}`).toEqual([]);
  });
  it.each(bad.map((v) => [JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v), v]))('refuses %s', (_, v) => {
    expect(ruleProblems(rule, v).length, `${rule} of ${JSON.stringify(v)}`).toBeGreaterThan(0);
  });
});

describe('the messages are the API server\'s', () => {
  it.each<[RuleName, string, string[]]>([
    ['dns1123Subdomain', 'Pod_A', ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ['dns1123Label', 'my.ns', ['must not contain dots']],
    ['dns1123Label', 'My_ns', ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]],
    ['dns1035Label', '1web', ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
    ['dns1035Label', a(64), ['must be no more than 63 characters']],
    ['portName', '-HTTP--', [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)',
      'must not contain consecutive hyphens', 'must not begin or end with a hyphen',
    ]],
    ['labelKey', '/x', ['prefix part must be non-empty']],
    ['labelKey', 'example.com/', ['name part must be non-empty', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]],
    ['labelKey', 'a/b/c', ["a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]],
    ['labelValue', 'x-', ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]],
  ])('%s of %j', (rule, value, want) => {
    expect(ruleProblems(rule, value)).toEqual(want);
  });
});
