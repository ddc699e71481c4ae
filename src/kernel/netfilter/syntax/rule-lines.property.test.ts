/**
 * parseRuleLines (rule-lines.ts) reads a batch of rule lines through the fast rule reader: it
 * must give exactly what parseRule gives line by line, in value and in diagnostics, on random
 * batches whose lines the fast reader takes, shares parts between, or gives up on; and it must
 * actually take kube-proxy's lines (written in its own order, `-m tcp -p tcp -d … --dport …`),
 * or the comparison would prove nothing.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ruleLine } from '../../../../test/helpers/rule-lines-arb.js';
import { FastRuleReader } from './fast-rule.js';
import { type RuleLine, parseRule } from './parse-rule.js';
import { parseRuleLines, scanRuleLine } from './rule-lines.js';

const family = fc.constantFrom(4, 6) as fc.Arbitrary<4 | 6>;
const table = fc.constantFrom('filter', 'nat') as fc.Arbitrary<'filter' | 'nat'>;

function expectSame(lines: readonly string[], src: { file: string; family: 4 | 6; table: 'filter' | 'nat'; line?: number }): void {
  const fast = parseRuleLines(lines, src);
  const plain = lines.map((l) => parseRule(l, src));
  expect(fast).toStrictEqual(plain);
  expect(structuredClone(fast)).toStrictEqual(plain);
}

/** Lines as kube-proxy writes them (proxy/iptables: svc-chain.ts, sep-chain.ts, services-chain.ts). */
function kubeLines(services: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < services; i++) {
    const ep = `10.244.${i >> 8}.${(i & 255) || 1}`;
    out.push(
      `-A KUBE-SERVICES -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp -p tcp -d 172.16.${i >> 8}.${i & 255} --dport 80 -j KUBE-SVC-${i}`,
      `-A KUBE-NODEPORTS -m comment --comment ns/svc-${i}:http -m tcp -p tcp --dport ${30000 + i} -j KUBE-EXT-${i}`,
      `-A KUBE-SVC-${i} -m comment --comment "ns/svc-${i}:http cluster IP" -m tcp -p tcp -d 172.16.${i >> 8}.${i & 255} --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A KUBE-SVC-${i} -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-${i}`,
      `-A KUBE-SEP-${i} -s ${ep} -j KUBE-MARK-MASQ`,
      `-A KUBE-SEP-${i} -m tcp -p tcp -j DNAT --to-destination ${ep}:8080`,
    );
  }
  return out;
}

describe('parseRuleLines = parseRule line by line', () => {
  it('random batches: parts repeated, reordered, badly written', () => {
    const read = vi.spyOn(FastRuleReader.prototype, 'read');
    fc.assert(
      fc.property(fc.array(ruleLine, { maxLength: 40 }), family, table, fc.option(fc.integer({ min: 1, max: 99 })), (lines, f, t, line) =>
        expectSame(lines, { file: 'f', family: f, table: t, ...(line === null ? {} : { line }) }),
      ),
      { numRuns: 400, seed: 17 },
    );
    const taken = read.mock.results.filter((r) => r.value !== undefined).length;
    expect(taken).toBeGreaterThan(read.mock.calls.length / 5);
    expect(taken).toBeLessThan(read.mock.calls.length * 0.8);
  });

  it('lines with a newline, a CR, no -A first, or a jump to any chain', () => {
    const lines = ['-A A -j B\n-A C -j D', '-A A -j B\r', ' -A A -j B', '-A A -j INPUT', '-A A -j NOWHERE', '-A', '', '-A A -j DNAT --to-destination 10.0.0.1:80', '-A PREROUTING -j MASQUERADE'];
    for (const t of ['filter', 'nat'] as const) expectSame(lines, { file: 'f', family: 4, table: t });
  });

  it("kube-proxy's lines, every one taken by the fast reader", () => {
    const lines = kubeLines(300);
    const read = vi.spyOn(FastRuleReader.prototype, 'read');
    expectSame(lines, { file: 'kube-proxy', family: 4, table: 'nat' });
    const taken = read.mock.results.filter((r) => r.value !== undefined).length;
    expect(taken).toBe(lines.length);
  });
});

/** The user chain a parsed rule jumps or goes to. */
function jumpOf(l: RuleLine | undefined): string | undefined {
  const t = l?.rules[0]?.target;
  return t !== undefined && (t.kind === 'jump' || t.kind === 'goto') ? t.name : undefined;
}

describe('scanRuleLine = the chain and jump parseRule reads', () => {
  const check = (line: string): boolean => {
    const scan = scanRuleLine(line);
    const parsed = parseRule(line, { file: 'f', family: 4, table: 'nat' });
    if (scan === undefined || parsed.value === undefined || parsed.diagnostics.length > 0) return scan !== undefined;
    expect({ line, chain: scan.chain, jump: scan.jump }).toEqual({ line, chain: parsed.value.chain, jump: jumpOf(parsed.value) });
    return true;
  };

  it('on random lines that parse, and on option arguments that look like -j', () => {
    let scanned = 0;
    fc.assert(
      fc.property(ruleLine, fc.constantFrom('', ' -m comment --comment -j', ' -m comment --comment "-j X"', ' -m comment --comment -g', ' --jump KUBE-X', ' -g KUBE-Y', ' -m set --match-set -j Y', ' -m recent --name A --rcheck --reap -j B'), (line, extra) => {
        if (check(line + extra)) scanned++;
      }),
      { numRuns: 800, seed: 19 },
    );
    expect(scanned).toBeGreaterThan(200);
    for (const l of ['-A X -m comment --comment -j -j Y', '-A X -m comment --comment -j', '-A X -j Y -A Z', '-A X -m comment --comment "a -j b" -j Y', '-A X -j DNAT --to-destination 10.0.0.1:80', '-A X -g Y', '-A X -m set --match-set -j src', '-A X -m set --match-set -j Y', '-A -j -j Y']) check(l);
  });

  it("kube-proxy's lines are all scanned", () => {
    for (const l of kubeLines(50)) expect(check(l)).toBe(true);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
