/**
 * The fast rule reader (fast-rule.ts, with its kept parts, parts.ts) is an optimised path: the
 * default parse must equal the reference parse (`reference: true`, every line through
 * parse-rule.ts and finish-rule.ts, every part built afresh) in value and in diagnostics, on
 * random files whose lines the fast reader takes, shares parts between, or gives up on; on the
 * real dumps of test/fixtures/iptables/; on a kube-proxy-shaped dump. And it must actually take
 * the lines of such a dump, or the comparison would prove nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FastRuleReader } from './fast-rule.js';
import { parseIptablesSave } from './index.js';
import { MATCHES, TARGETS } from './registry.js';
import { ruleLine } from '../../../../test/helpers/rule-lines-arb.js';

/** A kube-proxy-shaped nat table: per service a portal rule (in either order), a service chain, an endpoint chain's two rules. */
function kubeServicesDump(services: number): string {
  const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules = ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'];
  for (let i = 0; i < services; i++) {
    const ep = `10.244.${i >> 8}.${(i & 255) || 1}`;
    lines.push(`:KUBE-SVC-${i} - [0:0]`, `:KUBE-SEP-${i} - [0:0]`);
    rules.push(
      // iptables-save's order, or kube-proxy's own (the protocol and address after `-m tcp`).
      i % 2 === 0
        ? `-A KUBE-SERVICES -d 10.96.${i >> 8}.${i & 255}/32 -p tcp -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}`
        : `-A KUBE-SERVICES -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp -p tcp -d 10.96.${i >> 8}.${i & 255} --dport 80 -j KUBE-SVC-${i}`,
      `-A KUBE-SVC-${i} -m comment --comment "ns/svc-${i}:http -> ${ep}:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-${i}`,
      `-A KUBE-SEP-${i} -s ${ep}/32 -m comment --comment "ns/svc-${i}:http" -j KUBE-MARK-MASQ`,
      `-A KUBE-SEP-${i} -p tcp -m comment --comment "ns/svc-${i}:http" -m tcp -j DNAT --to-destination ${ep}:8080`,
    );
  }
  return `${[...lines, ...rules, 'COMMIT'].join('\n')}\n`;
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/iptables');

/** Both paths, compared as values (and through structuredClone, as a worker would see them). */
function expectSame(text: string, family: 4 | 6 = 4): void {
  const fast = parseIptablesSave(text, { file: 'f', family });
  const plain = parseIptablesSave(text, { file: 'f', family, reference: true });
  expect(fast).toStrictEqual(plain);
  expect(structuredClone(fast.value)).toStrictEqual(plain.value);
}

const file = fc
  .tuple(fc.array(ruleLine, { maxLength: 40 }), fc.constantFrom(4, 6) as fc.Arbitrary<4 | 6>, fc.array(fc.constantFrom('-N C', '-X LATER', ':A - [0:0]', '-F A', ':INPUT - [0:0]', ':B ACCEPT [0:0]', ': - [0:0]', ':ABCDEFGHIJKLMNOPQRSTUVWXYZ0123 - [0:0]', ':C\t- [0:0]', ':KUBE-SVC-X - [0:0] x'), { maxLength: 3 }))
  .map(([rules, family, extra]): [string, 4 | 6] => {
    const mid = Math.floor(rules.length / 2);
    // LATER is declared half-way, so jumps to it come before and after its declaration.
    const lines = ['*filter', ':A - [0:0]', ':B - [1:2]', ':KUBE-SVC-X - [0:0]', ':KUBE-SEP-Y - [0:0]', ...rules.slice(0, mid), ':LATER - [0:0]', ...extra, ...rules.slice(mid), 'COMMIT', ''];
    return [lines.join('\n'), family];
  });

// Chains jumped to in the order they were declared (which the reader looks at before its map,
// parts.ts FastParts.declared), declared again, deleted, created and flushed in between.
const ORDERED = ['D0', 'D1', 'D2', 'D3', 'D4', 'D5'];
const orderedLine = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(...ORDERED), fc.constantFrom(...ORDERED), fc.constantFrom('-j', '-g')).map(([a, b, j]) => `-A ${a} ${j} ${b}`), weight: 8 },
  { arbitrary: fc.tuple(fc.constantFrom(':', '-X ', '-N ', '-F '), fc.constantFrom(...ORDERED)).map(([op, c]) => (op === ':' ? `:${c} - [0:0]` : `${op}${c}`)), weight: 2 },
);
const orderedFile = fc
  .tuple(fc.array(orderedLine, { maxLength: 30 }), fc.subarray(ORDERED, { minLength: 1 }), fc.boolean())
  .map(([lines, declared, twice]) => {
    const decl = declared.map((c) => `:${c} - [0:0]`);
    // A table given twice: the second replaces the first, and its chains are new drafts.
    const table = ['*filter', ...decl, ...lines, 'COMMIT'];
    return [...table, ...(twice ? table : []), ''].join('\n');
  });

describe('the fast rule reader = the reference reader', () => {
  it('random files: jumps in declaration order while chains are declared again, deleted, created', () => {
    fc.assert(
      fc.property(orderedFile, (text) => expectSame(text)),
      { numRuns: 600, seed: 7, examples: [['*filter\n:D0 - [0:0]\n:D1 - [0:0]\n:D2 - [0:0]\n-A D0 -j D1\n:D2 - [0:0]\n-A D1 -j D2\n-A D2 -j ACCEPT\nCOMMIT\n']] },
    );
  });


  it('random files: parts repeated, reordered, badly written', () => {
    const read = vi.spyOn(FastRuleReader.prototype, 'read');
    fc.assert(
      fc.property(file, ([text, family]) => expectSame(text, family)),
      { numRuns: 400, seed: 13 },
    );
    // Both ways are exercised: many lines taken, many given up.
    const taken = read.mock.results.filter((r) => r.value !== undefined).length;
    expect(taken).toBeGreaterThan(read.mock.calls.length / 5);
    expect(taken).toBeLessThan(read.mock.calls.length * 0.8);
  });

  it('every real dump of test/fixtures/iptables', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.rules') || f.endsWith('.save'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      expectSame(text, f.includes('-v6') ? 6 : 4);
    }
  });

  it('a kube-proxy dump, whose every rule line the fast reader takes', () => {
    const text = kubeServicesDump(600);
    const read = vi.spyOn(FastRuleReader.prototype, 'read');
    expectSame(text);
    const taken = read.mock.results.filter((r) => r.value !== undefined).length;
    expect(taken).toBe(2 + 600 * 4);
  });

  it('no extension option is named like a word the rule reader handles itself (the fast reader looks options up first)', () => {
    const own = ['-s', '--source', '--src', '-d', '--destination', '--dst', '-i', '--in-interface', '-o', '--out-interface', '-p', '--protocol', '-A', '--append', '-f', '--fragment', '-m', '--match', '-j', '--jump', '-g', '--goto', '-c', '--set-counters', '!'];
    const names = [...MATCHES.values(), ...TARGETS.values()].flatMap((d) => d.options.flatMap((o) => o.names));
    expect(names.filter((n) => own.includes(n))).toEqual([]);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
