/**
 * Property: for random small NetworkPolicy sets over four pods in a two-node calico cluster, the
 * datapath's verdict (Felix's chains and ipsets in the kernel model) is the independent
 * evaluator's (src/policy): a TCP 80 connection is DELIVERED exactly when `allowed` says so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.js';
import { buildText, FOUR_PODS, fourPodScenario, trip } from '../../test/helpers/calico-netpol.js';
import { networkPolicy } from '../../test/helpers/netpol-arb.js';
import { buildCluster } from '../cluster/assemble/cluster.js';
import { createCniRegistry } from '../cni/registry.js';
import { BUILTIN_CNI_PLUGINS } from '../cni/builtins.js';
import { simContext } from '../sim/context.js';
import { policyWorldOf } from '../cluster/netpol-world.js';
import { allowed } from '../policy/index.js';

const SCENARIO = fourPodScenario({ protocols: ['TCP', 'UDP', 'SCTP'], extraNamespaces: ['z'] });
const PODS = FOUR_PODS;

describe('Felix datapath = NetworkPolicy evaluator (calico)', () => {
  // Build once to fail fast on a broken base scenario.
  buildText(SCENARIO);

  it('every pod pair on TCP 80, for random policy sets', () => {
    const spec = loadScenario([{ path: 'p.yaml', text: SCENARIO }]).value;
    if (spec === undefined) throw new Error('base scenario does not load');
    const policies = fc.uniqueArray(networkPolicy, { maxLength: 3, selector: (p) => `${p.namespace}/${p.name}` });
    fc.assert(
      fc.property(policies, (ps) => {
        const withPolicies = { ...spec, networkPolicies: ps.map((p) => ({ ...p, labels: {} })) };
        const built = buildCluster(withPolicies, { cni: createCniRegistry(BUILTIN_CNI_PLUGINS), ctx: simContext(1) }).value;
        if (built === undefined) throw new Error('cluster did not build');
        const world = policyWorldOf(withPolicies);
        const endpoint = (key: string) => {
          const b = built.pods.find((p) => `${p.pod.namespace}/${p.pod.name}` === key);
          if (b === undefined || b.ips[0] === undefined) throw new Error(`no pod ${key}`);
          return { pod: b.pod, ip: b.ips[0] };
        };
        for (const s of PODS) {
          for (const d of PODS) {
            if (s === d) continue;
            const want = allowed(world, { src: endpoint(s), dst: endpoint(d), protocol: 'TCP', port: 80 }).allowed;
            const got = trip(built, s, d, { port: 80 }).forward.ending.disposition;
            expect(`${s} → ${d}: ${got}`).toBe(`${s} → ${d}: ${want ? 'DELIVERED' : 'DROPPED'}`);
          }
        }
      }),
      { numRuns: 25, seed: 14 },
    );
  }, 120_000);
});
