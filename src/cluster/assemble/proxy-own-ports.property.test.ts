/**
 * Property: a node's own ports as proxy-delta.ts ownPorts finds them (among the memo's
 * node-specific ports only) are the ports whose fragment differs from the shared one, found by
 * comparing every port, on random clusters with policy-Local and hinted Services.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachNodePayload } from '../../../test/helpers/node-payloads.js';
import { clusterArb } from '../../../test/helpers/random-cluster.js';
import { ownPorts } from './proxy-delta.js';

describe('a node’s own kube-proxy ports (property)', () => {
  it('are the ports whose fragment is not the shared one', () => {
    let found = 0;
    fc.assert(
      fc.property(clusterArb, (c) => {
        eachNodePayload(c, ({ parts, shared }) => {
          const scan = parts.ports.flatMap((p, i) => (p !== shared[i] ? [i] : []));
          expect(ownPorts(parts, shared)).toEqual(scan);
          found += scan.length;
        });
      }),
      { numRuns: 150 },
    );
    expect(found).toBeGreaterThan(0);
  });
});
