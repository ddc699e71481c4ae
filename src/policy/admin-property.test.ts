/**
 * Properties of the admin tiers over random worlds (test/helpers/netpol-arb.ts plus random
 * AdminNetworkPolicies): Pass-only ANPs change nothing, an ANP Deny beats every NetworkPolicy,
 * a BANP never overrides a side NetworkPolicy isolates, and the matrix is `allowed` cell by cell.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cluster, networkPolicy, selector } from '../../test/helpers/netpol-arb.js';
import { sel } from '../../test/helpers/netpol.js';
import {
  type AdminAction, type AdminNetworkPolicySpecObject, type AdminPeer, type AdminPort, type AdminRule, type AdminSelection, type MatrixPod, type PolicyProtocol, type PolicyWorld,
  allowed, isolatingPolicies, matrixBooleans, policyMatrix,
} from './index.js';

const packet = fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(80, 81, 82) });
const RUNS = { numRuns: 200 };

const adminPeer: fc.Arbitrary<AdminPeer> = fc.oneof(
  selector.map((namespaces) => ({ namespaces })),
  fc.record({ namespaceSelector: selector, podSelector: selector }).map((pods) => ({ pods })),
);
const adminPort: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP'), port: fc.constantFrom(80, 81) }).map((portNumber) => ({ portNumber })),
  fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP', 'SCTP'), start: fc.constant(80), end: fc.constantFrom(80, 81, 82) }).map((portRange) => ({ portRange })),
  fc.constantFrom('serve-80-tcp', 'serve-81-udp').map((namedPort) => ({ namedPort })),
);
const rule = (actions: readonly AdminAction[]): fc.Arbitrary<AdminRule> =>
  fc.record({ name: fc.constantFrom('r', ''), action: fc.constantFrom(...actions), peers: fc.array(adminPeer, { minLength: 1, maxLength: 2 }), ports: fc.option(fc.array(adminPort, { minLength: 1, maxLength: 2 }), { nil: undefined }) })
    .map(({ ports, ...r }): AdminRule => (ports === undefined ? r : { ...r, ports }));
const subject: fc.Arbitrary<AdminSelection> = fc.oneof(
  selector.map((namespaces): AdminSelection => ({ namespaces })),
  fc.record({ namespaceSelector: selector, podSelector: selector }).map((pods): AdminSelection => ({ pods })),
);
const anp = (actions: readonly AdminAction[]): fc.Arbitrary<AdminNetworkPolicySpecObject> =>
  fc.record({
    name: fc.constantFrom('a', 'b', 'c'),
    priority: fc.integer({ min: 0, max: 3 }),
    subject,
    ingress: fc.array(rule(actions), { maxLength: 3 }),
    egress: fc.array(rule(actions), { maxLength: 3 }),
  });
const policies = fc.array(networkPolicy, { maxLength: 4 });

function table(world: PolicyWorld, pods: readonly MatrixPod[], p: { protocol: PolicyProtocol; port: number }): boolean[][] {
  return matrixBooleans(policyMatrix(world, pods, p));
}

describe('admin tier properties', () => {
  it('ANPs whose rules are all Pass change nothing', () => {
    fc.assert(
      fc.property(cluster, policies, fc.array(anp(['Pass']), { maxLength: 3 }), packet, (c, ps, anps, p) => {
        const base: PolicyWorld = { namespaces: c.namespaces, policies: ps };
        expect(table({ ...base, adminPolicies: anps }, c.pods, p)).toEqual(table(base, c.pods, p));
      }),
      RUNS,
    );
  });

  it('an ANP denying all ingress, at the lowest priority number, beats any NetworkPolicy and any later ANP', () => {
    fc.assert(
      fc.property(cluster, policies, fc.array(anp(['Allow', 'Deny', 'Pass']), { maxLength: 3 }), packet, (c, ps, anps, p) => {
        const denyAll: AdminNetworkPolicySpecObject = { name: '0-deny', priority: 0, subject: { namespaces: sel() }, ingress: [{ name: 'deny', action: 'Deny', peers: [{ namespaces: sel() }] }], egress: [] };
        const t = table({ namespaces: c.namespaces, policies: ps, adminPolicies: [...anps.map((a) => ({ ...a, priority: a.priority + 1 })), denyAll] }, c.pods, p);
        c.pods.forEach((src, i) => c.pods.forEach((dst, j) => {
          if (!src.hostNetwork && !dst.hostNetwork) expect(t[i]?.[j]).toBe(false);
        }));
      }),
      RUNS,
    );
  });

  it('a BaselineAdminNetworkPolicy never changes a connection both of whose sides NetworkPolicy isolates', () => {
    fc.assert(
      fc.property(cluster, policies, anp(['Allow', 'Deny']), packet, (c, ps, b, p) => {
        const base: PolicyWorld = { namespaces: c.namespaces, policies: ps };
        const [t0, t1] = [table(base, c.pods, p), table({ ...base, baselinePolicy: b }, c.pods, p)];
        c.pods.forEach((src, i) => c.pods.forEach((dst, j) => {
          if (isolatingPolicies(base, src, 'Egress').length > 0 && isolatingPolicies(base, dst, 'Ingress').length > 0) expect(t1[i]?.[j]).toBe(t0[i]?.[j]);
        }));
      }),
      RUNS,
    );
  });

  it('the matrix is allowed() cell by cell with ANPs and a BANP', () => {
    fc.assert(
      fc.property(cluster, policies, fc.array(anp(['Allow', 'Deny', 'Pass']), { maxLength: 3 }), anp(['Allow', 'Deny']), packet, (c, ps, anps, b, p) => {
        const world: PolicyWorld = { namespaces: c.namespaces, policies: ps, adminPolicies: anps, baselinePolicy: b };
        const m = policyMatrix(world, c.pods, p);
        c.pods.forEach((src, i) => c.pods.forEach((dst, j) => {
          const v = allowed(world, { src: { pod: src, ...(src.ip ? { ip: src.ip } : {}) }, dst: { pod: dst, ...(dst.ip ? { ip: dst.ip } : {}) }, ...p });
          expect(m.cells[i]?.[j]).toEqual(v);
        }));
      }),
      RUNS,
    );
  });
});
