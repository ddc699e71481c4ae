/**
 * Sharing identical rule parts (share.ts) is an optimised path: the parse with a sharer
 * (`share: true`) must equal the straightforward parse (the default, every rule its own objects) in value and in diagnostics,
 * on random files full of repeats, on the real dumps of test/fixtures/iptables/, and on a dump with
 * more distinct values than the sharer's window. The sharer alone returns values equal to what it
 * is given, whatever its window.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Opt } from '../rule.js';
import { parseIptablesSave } from './index.js';
import { SHARE_WINDOW, newSharer } from './share.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/iptables');

/** Both paths, compared as values (and through structuredClone, as a worker would see them). */
function expectSame(text: string, family: 4 | 6 = 4): void {
  const fast = parseIptablesSave(text, { file: 'f', family, share: true });
  const plain = parseIptablesSave(text, { file: 'f', family });
  expect(fast).toStrictEqual(plain);
  expect(structuredClone(fast.value)).toStrictEqual(plain.value);
}

// A small vocabulary, so that parts repeat within and across rules; a few bad values, so that
// diagnostics come out of both paths too.
const CHAINS = ['A', 'B', 'KUBE-SVC-X', 'KUBE-SEP-Y'];
const ADDRS = ['10.0.0.1', '10.0.0.1/32', '10.0.0.0/8', '10.0.0.5/8', '0.0.0.0/0', '10.244.0.0/16', '10.0.0.1,10.0.0.2', '10.0.0.300', 'fd00::1'];
const MATCHES = [
  '-m comment --comment "ns/svc:http"',
  '-m comment --comment "ns/svc:http cluster IP"',
  '-m comment --comment x',
  '-m tcp --dport 80',
  '-m tcp ! --dport 80',
  '-m tcp --dport 80:80',
  '-m tcp ! --dport 0:65535',
  '-m tcp',
  '-m tcp --sport 1:2 --dport 3',
  '-m mark --mark 0x4000/0x4000',
  '-m mark ! --mark 16384',
  '-m mark ! --mark 0x4000/0x4000',
  '-m statistic --mode random --probability 0.5',
  '-m multiport --dports 80,http',
  '-m conntrack --ctstate NEW,ESTABLISHED',
  '-m addrtype --dst-type local',
];
const TARGETS = [
  '-j ACCEPT',
  '-j RETURN',
  '-j KUBE-SVC-X',
  '-j KUBE-SEP-Y',
  '-g B',
  '-j MARK --or-mark 0x4000',
  '-j MARK --set-xmark 0x4000/0x4000',
  '-j DNAT --to-destination 10.0.0.1:8080',
  '-j DNAT --to-destination 10.0.0.01:08080',
  '-j NOPE',
  '',
];

const ruleLine = fc
  .record({
    chain: fc.constantFrom(...CHAINS),
    src: fc.option(fc.tuple(fc.boolean(), fc.constantFrom(...ADDRS))),
    dst: fc.option(fc.tuple(fc.boolean(), fc.constantFrom(...ADDRS))),
    proto: fc.option(fc.constantFrom('tcp', 'udp', '6')),
    matches: fc.array(fc.constantFrom(...MATCHES), { maxLength: 3 }),
    target: fc.constantFrom(...TARGETS),
  })
  .map((r) =>
    [
      `-A ${r.chain}`,
      r.src === null ? '' : `${r.src[0] ? '! ' : ''}-s ${r.src[1]}`,
      r.dst === null ? '' : `${r.dst[0] ? '! ' : ''}-d ${r.dst[1]}`,
      r.proto === null ? '' : `-p ${r.proto}`,
      ...r.matches,
      r.target,
    ].join(' '),
  );

const file = fc.array(ruleLine, { maxLength: 40 }).map((rules) =>
  ['*nat', ...CHAINS.filter((c) => c.length > 1).map((c) => `:${c} - [0:0]`), ':A - [0:0]', ':B - [1:2]', ...rules, 'COMMIT', ''].join('\n'),
);

describe('sharing rule parts = building them afresh', () => {
  it('random files full of repeats', () => {
    fc.assert(
      fc.property(file, (text) => expectSame(text)),
      { numRuns: 300, seed: 13 },
    );
  });

  it('every real dump of test/fixtures/iptables', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.rules') || f.endsWith('.save'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      expectSame(text, f.includes('-v6') ? 6 : 4);
    }
  });

  it('a dump with more distinct comments, targets and addresses than the window', () => {
    const n = SHARE_WINDOW * 2 + 7;
    const lines = ['*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
    const rules = ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'];
    for (let i = 0; i < n; i++) {
      const ep = `10.244.${i >> 8}.${i & 255}`;
      lines.push(`:KUBE-SEP-${i} - [0:0]`);
      rules.push(
        `-A KUBE-SERVICES -d 10.96.${i >> 8}.${i & 255}/32 -p tcp -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SEP-${i}`,
        `-A KUBE-SEP-${i} -s ${ep}/32 -m comment --comment "ns/svc-${i}:http" -j KUBE-MARK-MASQ`,
        `-A KUBE-SEP-${i} -p tcp -m comment --comment "ns/svc-${i}:http" -m tcp -j DNAT --to-destination ${ep}:8080`,
      );
    }
    expectSame([...lines, ...rules, 'COMMIT', ''].join('\n'));
  });
});

describe('the sharer alone', () => {
  const optList: fc.Arbitrary<Opt[]> = fc.array(
    fc.record({
      name: fc.constantFrom('--a', '--b', 'x\u0000y'),
      args: fc.array(fc.constantFrom('1', '2', '', 'a\u0000'), { maxLength: 2 }),
      neg: fc.boolean(),
    }).map((o): Opt => ({ name: o.name, args: [...o.args], neg: o.neg })),
    { maxLength: 3 },
  );

  it('gives back values equal to its input, for any window, and one object for equal input within it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.constantFrom('m', 'n'), optList), { maxLength: 30 }), (window, calls) => {
        const s = newSharer(window);
        for (const [module, opts] of calls) {
          const got = s.match(module, opts);
          expect(got).toStrictEqual({ module, opts });
          // Asked again at once, the same object comes back (nothing was evicted in between).
          if (!opts.some((o) => o.name.includes('\u0000') || o.args.some((a) => a.includes('\u0000')))) expect(s.match(module, opts.map((o) => ({ ...o, args: [...o.args] })))).toBe(got);
          const t = s.target('jump', module, opts);
          expect(t).toStrictEqual({ kind: 'jump', name: module, opts });
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
