/** K8s NetworkPolicy → Calico policy, as libcalico-go's conversion and update processor write it. */
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/index.js';
import { selectorString } from '../cni/calico/felix/index.js';
import { EVERYTHING } from '../policy/api.js';
import { k8sNetworkPolicyToFelix, peerSelector, simplifyPorts } from './calico-netpol.js';

const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });

describe('K8sNetworkPolicyToCalico + update processor', () => {
  it('names the policy <ns>/knp.default.<name> in tier default at order 1000; selector with orchestrator and namespace', () => {
    const p = k8sNetworkPolicyToFelix({ name: 'web', namespace: 'y', podSelector: sel({ app: 'b' }), policyTypes: ['Ingress'], ingress: [], egress: [] });
    expect([p.name, p.tier, p.order, p.ingress, p.egress]).toEqual(['y/knp.default.web', 'default', 1000, true, false]);
    expect(selectorString(p.selector)).toBe('((projectcalico.org/orchestrator == "k8s" && app == "b") && projectcalico.org/namespace == "y")');
  });

  it('peers: own namespace, pcns.-prefixed namespace selectors, {} → has(projectcalico.org/namespace)', () => {
    expect(selectorString(peerSelector({ podSelector: sel({ app: 'a' }) }, 'x'))).toBe('(projectcalico.org/namespace == "x" && (projectcalico.org/orchestrator == "k8s" && app == "a"))');
    expect(selectorString(peerSelector({ namespaceSelector: sel({ ns: 'y' }) }, 'x'))).toBe('(pcns.ns == "y" && projectcalico.org/orchestrator == "k8s")');
    expect(selectorString(peerSelector({ namespaceSelector: EVERYTHING }, 'x'))).toBe('(has(projectcalico.org/namespace) && projectcalico.org/orchestrator == "k8s")');
    const exprs = { matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'NotIn' as const, values: ['b', 'a'] }, { key: 'e', operator: 'DoesNotExist' as const, values: [] }] };
    expect(selectorString(peerSelector({ namespaceSelector: exprs, podSelector: EVERYTHING }, 'x'))).toBe('((pcns.k not in {"a", "b"} && !has(pcns.e)) && projectcalico.org/orchestrator == "k8s")');
  });

  it('one rule per protocol (sorted) and peer; ports merged; named ports kept; endPort a range; ipBlock nets/notNets', () => {
    const p = k8sNetworkPolicyToFelix({
      name: 'p', namespace: 'x', podSelector: EVERYTHING, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: EVERYTHING }, { ipBlock: { cidr: cidr('10.0.0.0/8'), except: [cidr('10.1.0.0/16')] } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 81 }, { protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'web' }] }],
      egress: [{ to: [], ports: [{ protocol: 'SCTP', port: 9000, endPort: 9010 }] }],
    });
    expect(p.inbound.map((r) => [r.protocol, r.dstPorts, r.srcNets?.length ?? 0, r.notSrcNets?.length ?? 0, r.srcSelector !== undefined])).toEqual([
      ['tcp', [{ name: 'web' }, { first: 80, last: 81 }], 0, 0, true],
      ['tcp', [{ name: 'web' }, { first: 80, last: 81 }], 1, 1, false],
      ['udp', [{ first: 53, last: 53 }], 0, 0, true],
      ['udp', [{ first: 53, last: 53 }], 1, 1, false],
    ]);
    expect(p.outbound).toEqual([{ k8sRule: 0, protocol: 'sctp', dstPorts: [{ first: 9000, last: 9010 }] }]);
  });

  it('SimplifyPorts: [80, 81, 82, 9090, foo] → foo, 80-82, 9090', () => {
    expect(simplifyPorts([{ first: 80, last: 80 }, { first: 81, last: 81 }, { first: 82, last: 82 }, { first: 9090, last: 9090 }, { name: 'foo' }])).toEqual([{ name: 'foo' }, { first: 80, last: 82 }, { first: 9090, last: 9090 }]);
  });
});
