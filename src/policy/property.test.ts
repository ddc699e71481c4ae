/**
 * Properties of NetworkPolicy semantics, over random worlds (test/helpers/netpol-arb.ts): the
 * union only adds, policy order is irrelevant, a policy that selects nothing changes nothing,
 * allow-all everywhere equals no policy, and the matrix agrees with cell-by-cell `allowed`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cluster, networkPolicy } from '../../test/helpers/netpol-arb.js';
import { sel } from '../../test/helpers/netpol.js';
import { type MatrixPod, type NetworkPolicySpecObject, type PolicyProtocol, type PolicyWorld, allowed, isolatingPolicies, matrixBooleans, policyMatrix, sideAllows } from './index.js';

const packet = fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(80, 81, 82) });
const policies = fc.array(networkPolicy, { maxLength: 5 });
const RUNS = { numRuns: 300 };

function table(world: PolicyWorld, pods: readonly MatrixPod[], p: { protocol: PolicyProtocol; port: number }): boolean[][] {
  return matrixBooleans(policyMatrix(world, pods, p));
}

/** `[egress isolated, ingress isolated]` of every pod. */
function isolation(world: PolicyWorld, pods: readonly MatrixPod[]): string[] {
  return pods.map((p) => `${isolatingPolicies(world, p, 'Egress').length > 0}/${isolatingPolicies(world, p, 'Ingress').length > 0}`);
}

describe('NetworkPolicy properties', () => {
  it('adding a policy never closes a connection whose ends it does not newly isolate (the union only adds)', () => {
    fc.assert(
      fc.property(cluster, policies, networkPolicy, packet, (c, ps, extra, p) => {
        const before: PolicyWorld = { namespaces: c.namespaces, policies: ps };
        const after: PolicyWorld = { namespaces: c.namespaces, policies: [...ps, extra] };
        const [t0, t1] = [table(before, c.pods, p), table(after, c.pods, p)];
        const [i0, i1] = [isolation(before, c.pods), isolation(after, c.pods)];
        c.pods.forEach((_, s) =>
          c.pods.forEach((__, d) => {
            const egressSame = i0[s]?.split('/')[0] === i1[s]?.split('/')[0];
            const ingressSame = i0[d]?.split('/')[1] === i1[d]?.split('/')[1];
            if (egressSame && ingressSame && t0[s]?.[d] === true) expect(t1[s]?.[d]).toBe(true);
          }),
        );
      }),
      RUNS,
    );
  });

  it('policy order does not matter', () => {
    fc.assert(
      fc.property(cluster, policies, packet, (c, ps, p) => {
        const fwd = table({ namespaces: c.namespaces, policies: ps }, c.pods, p);
        const rev = table({ namespaces: c.namespaces, policies: [...ps].reverse() }, c.pods, p);
        expect(rev).toEqual(fwd);
      }),
      RUNS,
    );
  });

  it('a policy whose podSelector selects no pod changes nothing', () => {
    fc.assert(
      fc.property(cluster, policies, networkPolicy, packet, (c, ps, extra, p) => {
        const nobody: NetworkPolicySpecObject = { ...extra, podSelector: sel({ pod: 'nobody' }) };
        const before = table({ namespaces: c.namespaces, policies: ps }, c.pods, p);
        expect(table({ namespaces: c.namespaces, policies: [...ps, nobody] }, c.pods, p)).toEqual(before);
      }),
      RUNS,
    );
  });

  it('allow-all ingress and egress in every namespace equals no policy at all', () => {
    fc.assert(
      fc.property(cluster, policies, packet, (c, ps, p) => {
        const allowAll = ['x', 'y', 'z'].map((ns): NetworkPolicySpecObject => ({
          namespace: ns, name: 'allow-all', podSelector: sel(), policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [], ports: [] }], egress: [{ to: [], ports: [] }],
        }));
        const t = table({ namespaces: c.namespaces, policies: [...ps, ...allowAll] }, c.pods, p);
        expect(t.flat().every(Boolean)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the matrix is allowed() cell by cell, and a cell is the AND of its two sides', () => {
    fc.assert(
      fc.property(cluster, policies, packet, (c, ps, p) => {
        const world = { namespaces: c.namespaces, policies: ps };
        const m = policyMatrix(world, c.pods, p);
        c.pods.forEach((src, i) =>
          c.pods.forEach((dst, j) => {
            const v = allowed(world, { src: { pod: src, ...(src.ip ? { ip: src.ip } : {}) }, dst: { pod: dst, ...(dst.ip ? { ip: dst.ip } : {}) }, ...p });
            expect(m.cells[i]?.[j]).toEqual(v);
            expect(v.allowed).toBe(sideAllows(v.egress) && sideAllows(v.ingress));
          }),
        );
      }),
      RUNS,
    );
  });

  it('with no policy everything connects', () => {
    fc.assert(
      fc.property(cluster, packet, (c, p) => {
        expect(table({ namespaces: c.namespaces, policies: [] }, c.pods, p).flat().every(Boolean)).toBe(true);
      }),
      RUNS,
    );
  });
});
