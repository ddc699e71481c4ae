/**
 * Where kube-router (v2.6.3) does not enforce what the NetworkPolicy API says, netsim does what
 * kube-router does, and says so here: each case shows the trace's verdict beside the evaluator's.
 * docs/netpol.md ("kube-router's deviations") explains each.
 */
import { describe, expect, it } from 'vitest';
import { cidr } from '../../src/addr/index.js';
import type { NetworkPolicy } from '../../src/cluster/objects.js';
import { policyPodsOf, policyWorldOf } from '../../src/cluster/netpol-world.js';
import { allowed } from '../../src/policy/index.js';
import { buildPolicyInfos, ipBlockEntries, policyChains } from '../../src/policy/kube-router/index.js';
import { krBaseSpec, krBuild, krProbe } from '../helpers/kube-router.js';
import { from, ipBlock, policy, port, sel, to } from '../helpers/netpol.js';

const spec = krBaseSpec();
const np = (p: ReturnType<typeof policy>): NetworkPolicy => ({ ...p, labels: {} });

/** The trace's and the evaluator's verdicts for `src` → `dst` on TCP 80. */
function both(policies: NetworkPolicy[], src: string, dst: string): { trace: string | undefined; api: boolean } {
  const built = krBuild(spec, policies);
  const pods = policyPodsOf(built);
  const find = (k: string) => pods.find((p) => `${p.namespace}/${p.name}` === k);
  const s = find(src);
  const d = find(dst);
  if (s?.ip === undefined || d?.ip === undefined) throw new Error('no such pod');
  return { trace: krProbe(built, src, dst, 'TCP', 80), api: allowed(policyWorldOf(built.spec), { src: { pod: s, ip: s.ip }, dst: { pod: d, ip: d.ip }, protocol: 'TCP', port: 80 }).allowed };
}

describe('kube-router deviations from the NetworkPolicy API', () => {
  it('a policy of both types runs one chain for either direction: its ingress rules let a selected pod send to another selected pod although its egress rules allow nothing', () => {
    const p = np(policy('x/both', sel(), { ingress: [from([{ podSelector: sel() }])], egress: [], types: ['Ingress', 'Egress'] }));
    expect(both([p], 'x/a', 'x/b')).toEqual({ trace: 'DELIVERED', api: false });
  });

  it('a named port that no selected pod declares with that protocol leaves the rule without ports: every port is open to its peers', () => {
    const p = np(policy('x/named', sel({ pod: 'a' }), { ingress: [from([{ podSelector: sel() }], [port('serve-81-udp', 'TCP')])] }));
    expect(both([p], 'x/b', 'x/a')).toEqual({ trace: 'DELIVERED', api: false });
  });

  it('one hash:net set per rule: an except of one ipBlock peer cuts into another peer\'s cidr (the most specific entry wins)', () => {
    const p = np(policy('x/blocks', sel({ pod: 'a' }), { ingress: [from([ipBlock('10.244.0.0/16', ['10.244.1.0/24']), ipBlock('10.244.0.0/17')])] }));
    expect(both([p], 'x/b', 'x/a')).toEqual({ trace: 'REJECTED', api: true });
  });

  it('an egress named port with no `to` becomes the bare number, to any destination, resolved on the policy\'s own namespace only', () => {
    const base = krBuild(spec, []);
    const p = policy('x/eg', sel({ pod: 'a' }), { egress: [to([], [port('serve-80-tcp')])], types: ['Egress'] });
    const pods = base.pods.map((b) => ({ ...b.pod, ips: b.ips }));
    const chains = policyChains(buildPolicyInfos({ nodeName: 'node-1', family: 4, pods, namespaces: spec.namespaces, policies: [p], serviceClusterIPRanges: [], nodePortRange: '30000:32767', syncVersion: '0' }), '0', 4);
    const rules = chains.lines.filter((l) => l.includes('-j MARK'));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatch(/-m set --match-set KUBE-SRC-[A-Z2-7]{16} src -p TCP --dport 80 -j MARK/);
    expect(rules[0]).not.toContain(' dst ');
  });

  it('::/0 is 2000::/3 and fd00::/8 (hash:net holds no /0): link-local and other ranges stay outside', () => {
    expect(ipBlockEntries({ cidr: cidr('::/0'), except: [] })).toEqual([{ cidr: '2000::/3', nomatch: false }, { cidr: 'fd00::/8', nomatch: false }]);
    expect(ipBlockEntries({ cidr: cidr('0.0.0.0/0'), except: [cidr('10.0.0.0/8')] })).toEqual([
      { cidr: '0.0.0.0/1', nomatch: false }, { cidr: '128.0.0.0/1', nomatch: false }, { cidr: '10.0.0.0/8', nomatch: true },
    ]);
  });
});
