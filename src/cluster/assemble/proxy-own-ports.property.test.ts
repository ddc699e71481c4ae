/**
 * Property: a node's own ports as proxy-delta.ts ownPorts finds them (among the memo's
 * node-specific ports only) are the ports whose fragment differs from the shared one, found by
 * comparing every port, on random clusters with policy-Local and hinted Services.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, clusterArb, scenario } from '../../../test/helpers/random-cluster.js';
import { buildPayloadParts, createPayloadMemo, sharedFragments } from '../../proxy/index.js';
import { kubeProxyView, proxierConfig } from './proxy.js';
import { ownPorts } from './proxy-delta.js';

describe('a node’s own kube-proxy ports (property)', () => {
  it('are the ports whose fragment is not the shared one', () => {
    let found = 0;
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
            const scan = parts.ports.flatMap((p, i) => (p !== shared[i] ? [i] : []));
            expect(ownPorts(parts, shared, memo, node.name)).toEqual(scan);
            found += scan.length;
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(found).toBeGreaterThan(0);
  });
});
