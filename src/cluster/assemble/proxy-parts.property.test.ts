/**
 * Property: a node's own port parsed with its shared fragment as twin (proxy-parts.ts
 * parseOwnFragments, as proxy-delta.ts calls it: dispatch lines whose text the twin holds are the
 * twin's parsed lines, chains written line for line alike are the twin's chains: proxy-twin.ts) equals the same fragment parsed on its own, on random clusters with
 * policy-Local and hinted Services: dispatch lines, own chains with their rules, nesting summary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachNodePayload } from '../../../test/helpers/node-payloads.js';
import { build, clusterArb, scenario } from '../../../test/helpers/random-cluster.js';
import { type PortFragment, buildPayloadParts, createPayloadMemo } from '../../proxy/index.js';
import { kubeProxyView, proxierConfig } from './proxy.js';
import { scanRuleLine } from '../../kernel/netfilter/syntax/rule-lines.js';
import { parseFragments, parseOwnFragments } from './proxy-parts.js';

describe('a node’s own port parsed beside its shared twin (property)', () => {
  it('equals the port parsed on its own', () => {
    const reused = { lines: 0, chains: 0 };
    fc.assert(
      fc.property(clusterArb, (c) => {
        eachNodePayload(c, ({ family, parts, shared }) => {
          const twinParsed = parseFragments(shared, family);
          const mine = parts.ports.flatMap((p, i) => (p !== shared[i] ? [i] : []));
          const own = mine.map((i) => parts.ports[i] as PortFragment);
          const withTwins = parseOwnFragments(own, family, mine.map((i) => ({ fragment: shared[i] as PortFragment, parsed: twinParsed[i]! })));
          // Copies, parsed without twins.
          const alone = parseFragments(own.map((f) => ({ ...f })), family);
          expect(withTwins).toEqual(alone);
          mine.forEach((i, k) => {
            const twin = shared[i] as PortFragment;
            reused.lines += (parts.ports[i] as PortFragment).natDispatch.filter((t) => twin.natDispatch.includes(t)).length;
            reused.chains += withTwins[k]!.natChains.filter((ch) => twinParsed[i]!.natChains.includes(ch)).length;
          });
        });
      }),
      { numRuns: 60 },
    );
    expect(reused.lines).toBeGreaterThan(0);
    expect(reused.chains).toBeGreaterThan(0);
  });

  it('takes none of a twin chain written otherwise, even with as many lines', () => {
    let taken = 0;
    fc.assert(
      fc.property(clusterArb, fc.nat(), (c, pick) => {
        const built = build(scenario(c), false);
        const view = kubeProxyView(built.spec.services, built.endpointSlices, 4);
        const memo = createPayloadMemo(4, view.servicePorts, view.endpoints);
        const node = built.spec.nodes[0]!;
        for (const f of buildPayloadParts(proxierConfig(built.spec.cluster, node, 4), memo).ports) {
          if (f.natRules.length === 0) continue;
          // A twin with one line of one chain written otherwise (a RETURN in its place).
          const k = pick % f.natRules.length;
          const chain = scanRuleLine(f.natRules[k]!)?.chain;
          if (chain === undefined) continue;
          const other = { ...f, natRules: f.natRules.map((t, j) => (j === k ? `-A ${chain} -j RETURN` : t)) };
          const [twin] = parseFragments([other], 4);
          const [mine] = parseOwnFragments([{ ...f }], 4, [{ fragment: other, parsed: twin! }]);
          expect(mine).toEqual(parseFragments([{ ...f }], 4)[0]);
          taken += mine!.natChains.filter((ch) => twin!.natChains.includes(ch)).length;
        }
      }),
      { numRuns: 40 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});
