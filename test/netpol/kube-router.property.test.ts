/**
 * For random small policy sets, kube-router's rules in the kernel model give the evaluator's
 * verdict (src/policy `allowed`) for every pod pair on TCP 80 and UDP 81, on an IPv4 and an IPv6
 * cluster: a new connection is DELIVERED when it is allowed and REJECTED by a pod chain when not.
 *
 * The generator stays inside what kube-router renders as the API means it (docs/netpol.md,
 * "kube-router's deviations"): a policy has one policy type (a chain of both types is run for
 * either direction); egress rules name no ports by name; a rule has at most one ipBlock peer
 * (kube-router merges a rule's ipBlocks into one hash:net set, where one peer's `except` can
 * cut into another's cidr); a named port resolves on the selected pods (one that resolves
 * nowhere leaves the rule without ports, which kube-router renders as every port). The deviations have their own tests in kube-router-deviations.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../../src/addr/index.js';
import type { NetworkPolicy } from '../../src/cluster/objects.js';
import { policyPodsOf, policyWorldOf } from '../../src/cluster/netpol-world.js';
import { type NetworkPolicyPeer, type NetworkPolicyPort, allowed, defaultPolicyTypes } from '../../src/policy/index.js';
import { krBaseSpec, krBuild, krProbe } from '../helpers/kube-router.js';
import { selector } from '../helpers/netpol-arb.js';

/** ipBlocks around the pods' addresses: node-1's and node-2's subnets, with and without except. */
const IP_BLOCKS = {
  4: [
    { ipBlock: { cidr: cidr('10.244.0.0/16'), except: [cidr('10.244.1.0/24')] } },
    { ipBlock: { cidr: cidr('0.0.0.0/0'), except: [cidr('10.244.0.0/24')] } },
    { ipBlock: { cidr: cidr('10.244.1.0/24'), except: [] } },
  ],
  // ::/0 is left out: kube-router narrows it to 2000::/3 + fd00::/8 (the pods, in fd00::/8, are inside either way).
  6: [
    { ipBlock: { cidr: cidr('fd00:10:244::/56'), except: [cidr('fd00:10:244:1::/64')] } },
    { ipBlock: { cidr: cidr('fd00::/8'), except: [cidr('fd00:10:244::/64')] } },
    { ipBlock: { cidr: cidr('fd00:10:244:1::/64'), except: [] } },
  ],
} as const satisfies Record<4 | 6, readonly NetworkPolicyPeer[]>;
const selectorPeer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  selector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(selector, selector).map(([n, p]) => ({ namespaceSelector: n, podSelector: p })),
);
const peers = (family: 4 | 6) => fc.tuple(fc.array(selectorPeer, { maxLength: 2 }), fc.option(fc.constantFrom<NetworkPolicyPeer>(...IP_BLOCKS[family]), { nil: undefined })).map(([s, b]) => (b === undefined ? s : [...s, b]));
const numericPort: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const) }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom(80, 81) }),
  fc.record({ protocol: fc.constant('TCP' as const), port: fc.constant(79), endPort: fc.constantFrom(80, 81) }),
);
/** Named ports the selected pods declare with that protocol (one that resolves nowhere opens every port: a deviation). */
const namedPort: fc.Arbitrary<NetworkPolicyPort> = fc.constantFrom({ protocol: 'TCP' as const, port: 'serve-80-tcp' }, { protocol: 'UDP' as const, port: 'serve-81-udp' });

const policyArb = (family: 4 | 6): fc.Arbitrary<NetworkPolicy> => fc
  .record({
    namespace: fc.constantFrom('x', 'y'),
    name: fc.constantFrom('p1', 'p2', 'p3'),
    podSelector: selector,
    type: fc.constantFrom('Ingress' as const, 'Egress' as const),
    rules: fc.array(fc.record({ peers: peers(family), ports: fc.array(fc.oneof(numericPort, namedPort), { maxLength: 2 }), egressPorts: fc.array(numericPort, { maxLength: 2 }) }), { maxLength: 2 }),
  })
  .map((p) => ({
    namespace: p.namespace,
    name: p.name,
    labels: {},
    podSelector: p.podSelector,
    policyTypes: defaultPolicyTypes([p.type], 0),
    ingress: p.type === 'Ingress' ? p.rules.map((r) => ({ from: r.peers, ports: r.ports })) : [],
    egress: p.type === 'Egress' ? p.rules.map((r) => ({ to: r.peers, ports: r.egressPorts })) : [],
  }));

/** Unique by namespace/name, as the API server keeps them. */
const policiesArb = (family: 4 | 6) => fc.uniqueArray(policyArb(family), { minLength: 1, maxLength: 3, selector: (p) => `${p.namespace}/${p.name}` });

describe.each([4, 6] as const)('IPv%s: kube-router in the kernel model agrees with the NetworkPolicy evaluator', (family) => {
  const spec = krBaseSpec(family);

  it('every pod pair, TCP 80 and UDP 81', () => {
    if (spec === undefined) throw new Error('base scenario does not build');
    const seen = { DELIVERED: 0, REJECTED: 0 };
    fc.assert(
      fc.property(policiesArb(family), (policies) => {
        const built = krBuild(spec, policies);
        const world = policyWorldOf(built.spec);
        const pods = policyPodsOf(built, family);
        for (const src of pods) {
          for (const dst of pods) {
            if (src === dst) continue;
            for (const [protocol, port] of [['TCP', 80], ['UDP', 81]] as const) {
              const want = allowed(world, { src: { pod: src, ...(src.ip !== undefined ? { ip: src.ip } : {}) }, dst: { pod: dst, ...(dst.ip !== undefined ? { ip: dst.ip } : {}) }, protocol, port }).allowed;
              const got = krProbe(built, `${src.namespace}/${src.name}`, `${dst.namespace}/${dst.name}`, protocol, port);
              if (got === 'DELIVERED' || got === 'REJECTED') seen[got]++;
              expect(`${src.namespace}/${src.name} → ${dst.namespace}/${dst.name} ${protocol}/${port}: ${got}`).toBe(`${src.namespace}/${src.name} → ${dst.namespace}/${dst.name} ${protocol}/${port}: ${want ? 'DELIVERED' : 'REJECTED'}`);
            }
          }
        }
      }),
      { numRuns: 20 },
    );
    // Not vacuous: both verdicts occur often (of 480 probes; a random draw has given as few as 48 of one).
    expect(seen.DELIVERED).toBeGreaterThan(20);
    expect(seen.REJECTED).toBeGreaterThan(20);
  });
});
