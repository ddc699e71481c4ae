/**
 * Property: the index of a chain spliced from other chains' runs of rules and rules of its own
 * (dispatch.ts spliceDispatch, as kube-proxy's per-node KUBE-EXTERNAL-SERVICES is made from the
 * shared chain: cluster/assemble/proxy-base.ts patchedTop) is the index its rules give when read
 * one by one: the same keys, addresses, unindexed positions, and the same answer on whether the
 * chain is indexed at all; with the source chains indexed before or not, at several thresholds.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { r } from '../../../../test/helpers/nf.js';
import type { Chain, Rule } from '../rule.js';
import { type ChainDispatch, type DispatchPiece, dispatchOf, setIndexThreshold, spliceDispatch } from './dispatch.js';

const vip = fc.constantFrom('10.96.0.1', '10.96.0.2', '10.96.0.3');
const port = fc.constantFrom(53, 80, 30080);
/** Indexable rules (by address and port, or by port alone) and rules the index cannot express. */
const ruleText = fc.oneof(
  fc.tuple(vip, port).map(([v, p]) => `-d ${v}/32 -p tcp -m comment --comment "ns/svc:p cluster IP" -m tcp --dport ${p} -j KUBE-SVC-X`),
  port.map((p) => `-m addrtype --dst-type LOCAL -p tcp -m comment --comment "ns/svc:p has no local endpoints" -m tcp --dport ${p} -j DROP`),
  fc.tuple(vip, port).map(([v, p]) => `! -d ${v}/32 -p udp -m udp --dport ${p} -j ACCEPT`),
  port.map((p) => `-p tcp -m statistic --mode nth --every 2 --packet 0 -m tcp --dport ${p}`),
  fc.constant('-m mark --mark 0x1/0x1 -j RETURN'),
);

/** An index as plain data (`addr`'s holes read as undefined, as the walk reads them). */
const plain = (d: ChainDispatch | undefined) =>
  d === undefined ? undefined : { length: d.length, rules: d.rules, portProto: [...d.portProto], addr: Array.from(d.addr), others: d.others };

afterEach(() => {
  setIndexThreshold(16);
});

describe('an index spliced from other chains’ runs (property)', () => {
  it('is the index its rules give', () => {
    let indexed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(ruleText, { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.record({ src: fc.nat(), a: fc.nat(), b: fc.nat() }), fc.array(ruleText, { maxLength: 3 })), { maxLength: 6 }),
        fc.constantFrom(1, 3, 16),
        fc.boolean(),
        (sourceTexts, picks, threshold, warm) => {
          setIndexThreshold(threshold);
          const sources: Chain[] = sourceTexts.map((ts, k) => ({ name: `S${k}`, rules: ts.map((t) => r(t)) }));
          if (warm) for (const s of sources) dispatchOf(s);
          const pieces: DispatchPiece[] = picks.map((p) => {
            if (Array.isArray(p)) return { rules: p.map((t) => r(t)) };
            const chain = sources[p.src % sources.length] as Chain;
            const [a, b] = [p.a % (chain.rules.length + 1), p.b % (chain.rules.length + 1)];
            return { chain, from: Math.min(a, b), to: Math.max(a, b) };
          });
          const rules: Rule[] = pieces.flatMap((p) => ('rules' in p ? p.rules : p.chain.rules.slice(p.from, p.to)));
          const spliced: Chain = { name: 'X', rules };
          spliceDispatch(spliced, pieces);
          const got = plain(dispatchOf(spliced));
          // The same rules in a chain without a recipe: read one by one.
          const want = plain(dispatchOf({ name: 'X', rules }));
          expect(got).toEqual(want);
          if (got !== undefined) indexed++;
        },
      ),
      { numRuns: 400 },
    );
    expect(indexed).toBeGreaterThan(50);
  });

  it('is not used for rules other than those it was told of', () => {
    setIndexThreshold(1);
    const source: Chain = { name: 'S', rules: ['-p tcp -m tcp --dport 80 -j DROP', '-m mark --mark 0x1/0x1 -j RETURN'].map((t) => r(t)) };
    const chain = { name: 'X', rules: source.rules };
    spliceDispatch(chain, [{ chain: source, from: 0, to: 2 }]);
    // The same Chain object with other rules (a recipe kept for the old ones must not apply).
    chain.rules = [source.rules[1] as Rule, source.rules[0] as Rule];
    expect(dispatchOf(chain)?.others).toEqual([0]);
  });
});
