/**
 * Property: on random clusters the deferred build, whose kube-proxy syncs go through the payload
 * every node shares (proxy-parts.ts), equals the eager build, which restores each node's payload
 * text: every namespace's `show` output, every node's rulesets and payload, and traces. The
 * clusters: 2–4 nodes, one or two families, kube-proxy's local detector by cluster or by node
 * CIDR, masquerade-all or not; pods of three apps on random nodes; Services of every type with
 * random traffic policies, affinity and source ranges, selecting the apps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesets, shown, traces } from '../../../test/helpers/lazy-build.js';
import { build, clusterArb, scenario } from '../../../test/helpers/random-cluster.js';

describe('deferred, shared kube-proxy syncs equal the eager build (property)', () => {
  it('on random clusters', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const text = scenario(c);
        const eager = build(text, true);
        const lazy = build(text, false);
        expect(traces(lazy)).toEqual(traces(eager));
        expect(shown(lazy)).toBe(shown(eager));
        for (const n of lazy.spec.nodes) expect(rulesets(lazy, n.name)).toEqual(rulesets(eager, n.name));
        expect({ ...lazy.proxyPayloads }).toEqual({ ...eager.proxyPayloads });
      }),
      { numRuns: 25 },
    );
  });
});
