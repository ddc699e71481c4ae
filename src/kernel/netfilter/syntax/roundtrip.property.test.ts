/**
 * Properties: a random canonical rule survives print → parse → print unchanged and parses back
 * to the same value; and the base options (-s -d -i -o -p -f) may be written anywhere among the
 * matches without changing what is printed, as with the real iptables.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, canonicalCidr, formatIp, ipFromValue } from '../../../addr/index.js';
import type { MatchSpec, Negatable, Opt, Rule, TargetSpec } from '../rule.js';
import { parseRule, printRule } from './index.js';
import { formatProbability } from './match/rate.js';
import { hex2 } from './match/tos.js';
import { hex } from './values.js';

const o = (name: string, args: string[] = [], neg = false): Opt => ({ name, args, neg });
const neg = fc.boolean();
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 1, max: 65535 });

const v4cidr: fc.Arbitrary<Cidr> = fc
  .tuple(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.integer({ min: 1, max: 32 }))
  .map(([v, prefix]) => canonicalCidr({ addr: ipFromValue(4, v), prefix }));

function negatable<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Negatable<T>> {
  return fc.record({ value, neg });
}

const iface = fc.constantFrom('eth0', 'veth+', 'cni0', 'lo', 'flannel.1', 'kube-ipvs0');
// Comments: any printable text without line breaks (iptables-restore reads one line per rule).
const text = fc.string({ maxLength: 40 }).filter((s) => !/[\n\r]/.test(s));
const portRange = fc.tuple(port, port).map(([a, b]) => (a === b ? `${a}` : `${Math.min(a, b)}:${Math.max(a, b)}`));

const commonMatches: fc.Arbitrary<MatchSpec> = fc.oneof(
  text.map((t) => ({ module: 'comment', opts: [o('--comment', [t])] })),
  fc.tuple(u32, u32, neg, fc.constantFrom('mark', 'connmark')).map(([v, m, n, module]) => ({
    module,
    opts: [o('--mark', [m === 0xffffffff ? hex(v) : `${hex(v)}/${hex(m)}`], n)],
  })),
  fc.tuple(fc.subarray(['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'], { minLength: 1 }), neg).map(([s, n]) => ({
    module: 'conntrack',
    opts: [o('--ctstate', [s.join(',')], n)],
  })),
  fc.integer({ min: 0, max: 0x80000000 }).map((k) => ({
    module: 'statistic',
    opts: [o('--mode', ['random']), o('--probability', [formatProbability(k / 0x80000000)])],
  })),
  fc.tuple(fc.constantFrom('--src-type', '--dst-type'), fc.constantFrom('LOCAL', 'UNICAST', 'BROADCAST,MULTICAST'), neg).map(([f, t, n]) => ({
    module: 'addrtype',
    opts: [o(f, [t], n)],
  })),
  fc.tuple(fc.constantFrom('--set', '--rcheck', '--update'), fc.constantFrom('KUBE-SEP-A', 'x'), fc.boolean()).map(([cmd, name, rdest]) => ({
    module: 'recent',
    opts: [o(cmd), ...(cmd === '--set' ? [] : [o('--seconds', ['10800']), o('--reap')]), o('--name', [name]), o('--mask', ['255.255.255.255']), o(rdest ? '--rdest' : '--rsource')],
  })),
  fc.tuple(iface, neg, fc.boolean()).map(([d, n, bridged]) => ({
    module: 'physdev',
    opts: [o('--physdev-in', [d], n), ...(bridged ? [o('--physdev-is-bridged')] : [])],
  })),
  fc.constantFrom('3/hour', '5/min', '2/sec', '1/day').map((r) => ({ module: 'limit', opts: [o('--limit', [r])] })),
  fc.tuple(v4cidr, fc.nat(300), neg).map(([c, n, ng]) => ({
    module: 'iprange',
    opts: [o('--dst-range', [`${formatIp(c.addr)}-${formatIp(ipFromValue(4, c.addr.value + BigInt(n)))}`], ng)],
  })),
  fc.tuple(fc.constantFrom('KUBE-CLUSTER-IP', 'nets'), fc.constantFrom('src', 'dst,dst', 'dst,dst,src'), neg).map(([s, f, n]) => ({
    module: 'set',
    opts: [o('--match-set', [s, f], n)],
  })),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), neg).map(([v, m, n]) => ({ module: 'tos', opts: [o('--tos', [`${hex2(v)}/${hex2(m)}`], n)] })),
  fc.tuple(fc.integer({ min: 0, max: 63 }), neg).map(([d, n]) => ({ module: 'dscp', opts: [o('--dscp', [hex2(d)], n)] })),
  fc
    .record({ sock: fc.option(neg, { nil: undefined }), uid: fc.option(fc.tuple(fc.nat(70000), fc.nat(5), neg), { nil: undefined }), gid: fc.option(fc.tuple(fc.nat(70000), neg), { nil: undefined }) })
    .filter((r) => r.sock !== undefined || r.uid !== undefined || r.gid !== undefined)
    .map(({ sock, uid, gid }) => ({
      module: 'owner',
      opts: [
        ...(sock === undefined ? [] : [o('--socket-exists', [], sock)]),
        ...(uid === undefined ? [] : [o('--uid-owner', [uid[1] === 0 ? `${uid[0]}` : `${uid[0]}-${uid[0] + uid[1]}`], uid[2])]),
        ...(gid === undefined ? [] : [o('--gid-owner', [`${gid[0]}`], gid[1])]),
      ],
    })),
);

const portMatches = (proto: 'tcp' | 'udp' | 'sctp'): fc.Arbitrary<MatchSpec> =>
  fc.oneof(
    fc.tuple(fc.option(portRange, { nil: undefined }), portRange, neg).map(([s, d, n]) => ({
      module: proto,
      opts: [...(s === undefined ? [] : [o('--sport', [s])]), o('--dport', [d], n)],
    })),
    fc.tuple(fc.array(port, { minLength: 1, maxLength: 5 }), neg).map(([ps, n]) => ({ module: 'multiport', opts: [o('--dports', [ps.join(',')], n)] })),
  );

function targets(proto: string | undefined): fc.Arbitrary<TargetSpec | undefined> {
  const withPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('ACCEPT', 'DROP', 'RETURN').map((name): TargetSpec => ({ kind: 'verdict', name, opts: [] })),
    fc.constantFrom('KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-MARK-MASQ', 'my_chain').map((name): TargetSpec => ({ kind: 'jump', name, opts: [] })),
    fc.constant<TargetSpec>({ kind: 'goto', name: 'OTHER', opts: [] }),
    fc.tuple(u32, u32).map(([v, m]): TargetSpec => ({ kind: 'extension', name: 'MARK', opts: [o('--set-xmark', [`${hex(v)}/${hex(m)}`])] })),
    fc.tuple(v4cidr, port).map(([c, p]): TargetSpec => ({
      kind: 'extension',
      name: 'DNAT',
      opts: [o('--to-destination', [withPorts ? `${formatIp(c.addr)}:${p}` : formatIp(c.addr)])],
    })),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([v, m]): TargetSpec => ({ kind: 'extension', name: 'TOS', opts: [o('--set-tos', [`${hex2(v)}/${hex2(m)}`])] })),
    fc.integer({ min: 0, max: 63 }).map((d): TargetSpec => ({ kind: 'extension', name: 'DSCP', opts: [o('--set-dscp', [hex2(d)])] })),
    fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]): TargetSpec => ({
      kind: 'extension',
      name: 'CLASSIFY',
      opts: [o('--set-class', [`${a.toString(16).padStart(4, '0')}:${b.toString(16).padStart(4, '0')}`])],
    })),
    ...(proto === 'tcp'
      ? [fc.oneof(fc.integer({ min: 0, max: 65535 }).map((n) => [o('--set-mss', [`${n}`])]), fc.constant([o('--clamp-mss-to-pmtu')])).map((opts): TargetSpec => ({ kind: 'extension', name: 'TCPMSS', opts }))]
      : []),
    fc.constantFrom('icmp-port-unreachable', 'icmp-host-prohibited').map((r): TargetSpec => ({ kind: 'extension', name: 'REJECT', opts: [o('--reject-with', [r])] })),
    text.filter((t) => t !== '' && new TextEncoder().encode(t).length <= 29).map((p): TargetSpec => ({ kind: 'extension', name: 'LOG', opts: [o('--log-prefix', [p])] })),
    fc.constant<TargetSpec>({ kind: 'extension', name: 'MASQUERADE', opts: withPorts ? [o('--random-fully')] : [] }),
    fc.tuple(fc.integer({ min: 1, max: 65535 }), text.filter((t) => t !== '')).map(([g, p]): TargetSpec => ({
      kind: 'extension',
      name: 'NFLOG',
      opts: [o('--nflog-prefix', [p]), o('--nflog-group', [`${g}`])],
    })),
  );
}

const rules: fc.Arbitrary<Rule> = fc
  .record({
    src: fc.option(negatable(v4cidr), { nil: undefined }),
    dst: fc.option(negatable(v4cidr), { nil: undefined }),
    inIface: fc.option(negatable(iface), { nil: undefined }),
    outIface: fc.option(negatable(iface), { nil: undefined }),
    proto: fc.option(fc.constantFrom('tcp', 'udp', 'icmp', 'gre', 'sctp', '200'), { nil: undefined }),
    fragment: fc.option(neg, { nil: undefined }),
  })
  .chain((base) => {
    const proto = base.proto;
    const matches = proto === 'tcp' || proto === 'udp' || proto === 'sctp' ? fc.oneof(commonMatches, portMatches(proto)) : commonMatches;
    return fc.record({ matches: fc.array(matches, { maxLength: 4 }), target: targets(proto) }).map(({ matches: ms, target }) => {
      const r: Rule = {
        ...(base.src === undefined ? {} : { src: base.src }),
        ...(base.dst === undefined ? {} : { dst: base.dst }),
        ...(base.inIface === undefined ? {} : { inIface: base.inIface }),
        ...(base.outIface === undefined ? {} : { outIface: base.outIface }),
        ...(proto === undefined ? {} : { proto: { value: proto, neg: false } }),
        ...(base.fragment === undefined ? {} : { fragment: { value: true as const, neg: base.fragment } }),
        // A match module may appear once per kind here, so repeated `-m tcp` options stay distinct.
        matches: ms.filter((m, i) => ms.findIndex((x) => x.module === m.module) === i || m.module === 'comment'),
        ...(target === undefined ? {} : { target }),
      };
      return r;
    });
  });

describe('round trip properties', () => {
  it('print → parse → print is the identity, and parse gives the rule back', () => {
    fc.assert(
      fc.property(rules, (rule) => {
        const printed = printRule('CHAIN', rule);
        const parsed = parseRule(printed, { file: 'prop', line: 1 });
        expect(parsed.diagnostics).toEqual([]);
        const back = parsed.value?.rules[0];
        expect(back).toEqual({ ...rule, line: 1 });
        expect(back === undefined ? '' : printRule('CHAIN', back)).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it('base options may be written anywhere before the target', () => {
    fc.assert(
      fc.property(rules, fc.array(fc.nat()), (rule, seeds) => {
        const basePieces = (['src', 'dst', 'inIface', 'outIface', 'proto', 'fragment'] as const)
          .filter((k) => rule[k] !== undefined)
          .map((k) => printRule('C', { matches: [], [k]: rule[k] }).slice('-A C '.length));
        const matchPieces = rule.matches.map((m) => printRule('C', { matches: [m] }).slice('-A C '.length));
        const pieces = [...matchPieces];
        basePieces.forEach((p, i) => pieces.splice((seeds[i] ?? 0) % (pieces.length + 1), 0, p));
        const tail = rule.target === undefined ? '' : printRule('C', { matches: [], target: rule.target }).slice('-A C'.length);
        const input = `-A C ${pieces.join(' ')}${tail}`;
        const parsed = parseRule(input, { file: 'prop' });
        expect(parsed.diagnostics).toEqual([]);
        const back = parsed.value?.rules[0];
        expect(back === undefined ? '' : printRule('C', back)).toBe(printRule('C', rule));
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Differential test against the kernel (opt-in: `NETSIM_KERNEL_TESTS=1`, as root): generated
 * rules are loaded with iptables-restore into a throwaway namespace and what iptables-save prints
 * must equal printRule. It creates and deletes a namespace `nsA1-prop-PID`.
 */
const KERNEL = process.env['NETSIM_KERNEL_TESTS'] === '1' && process.getuid?.() === 0;

describe.skipIf(!KERNEL)('kernel differential (NETSIM_KERNEL_TESTS=1, root)', () => {
  it('iptables-save prints generated rules exactly as printRule does', () => {
    const sample = fc.sample(rules, { numRuns: Number(process.env['NETSIM_KERNEL_RULES'] ?? 300), seed: Number(process.env['NETSIM_KERNEL_SEED'] ?? 20261122) });
    const isNat = (r: Rule): boolean => r.target?.name === 'DNAT' || r.target?.name === 'MASQUERADE';
    const isMangle = (r: Rule): boolean => r.target?.name === 'TOS' || r.target?.name === 'DSCP';
    const chainsFor = ':GEN - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:my_chain - [0:0]\n:OTHER - [0:0]\n';
    const section = (table: string, rs: Rule[]): string => `*${table}\n${chainsFor}${rs.map((r) => printRule('GEN', r)).join('\n')}\nCOMMIT\n`;
    const nat = sample.filter(isNat);
    const mangle = sample.filter(isMangle);
    const filter = sample.filter((r) => !isNat(r) && !isMangle(r));
    const ns = `nsA1-prop-${process.pid}`;
    const run = (args: string[], input?: string): string => execFileSync(args[0] as string, args.slice(1), { input, encoding: 'utf8' });
    run(['ip', 'netns', 'add', ns]);
    try {
      run(['ip', 'netns', 'exec', ns, 'ipset', 'restore'], 'create KUBE-CLUSTER-IP hash:ip,port,ip\ncreate nets hash:net\n');
      run(['ip', 'netns', 'exec', ns, 'iptables-restore'], section('filter', filter) + section('nat', nat) + section('mangle', mangle));
      // Tables come back in the order iptables-save prints them, so compare sorted lines.
      const saved = run(['ip', 'netns', 'exec', ns, 'iptables-save']).split('\n').filter((l) => l.startsWith('-A GEN')).sort();
      const want = [...filter, ...nat, ...mangle].map((r) => printRule('GEN', r)).sort();
      const first = saved.findIndex((l, k) => l !== want[k]);
      expect(first === -1 ? '' : saved[first], `first difference, rule ${first}`).toBe(first === -1 ? '' : want[first]);
      expect(saved.length).toBe(want.length);
    } finally {
      run(['ip', 'netns', 'del', ns]);
    }
  });
});
