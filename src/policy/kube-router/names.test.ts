import { describe, expect, it } from 'vitest';
import { cidr, ip } from '../../addr/index.js';
import { from, ipBlock, policy, port, sel, to } from '../../../test/helpers/netpol.js';
import { buildPolicyInfos } from './info.js';
import type { KrPod, KubeRouterInput } from './input.js';
import { ipSetName, networkPolicyChainName, podFirewallChainName, topLevelRuleUuid } from './names.js';
import { policyChains } from './policy-chains.js';

describe('kube-router names', () => {
  // network_policy_controller_test.go (v2.6.3) renders policy chains with version "1" and family IPv4.
  it.each([
    ['simple-egress', 'KUBE-NWPLCY-C23KD7UE4TAT3Y5M'],
    ['simple-ingress-egress', 'KUBE-NWPLCY-IDIX352DRLNY3D23'],
    ['simple-egress-pr', 'KUBE-NWPLCY-2UTXQIFBI5TAPUCL'],
    ['invalid-endport', 'KUBE-NWPLCY-N5DQE4SCQ56JEMH7'],
  ])('networkPolicyChainName(nsA, %s, 1, IPv4) = %s', (name, want) => {
    expect(networkPolicyChainName('nsA', name, '1', 'IPv4')).toBe(want);
  });

  it('pod chains are KUBE-POD-FW- and 16 base32 characters, new with every version', () => {
    const a = podFirewallChainName('default', 'web', '1');
    expect(a).toMatch(/^KUBE-POD-FW-[A-Z2-7]{16}$/);
    expect(podFirewallChainName('default', 'web', '2')).not.toBe(a);
    expect(a.length).toBeLessThanOrEqual(28);
  });

  it('IPv6 sets are prefixed inet6: once, and fit ipset\'s 31 characters', () => {
    expect(ipSetName('KUBE-SRC-ABCDEFGHIJKLMNOP', 'IPv6')).toBe('inet6:KUBE-SRC-ABCDEFGHIJKLMNOP');
    expect(ipSetName('inet6:KUBE-SRC-ABCDEFGHIJKLMNOP', 'IPv6')).toBe('inet6:KUBE-SRC-ABCDEFGHIJKLMNOP');
    expect('inet6:KUBE-SRC-ABCDEFGHIJKLMNOP'.length).toBe(31);
  });

  it('top-level UUIDs hash the chain and the rule words joined without spaces', () => {
    expect(topLevelRuleUuid('FORWARD', ['-m', 'comment', '--comment', 'kube-router netpol', '-j', 'KUBE-ROUTER-FORWARD'])).toMatch(/^[A-Z2-7]{16}$/);
  });
});

/**
 * kube-router's testdata/ipset_test_1 (v2.6.3): two dual-stack whoami pods, a debug policy
 * (egress to whoami) and a whoami policy (ingress from debug-toolbox or 10.95.0.239/32 on 5000).
 * Its ipset_save.txt lists the KUBE- sets kube-router made; ours must have the same names and members.
 */
describe('kube-router ipset fixture ipset_test_1', () => {
  const pod = (name: string, node: string, v4: string, v6: string): KrPod => ({
    name, namespace: 'default', labels: { name: 'whoami' }, hostNetwork: false, containers: [{ ports: [] }], nodeName: node, ips: [ip(v4), ip(v6)],
  });
  const pods = [pod('whoami-nflzk', 'kube-router-vm2', '10.242.1.4', '2001:db8:42:1001::4'), pod('whoami-s72mp', 'kube-router-vm1', '10.242.0.5', '2001:db8:42:1000::5')];
  const policies = [
    policy('default/debug', sel({ name: 'debug-toolbox' }), { egress: [to([{ podSelector: sel({ name: 'whoami' }) }])], types: ['Egress'] }),
    policy('default/whoami', sel({ name: 'whoami' }), { ingress: [from([{ podSelector: sel({ name: 'debug-toolbox' }) }, ipBlock('10.95.0.239/32')], [port(5000)])], types: ['Ingress'] }),
  ];
  const input = (family: 4 | 6): KubeRouterInput => ({
    nodeName: 'kube-router-vm1', family, pods, namespaces: [], policies, serviceClusterIPRanges: [cidr('10.96.0.0/16')], nodePortRange: '30000:32767', syncVersion: '1',
  });
  const sets = (family: 4 | 6) => Object.fromEntries(policyChains(buildPolicyInfos(input(family)), '1', family).sets.map((s) => [s.name, [s.type, ...[...s.members].sort()]]));

  it('IPv4: the same four sets', () => {
    expect(sets(4)).toEqual({
      'KUBE-DST-IZ5JGF4W6BKI7CEV': ['hash:ip', '10.242.0.5 timeout 0', '10.242.1.4 timeout 0'],
      'KUBE-DST-P226T6HGLTLDGDLC': ['hash:ip', '10.242.0.5 timeout 0', '10.242.1.4 timeout 0'],
      'KUBE-SRC-C2EUPKL23CCP4COF': ['hash:ip'],
      'KUBE-SRC-KLLOHJLFVAV654Z2': ['hash:net', '10.95.0.239 timeout 0'],
    });
  });

  it('IPv6: the same three sets', () => {
    expect(sets(6)).toEqual({
      'inet6:KUBE-DST-GZIEGRFLGG6BN3N7': ['hash:ip', '2001:db8:42:1000::5 timeout 0', '2001:db8:42:1001::4 timeout 0'],
      'inet6:KUBE-DST-KSECZGZUJPU4SKA3': ['hash:ip', '2001:db8:42:1000::5 timeout 0', '2001:db8:42:1001::4 timeout 0'],
      'inet6:KUBE-SRC-VY6KNKQ4BF6Y4J2K': ['hash:ip'],
    });
  });
});
