/**
 * The IPv6 side of the round-trip properties: random canonical ip6tables rules survive
 * print → parse → print, and (opt-in, `NETSIM_KERNEL_TESTS=1` as root) ip6tables-save prints
 * them exactly as printRule does.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, canonicalCidr, ipFromValue } from '../../../addr/index.js';
import type { MatchSpec, Opt, Rule, TargetSpec } from '../rule.js';
import { parseRule, printRule } from './index.js';
import { formatAddr } from './values.js';

const o = (name: string, args: string[] = [], neg = false): Opt => ({ name, args, neg });
const neg = fc.boolean();

// Addresses with runs of zero groups, so that RFC 5952 compression is exercised.
const group = fc.oneof(fc.constant(0n), fc.constant(0n), fc.bigInt({ min: 0n, max: 0xffffn }));
const v6addr = fc.array(group, { minLength: 8, maxLength: 8 }).map((gs) => gs.reduce((v, g) => (v << 16n) | g, 0n));
const v6cidr: fc.Arbitrary<Cidr> = fc
  .tuple(v6addr, fc.integer({ min: 1, max: 128 }))
  .map(([v, prefix]) => canonicalCidr({ addr: ipFromValue(6, v), prefix }));

const matches = (proto: string | undefined): fc.Arbitrary<MatchSpec> => {
  const common: Array<fc.Arbitrary<MatchSpec>> = [
    fc.string({ maxLength: 30 }).filter((s) => !/[\n\r]/.test(s)).map((t) => ({ module: 'comment', opts: [o('--comment', [t])] })),
    fc.tuple(fc.subarray(['INVALID', 'NEW', 'RELATED', 'ESTABLISHED'], { minLength: 1 }), neg).map(([s, n]) => ({ module: 'conntrack', opts: [o('--ctstate', [s.join(',')], n)] })),
    fc.tuple(v6cidr, fc.constantFrom('--ctorigdst', '--ctorigsrc')).map(([c, f]) => ({ module: 'conntrack', opts: [o(f, [c.prefix === 128 ? formatAddr(c.addr) : `${formatAddr(c.addr)}/${c.prefix}`])] })),
    fc.constantFrom('--set', '--rcheck').map((cmd) => ({
      module: 'recent',
      opts: [o(cmd), o('--name', ['v6']), o('--mask', ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']), o('--rsource')],
    })),
    fc.constantFrom('LOCAL', 'UNICAST').map((t) => ({ module: 'addrtype', opts: [o('--dst-type', [t])] })),
  ];
  if (proto === 'ipv6-icmp') common.push(fc.tuple(fc.constantFrom('1', '1/3', '2', '128', '129', '135', '136'), neg).map(([t, n]) => ({ module: 'icmp6', opts: [o('--icmpv6-type', [t], n)] })));
  if (proto === 'tcp' || proto === 'udp') common.push(fc.integer({ min: 1, max: 65535 }).map((p) => ({ module: proto, opts: [o('--dport', [`${p}`])] })));
  return fc.oneof(...common);
};

const target = (proto: string | undefined): fc.Arbitrary<TargetSpec | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('ACCEPT', 'DROP', 'RETURN').map((name): TargetSpec => ({ kind: 'verdict', name, opts: [] })),
    fc.constantFrom('icmp6-port-unreachable', 'icmp6-adm-prohibited', 'icmp6-no-route', 'icmp6-addr-unreachable', ...(proto === 'tcp' ? ['tcp-reset'] : [])).map(
      (r): TargetSpec => ({ kind: 'extension', name: 'REJECT', opts: [o('--reject-with', [r])] }),
    ),
    fc.tuple(v6cidr, fc.integer({ min: 1, max: 65535 })).map(([c, p]): TargetSpec => ({
      kind: 'extension',
      name: 'DNAT',
      opts: [o('--to-destination', [proto === 'tcp' || proto === 'udp' ? `[${formatAddr(c.addr)}]:${p}` : formatAddr(c.addr)])],
    })),
  );

const rules: fc.Arbitrary<Rule> = fc
  .record({
    src: fc.option(fc.record({ value: v6cidr, neg }), { nil: undefined }),
    dst: fc.option(fc.record({ value: v6cidr, neg }), { nil: undefined }),
    proto: fc.option(fc.constantFrom('tcp', 'udp', 'ipv6-icmp'), { nil: undefined }),
  })
  .chain((b) =>
    fc.record({ ms: fc.array(matches(b.proto), { maxLength: 3 }), t: target(b.proto) }).map(({ ms, t }): Rule => ({
      ...(b.src === undefined ? {} : { src: b.src }),
      ...(b.dst === undefined ? {} : { dst: b.dst }),
      ...(b.proto === undefined ? {} : { proto: { value: b.proto, neg: false } }),
      matches: ms.filter((m, i) => ms.findIndex((x) => x.module === m.module) === i),
      ...(t === undefined ? {} : { target: t }),
    })),
  );

describe('IPv6 round trip', () => {
  it('print → parse → print is the identity', () => {
    fc.assert(
      fc.property(rules, (rule) => {
        const printed = printRule('C', rule);
        const parsed = parseRule(printed, { file: 'prop6', line: 1, family: 6 });
        expect(parsed.diagnostics).toEqual([]);
        expect(parsed.value?.rules[0]).toEqual({ ...rule, line: 1 });
      }),
      { numRuns: 300 },
    );
  });
});

const KERNEL = process.env['NETSIM_KERNEL_TESTS'] === '1' && process.getuid?.() === 0;

describe.skipIf(!KERNEL)('IPv6 kernel differential (NETSIM_KERNEL_TESTS=1, root)', () => {
  it('ip6tables-save prints generated rules exactly as printRule does', () => {
    const sample = fc.sample(rules, { numRuns: Number(process.env['NETSIM_KERNEL_RULES'] ?? 300), seed: Number(process.env['NETSIM_KERNEL_SEED'] ?? 6) });
    const isNat = (r: Rule): boolean => r.target?.name === 'DNAT';
    const section = (table: string, rs: Rule[]): string => `*${table}\n:GEN - [0:0]\n${rs.map((r) => printRule('GEN', r)).join('\n')}\nCOMMIT\n`;
    const nat = sample.filter(isNat);
    const filter = sample.filter((r) => !isNat(r));
    const ns = `nsA1-prop6-${process.pid}`;
    const run = (args: string[], input?: string): string => execFileSync(args[0] as string, args.slice(1), { input, encoding: 'utf8' });
    run(['ip', 'netns', 'add', ns]);
    try {
      run(['ip', 'netns', 'exec', ns, 'ip6tables-restore'], section('filter', filter) + section('nat', nat));
      const saved = run(['ip', 'netns', 'exec', ns, 'ip6tables-save']).split('\n').filter((l) => l.startsWith('-A GEN'));
      const want = [...filter, ...nat].map((r) => printRule('GEN', r));
      const first = saved.findIndex((l, k) => l !== want[k]);
      expect(first === -1 ? '' : saved[first], `first difference, rule ${first}`).toBe(first === -1 ? '' : want[first]);
      expect(saved.length).toBe(want.length);
    } finally {
      run(['ip', 'netns', 'del', ns]);
    }
  });
});
