/**
 * Indexed evaluation (dispatch.ts) against the linear scan, on random rulesets: indexable
 * `-d VIP -p P -m P --dport N` rules mixed with negations (`! -d`, `! --dport`), prefixes, port
 * ranges, rules without an address (indexed by port alone, `-m addrtype` among them), `-m mark` after a MARK target, `-m statistic --mode nth`
 * (whose counter only moves when the rule is evaluated), jumps, gotos and RETURN; then random
 * packets. Verdict, every event (hook, the rules met with their positions, policy) and the nth
 * counters must be the same.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { forcedChooser, icmp, r, ruleset, tcp, testEnv, udp } from '../../../../test/helpers/nf.js';
import { createNetfilter, FRESH_SKB, loadRuleset, runHook } from '../index.js';
import type { Rule } from '../rule.js';
import { dispatchOf, indexKey, indexMaps, setIndexThreshold, setScansBeforeHash } from './dispatch.js';

const VIPS = { 4: ['10.96.0.1', '10.96.0.2', '10.96.0.3'], 6: ['fd00::1', 'fd00::2', 'fd00::3'] } as const;
const NET = { 4: '10.96.0.0/24', 6: 'fd00::/120' } as const;
const PORTS = [53, 80, 443];

const target = fc.constantFrom('-j ACCEPT', '-j DROP', '-j RETURN', '-j A', '-g B', '-j MARK --set-xmark 0x1/0x1', '', '-j REJECT');
const proto = fc.constantFrom('tcp', 'udp');

/** One rule's text for a chain; `jumps` says whether it may jump (B may not, so there is no loop). */
function ruleText(family: 4 | 6, jumps: boolean): fc.Arbitrary<string> {
  const vip = fc.constantFrom(...VIPS[family]);
  const port = fc.constantFrom(...PORTS);
  const tgt = jumps ? target : target.filter((t) => t !== '-j A' && t !== '-g B');
  const indexable = fc.tuple(vip, proto, port, tgt, fc.boolean()).map(([v, p, n, t, c]) => `-d ${v}/${family === 4 ? 32 : 128} -p ${p}${c ? ' -m comment --comment "ns/svc:p cluster IP"' : ''} -m ${p} --dport ${n} ${t}`);
  const other = fc.oneof(
    fc.tuple(vip, proto, port, tgt).map(([v, p, n, t]) => `! -d ${v}/${family === 4 ? 32 : 128} -p ${p} -m ${p} --dport ${n} ${t}`),
    fc.tuple(vip, proto, port, tgt).map(([v, p, n, t]) => `-d ${v}/${family === 4 ? 32 : 128} -p ${p} -m ${p} ! --dport ${n} ${t}`),
    fc.tuple(proto, port, tgt).map(([p, n, t]) => `-d ${NET[family]} -p ${p} -m ${p} --dport ${n} ${t}`),
    fc.tuple(proto, port, tgt).map(([p, n, t]) => `-p ${p} -m ${p} --dport ${n} ${t}`),
    fc.tuple(proto, port, tgt).map(([p, n, t]) => `-m addrtype --dst-type LOCAL -p ${p} -m ${p} --dport ${n} ${t}`),
    fc.tuple(proto, port, tgt).map(([p, n, t]) => `-m addrtype ! --dst-type LOCAL -p ${p} -m comment --comment "ns/svc:p has no local endpoints" -m ${p} --dport ${n} ${t}`),
    fc.tuple(proto, port, tgt).map(([p, n, t]) => `-p ${p} -m statistic --mode nth --every 2 --packet 0 -m ${p} --dport ${n} ${t}`),
    fc.tuple(vip, proto, tgt).map(([v, p, t]) => `-d ${v}/${family === 4 ? 32 : 128} -p ${p} -m ${p} --dport 50:90 ${t}`),
    fc.tuple(vip, proto, port, tgt).map(([v, p, n, t]) => `-d ${v}/${family === 4 ? 32 : 128} -p ${p} -m statistic --mode nth --every 2 --packet 0 -m ${p} --dport ${n} ${t}`),
    fc.tuple(vip, proto, port, tgt).map(([v, p, n, t]) => `-d ${v}/${family === 4 ? 32 : 128} -p ${p} -m mark --mark 0x1/0x1 -m ${p} --dport ${n} ${t}`),
    fc.tuple(vip, proto, port, tgt).map(([v, p, n, t]) => `-d ${v}/${family === 4 ? 32 : 128} ! -p ${p} -m comment --comment c${n} ${t}`),
    tgt.map((t) => `-m mark --mark 0x1/0x1 ${t}`),
    tgt,
  );
  return fc.oneof({ arbitrary: indexable, weight: 3 }, { arbitrary: other, weight: 2 });
}

function chains(family: 4 | 6) {
  return fc.record({
    INPUT: fc.array(ruleText(family, true), { minLength: 1, maxLength: 40 }),
    A: fc.array(ruleText(family, true).filter((t) => !t.includes('-j A')), { maxLength: 15 }),
    B: fc.array(ruleText(family, false), { maxLength: 10 }),
  });
}

function packet(family: 4 | 6) {
  const addrs = [...VIPS[family], family === 4 ? '10.96.0.9' : 'fd00::9', family === 4 ? '192.168.0.1' : 'fd01::1'];
  const src = family === 4 ? '10.244.0.5' : 'fd02::5';
  return fc.tuple(fc.constantFrom(...addrs), fc.constantFrom(...PORTS, 60, 8080), fc.constantFrom('tcp', 'udp', 'icmp')).map(([dst, port, p]) => (p === 'tcp' ? tcp(src, 40000, dst, port) : p === 'udp' ? udp(src, 40000, dst, port) : icmp(src, dst)));
}

/** Runs the packets in order through INPUT of a fresh netfilter, with the index on or off. */
function run(family: 4 | 6, spec: { INPUT: string[]; A: string[]; B: string[] }, policy: 'ACCEPT' | 'DROP', pkts: ReturnType<typeof tcp>[], threshold: number) {
  const old = setIndexThreshold(threshold);
  try {
    const nf = createNetfilter();
    loadRuleset(nf, ruleset(family, { filter: spec }, { 'filter/INPUT': policy }));
    // One VIP is local, so `-m addrtype --dst-type LOCAL` both matches and fails.
    const env = testEnv({ inDev: 'eth0', chooser: forcedChooser(), local: [VIPS[family][0]] });
    const results = pkts.map((p) => runHook(nf, 'INPUT', p, FRESH_SKB, env));
    return { results, events: env.events, nth: [...nf.nth].sort() };
  } finally {
    setIndexThreshold(old);
  }
}

afterEach(() => {
  setIndexThreshold(16);
});

describe('indexed rule evaluation equals the linear scan', () => {
  // The index answers its first lookups by scanning its keys, then by its hash: both, and the switch between them (2).
  for (const scans of [0, 2, Number.POSITIVE_INFINITY]) {
    for (const family of [4, 6] as const) {
      it(`IPv${family}, hash after ${scans} scans: same verdicts, same rules met in the same order, same counters`, () => {
        const was = setScansBeforeHash(scans);
        try {
          fc.assert(
            fc.property(chains(family), fc.constantFrom('ACCEPT', 'DROP'), fc.array(packet(family), { minLength: 1, maxLength: 12 }), (spec, policy, pkts) => {
              const linear = run(family, spec, policy, pkts, Number.POSITIVE_INFINITY);
              const indexed = run(family, spec, policy, pkts, 1);
              expect(indexed.events).toEqual(linear.events);
              expect(indexed.results).toEqual(linear.results);
              expect(indexed.nth).toEqual(linear.nth);
            }),
            { numRuns: 300 },
          );
        } finally {
          setScansBeforeHash(was);
        }
      });
    }
  }
});

describe('what the index expresses', () => {
  it.each([
    ['-d 10.96.0.1/32 -p tcp -m comment --comment "a b" -m tcp --dport 80 -j KUBE-SVC-X', true],
    ['-d 10.96.0.1/32 -p udp -m udp --dport 53 -j ACCEPT', true],
    ['-d 10.96.0.1/32 -p tcp -m mark --mark 0x1 -m tcp --dport 80', true],
    ['! -d 10.96.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT', false],
    ['-d 10.96.0.0/24 -p tcp -m tcp --dport 80 -j ACCEPT', false],
    ['-d 10.96.0.1/32 -p tcp -m tcp ! --dport 80 -j ACCEPT', false],
    ['-d 10.96.0.1/32 -p tcp -m tcp --dport 80:81 -j ACCEPT', false],
    ['-d 10.96.0.1/32 ! -p tcp -j ACCEPT', false],
    ['-d 10.96.0.1/32 -p tcp -j ACCEPT', false],
    ['-d 10.96.0.1/32 -p tcp -m statistic --mode nth --every 2 --packet 0 -m tcp --dport 80', false],
    ['-d 10.96.0.1/32 -p tcp -m recent --rcheck --name x -m tcp --dport 80', false],
    ['-p tcp -m tcp --dport 30080 -j KUBE-EXT-X', true],
    ['-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j DROP', true],
    ['-p tcp -j ACCEPT', false],
    ['-p tcp -m tcp ! --dport 30080 -j ACCEPT', false],
    ['-p tcp -m statistic --mode nth --every 2 --packet 0 -m tcp --dport 80', false],
  ])('%s: %s', (text, want) => {
    expect(indexKey(r(text)) !== undefined).toBe(want);
  });

  it('a chain is indexed once it has enough indexable rules, and a new chain object gets a new index', () => {
    const rules = Array.from({ length: 20 }, (_, i) => r(`-d 10.96.0.${i + 1}/32 -p tcp -m tcp --dport 80 -j ACCEPT`));
    const chain = { name: 'KUBE-SERVICES', rules };
    const d = dispatchOf(chain);
    expect(d?.others).toEqual([]);
    expect(d === undefined ? undefined : indexMaps(d).anyAddr.size).toBe(0);
    expect(dispatchOf(chain)).toBe(d);
    const edited = { ...chain, rules: [...rules, r('-j DROP')] };
    expect(dispatchOf(edited)?.others).toEqual([20]);
    expect(dispatchOf({ name: 'SHORT', rules: rules.slice(0, 3) })).toBeUndefined();
  });
});

/** The index the straightforward way: every rule's key computed afresh. */
function referenceIndex(rules: readonly Rule[]) {
  const buckets = new Map<number, Map<number | bigint, number[]>>();
  const anyAddr = new Map<number, number[]>();
  const others: number[] = [];
  rules.forEach((rule, i) => {
    const key = indexKey(rule);
    if (key === undefined) others.push(i);
    else if (key.addr === undefined) anyAddr.set(key.portProto, [...(anyAddr.get(key.portProto) ?? []), i]);
    else {
      const byAddr = buckets.get(key.portProto) ?? new Map<number | bigint, number[]>();
      buckets.set(key.portProto, byAddr);
      byAddr.set(key.addr, [...(byAddr.get(key.addr) ?? []), i]);
    }
  });
  return { buckets, anyAddr, others };
}

describe('rule keys kept per rule object', () => {
  it('chains sharing rule objects (random subsets, random order) index as the keys computed afresh say', () => {
    const old = setIndexThreshold(1);
    try {
      fc.assert(
        fc.property(fc.array(ruleText(4, true), { minLength: 1, maxLength: 30 }), fc.array(fc.array(fc.nat(), { maxLength: 40 }), { minLength: 1, maxLength: 4 }), (texts, picks) => {
          const shared = texts.map((t) => r(t));
          for (const pick of picks) {
            const rules = pick.map((i) => shared[i % shared.length] as Rule);
            const got = dispatchOf({ name: 'X', rules });
            const want = referenceIndex(rules);
            if (got === undefined) expect(rules.every((x) => indexKey(x) === undefined)).toBe(true);
            else expect({ ...indexMaps(got), others: got.others }).toEqual(want);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      setIndexThreshold(old);
    }
  });
});

/** A random edit of a chain's rules: drop, insert (a shared rule or a new one), replace, swap neighbours. */
const edit = fc.tuple(fc.constantFrom('drop', 'insert', 'insertNew', 'replace', 'swap'), fc.nat(), fc.nat());

describe('chains of the same name that are edits of one another, as nodes build them', () => {
  it('index as keys computed afresh say (drops, inserts, swaps of shared Rule objects)', () => {
    const old = setIndexThreshold(1);
    try {
      fc.assert(
        fc.property(
          fc.array(ruleText(4, true), { minLength: 1, maxLength: 30 }),
          fc.array(fc.array(edit, { maxLength: 8 }), { minLength: 1, maxLength: 5 }),
          fc.array(ruleText(4, true), { minLength: 1, maxLength: 5 }),
          (texts, rounds, extra) => {
            const shared = texts.map((t) => r(t));
            const fresh = extra.map((t) => r(t));
            let rules = [...shared];
            for (const edits of rounds) {
              rules = [...rules];
              for (const [kind, a, b] of edits) {
                const at = rules.length === 0 ? 0 : a % rules.length;
                if (kind === 'drop') rules.splice(at, 1);
                else if (kind === 'insert') rules.splice(at, 0, shared[b % shared.length] as Rule);
                else if (kind === 'insertNew') rules.splice(at, 0, fresh[b % fresh.length] as Rule);
                else if (kind === 'replace' && rules.length > 0) rules[at] = shared[b % shared.length] as Rule;
                else if (kind === 'swap' && at + 1 < rules.length) rules.splice(at, 2, rules[at + 1] as Rule, rules[at] as Rule);
              }
              const got = dispatchOf({ name: 'KUBE-EXTERNAL-SERVICES', rules });
              const want = referenceIndex(rules);
              if (got === undefined) expect(rules.every((x) => indexKey(x) === undefined)).toBe(true);
              else expect({ ...indexMaps(got), others: got.others }).toEqual(want);
            }
          },
        ),
        { numRuns: 500 },
      );
    } finally {
      setIndexThreshold(old);
    }
  });
});
