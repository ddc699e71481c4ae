/**
 * The suggested change flips a denied connection to allowed, and, being rules added to policies
 * that already select the pod, closes nothing that was open (random worlds and connections).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cluster, networkPolicy } from '../../test/helpers/netpol-arb.js';
import { from, modelNamespaces, modelPod, policy, sel } from '../../test/helpers/netpol.js';
import { type PolicyProtocol, type PolicyQuery, type PolicyWorld, allowed, applySuggestions, matrixBooleans, policyMatrix, suggestAllow } from './index.js';

const packet = fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(80, 81, 82) });

describe('suggestAllow', () => {
  it('suggests a rule for the isolating policy of the denying side, naming the peer by namespace and labels', () => {
    const world: PolicyWorld = { namespaces: modelNamespaces(), policies: [policy('y/deny', sel(), { ingress: [] })] };
    const [a, b] = [modelPod('x/a'), modelPod('y/b')];
    const q: PolicyQuery = { src: { pod: a, ip: a.ip as never }, dst: { pod: b, ip: b.ip as never }, protocol: 'TCP', port: 80 };
    expect(suggestAllow(world, q)).toEqual([
      { policy: { namespace: 'y', name: 'deny' }, type: 'Ingress', peer: { namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'x' }), podSelector: sel({ pod: 'a' }) }, port: { protocol: 'TCP', port: 80 } },
    ]);
    expect(suggestAllow({ ...world, policies: [policy('y/all', sel(), { ingress: [from()] })] }, q)).toEqual([]);
  });

  it('the change allows the connection and closes nothing (random worlds)', () => {
    fc.assert(
      fc.property(cluster, fc.array(networkPolicy, { maxLength: 5 }), packet, fc.nat(), fc.nat(), (c, ps, p, i, j) => {
        const world: PolicyWorld = { namespaces: c.namespaces, policies: ps };
        const [s, d] = [c.pods[i % c.pods.length], c.pods[j % c.pods.length]];
        if (s === undefined || d === undefined) return;
        const q: PolicyQuery = { src: { pod: s, ip: s.ip as never }, dst: { pod: d, ip: d.ip as never }, ...p };
        const rules = suggestAllow(world, q);
        if (allowed(world, q).allowed) {
          expect(rules).toEqual([]);
          return;
        }
        expect(rules).toBeDefined();
        const after = applySuggestions(world, rules ?? []);
        expect(allowed(after, q).allowed).toBe(true);
        const [t0, t1] = [matrixBooleans(policyMatrix(world, c.pods, p)), matrixBooleans(policyMatrix(after, c.pods, p))];
        t0.forEach((row, x) => row.forEach((open, y) => (open ? expect(t1[x]?.[y]).toBe(true) : undefined)));
      }),
      { numRuns: 500 },
    );
  });
});
