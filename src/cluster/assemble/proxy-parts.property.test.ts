/**
 * Property: a node's own port parsed with its shared fragment as twin (proxy-parts.ts
 * parseFragments, as proxy-delta.ts calls it: dispatch lines whose text the twin holds are the
 * twin's parsed lines) equals the same fragment parsed on its own, on random clusters with
 * policy-Local and hinted Services: dispatch lines, own chains with their rules, nesting summary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, clusterArb, scenario } from '../../../test/helpers/random-cluster.js';
import { type PortFragment, buildPayloadParts, createPayloadMemo, sharedFragments } from '../../proxy/index.js';
import { kubeProxyView, proxierConfig } from './proxy.js';
import { parseFragments } from './proxy-parts.js';

describe('a node’s own port parsed beside its shared twin (property)', () => {
  it('equals the port parsed on its own', () => {
    let reused = 0;
    fc.assert(
      fc.property(clusterArb, (c) => {
        const built = build(scenario(c), false);
        for (const family of c.dual ? ([4, 6] as const) : ([4] as const)) {
          const view = kubeProxyView(built.spec.services, built.endpointSlices, family);
          const memo = createPayloadMemo(family, view.servicePorts, view.endpoints);
          for (const node of built.spec.nodes) {
            const config = proxierConfig(built.spec.cluster, node, family);
            const parts = buildPayloadParts(config, memo);
            const shared = sharedFragments(config, memo).fragments;
            const twinParsed = parseFragments(shared, family);
            const mine = parts.ports.flatMap((p, i) => (p !== shared[i] ? [i] : []));
            const own = mine.map((i) => parts.ports[i] as PortFragment);
            const withTwins = parseFragments(own, family, mine.map((i) => ({ fragment: shared[i] as PortFragment, parsed: twinParsed[i]! })));
            // Copies: not in the parse cache, so parsed without twins.
            const alone = parseFragments(own.map((f) => ({ ...f })), family);
            expect(withTwins).toEqual(alone);
            mine.forEach((i) => {
              const twin = shared[i] as PortFragment;
              reused += (parts.ports[i] as PortFragment).natDispatch.filter((t) => twin.natDispatch.includes(t)).length;
            });
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(reused).toBeGreaterThan(0);
  });
});
