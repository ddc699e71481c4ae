/**
 * Property: a port's endpoints normalised on one node from their normalisation on another
 * (endpoints.ts endpointsOnNode, as shared-payload.ts takes a policy-Local port's endpoints on a
 * node hosting one of them) equal normalizeEndpoints on that node: the same endpoints in the same
 * order, kept from the same inputs (duplicates, terminating copies, the other family's and
 * unparsable addresses among the inputs), local where their input's node is the node, with the
 * same KUBE-SEP names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointInput } from '../types.js';
import { type EndpointInfo, endpointsOnNode, normalizeEndpoints } from './endpoints.js';

const NODES = ['node-1', 'node-2', 'node-3'];
const input: fc.Arbitrary<EndpointInput> = fc.record(
  {
    ip: fc.constantFrom('10.0.0.1', '10.0.0.11', '10.0.1.1', '010.0.0.2', 'fd00::1', 'fd00::0:1', 'not-an-ip'),
    port: fc.constantFrom(80, 8080),
    ready: fc.boolean(),
    serving: fc.boolean(),
    terminating: fc.boolean(),
    nodeName: fc.constantFrom(...NODES),
    zoneHints: fc.array(fc.constantFrom('zone-a', 'zone-b'), { maxLength: 2 }),
    nodeHints: fc.array(fc.constantFrom(...NODES), { maxLength: 2 }),
  },
  { requiredKeys: ['ip', 'port', 'ready', 'serving', 'terminating'] },
);

const plain = (eps: readonly EndpointInfo[]) =>
  eps.map((e) => ({ ip: e.ip, port: e.port, str: e.str, isLocal: e.isLocal, ready: e.ready, serving: e.serving, terminating: e.terminating, zoneHints: [...e.zoneHints], nodeHints: [...e.nodeHints], chain: e.chain }));

describe('endpoints normalised on a node from another node’s (property)', () => {
  it('equal normalizeEndpoints on that node', () => {
    let local = 0;
    fc.assert(
      fc.property(fc.array(input, { maxLength: 8 }), fc.constantFrom(4, 6) as fc.Arbitrary<4 | 6>, fc.constantFrom(...NODES, 'node-9'), fc.boolean(), (inputs, family, node, hashed) => {
        const info = { spn: 'ns/svc:http', protocol: 'TCP' };
        const shared = normalizeEndpoints(info, inputs, { family, nodeName: '\u0000' });
        // The names hashed before the copy or after it.
        if (hashed) for (const e of shared) void e.chain;
        const got = endpointsOnNode(shared, node);
        const want = normalizeEndpoints(info, inputs, { family, nodeName: node });
        expect(got === undefined ? undefined : plain(got)).toEqual(plain(want));
        local += want.filter((e) => e.isLocal).length;
      }),
      { numRuns: 500 },
    );
    expect(local).toBeGreaterThan(0);
  });
});
