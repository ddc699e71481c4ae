/**
 * Property: for random mixes of AdminNetworkPolicies, a BaselineAdminNetworkPolicy and
 * NetworkPolicies over four pods in a two-node calico cluster, the datapath's verdict (Felix's
 * tiers `adminnetworkpolicy` → `default` → `baselineadminnetworkpolicy` in the kernel model) is
 * the independent evaluator's (src/policy tiers.ts). Peers and ports are the ones Calico 3.30
 * converts as the API means them (namespaces, pods, networks; portNumber, portRange): named
 * ports and nodes peers are Calico gaps (SCN_ANP_CALICO_GAP), where the two differ on purpose.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/index.js';
import { loadScenario } from '../scenario/load.js';
import { FOUR_PODS, fourPodScenario, trip } from '../../test/helpers/calico-netpol.js';
import { networkPolicy, selector } from '../../test/helpers/netpol-arb.js';
import { buildCluster } from '../cluster/assemble/cluster.js';
import { createCniRegistry } from '../cni/registry.js';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { simContext } from '../sim/context.js';
import { policyWorldOf } from '../cluster/netpol-world.js';
import { type AdminAction, type AdminNetworkPolicySpecObject, type AdminPeer, type AdminPort, type AdminRule, type AdminSelection, type BaselineAdminNetworkPolicySpecObject, type PolicyProtocol, allowed } from '../policy/index.js';

const SCENARIO = fourPodScenario({ protocols: ['TCP', 'UDP'] });
const PODS = FOUR_PODS;

const selection: fc.Arbitrary<AdminSelection> = fc.oneof(
  selector.map((namespaces): AdminSelection => ({ namespaces })),
  fc.record({ namespaceSelector: selector, podSelector: selector }).map((pods): AdminSelection => ({ pods })),
);
/** Pod addresses come from node-1's and node-2's blocks of 10.244.0.0/16: these nets split them. */
const networks = fc.constantFrom(['10.244.0.0/16'], ['10.0.0.0/8', '192.168.0.0/16'], ['0.0.0.0/0'], ['10.245.0.0/16']).map((ns) => ({ networks: ns.map(cidr) }));
const peer = (egress: boolean): fc.Arbitrary<AdminPeer> => (egress ? fc.oneof(selection, networks) : selection);
const port: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP'), port: fc.constantFrom(80, 81) }).map((portNumber) => ({ portNumber })),
  fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'SCTP'), start: fc.constant(79), end: fc.constantFrom(80, 81) }).map((portRange) => ({ portRange })),
);
const rule = (actions: readonly AdminAction[], egress: boolean): fc.Arbitrary<AdminRule> =>
  fc
    .record({ name: fc.constantFrom('r', 'deny web', ''), action: fc.constantFrom(...actions), peers: fc.array(peer(egress), { minLength: 1, maxLength: 2 }), ports: fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { nil: undefined }) })
    .map(({ ports, ...r }): AdminRule => (ports === undefined ? r : { ...r, ports }));
const rules = (actions: readonly AdminAction[]) => ({ subject: selection, ingress: fc.array(rule(actions, false), { maxLength: 2 }), egress: fc.array(rule(actions, true), { maxLength: 2 }) });
const anps = fc.uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c'), priority: fc.integer({ min: 0, max: 1000 }), ...rules(['Allow', 'Deny', 'Pass']) }), { maxLength: 2, selector: (p) => p.name });
const banp = fc.option(fc.record({ name: fc.constant('default'), ...rules(['Allow', 'Deny']) }), { nil: undefined });
const protocolPort = fc.record({ protocol: fc.constantFrom<PolicyProtocol>('TCP', 'UDP'), port: fc.constantFrom(80, 81) });

describe('Felix datapath = evaluator with AdminNetworkPolicy tiers (calico)', () => {
  it('every pod pair, for random ANP + BANP + NetworkPolicy mixes', () => {
    const spec = loadScenario([{ path: 'p.yaml', text: SCENARIO }]).value;
    if (spec === undefined) throw new Error('base scenario does not load');
    const nps = fc.uniqueArray(networkPolicy, { maxLength: 2, selector: (p) => `${p.namespace}/${p.name}` });
    fc.assert(
      fc.property(anps, banp, nps, protocolPort, (as, b, ps, pp) => {
        const withPolicies = {
          ...spec,
          networkPolicies: ps.map((p) => ({ ...p, labels: {} })),
          adminNetworkPolicies: as.map((a: AdminNetworkPolicySpecObject) => ({ ...a, labels: {} })),
          ...(b === undefined ? {} : { baselineAdminNetworkPolicy: { ...(b as BaselineAdminNetworkPolicySpecObject), labels: {} } }),
        };
        const built = buildCluster(withPolicies, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
        if (built === undefined) throw new Error('cluster did not build');
        const world = policyWorldOf(withPolicies);
        const endpoint = (key: string) => {
          const found = built.pods.find((p) => `${p.pod.namespace}/${p.pod.name}` === key);
          if (found === undefined || found.ips[0] === undefined) throw new Error(`no pod ${key}`);
          return { pod: found.pod, ip: found.ips[0] };
        };
        for (const s of PODS) {
          for (const d of PODS) {
            if (s === d) continue;
            const want = allowed(world, { src: endpoint(s), dst: endpoint(d), ...pp }).allowed;
            const got = trip(built, s, d, { port: pp.port, protocol: pp.protocol === 'TCP' ? 'tcp' : 'udp' }).forward.ending.disposition;
            expect(`${s} → ${d} ${pp.protocol}/${pp.port}: ${got}`).toBe(`${s} → ${d} ${pp.protocol}/${pp.port}: ${want ? 'DELIVERED' : 'DROPPED'}`);
          }
        }
      }),
      { numRuns: 80, seed: 14 },
    );
  }, 180_000);
});
