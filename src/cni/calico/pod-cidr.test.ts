import { describe, expect, it } from 'vitest';
import { ok, pluginError } from '../outcome.js';
import type { ClusterApi, NetConf } from '../types.js';
import { NODES_RESOURCE, nodePodCidrs, replaceHostLocalPodCidrs } from './pod-cidr.js';

const BASE: NetConf = { cniVersion: '0.3.1', name: 'k8s-pod-network', type: 'calico' };
const BOTH = () => ok({ v4: '10.244.1.0/24', v6: 'fd00:1::/64' });

describe('usePodCidr (ReplaceHostLocalIPAMPodCIDRs)', () => {
  it('replaces ipam.subnet, in any case, and leaves the other keys', () => {
    const r = replaceHostLocalPodCidrs({ ...BASE, ipam: { type: 'host-local', subnet: 'UsePodCidr', routes: [] } }, BOTH);
    expect(r).toEqual(ok({ ...BASE, ipam: { type: 'host-local', subnet: '10.244.1.0/24', routes: [] } }));
  });

  it('replaces each range of ranges, IPv6 with usePodCidrIPv6', () => {
    const conf = { ...BASE, ipam: { type: 'host-local', ranges: [[{ subnet: 'usePodCidr' }], [{ subnet: 'usePodCidrIPv6' }], [{ subnet: '10.9.0.0/16' }]] } };
    expect(replaceHostLocalPodCidrs(conf, BOTH)).toEqual(ok({ ...BASE, ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }], [{ subnet: 'fd00:1::/64' }], [{ subnet: '10.9.0.0/16' }]] } }));
  });

  it('leaves other IPAM types alone, and asks for the node only when the word is there', () => {
    const calicoIpam = { ...BASE, ipam: { type: 'calico-ipam', subnet: 'usePodCidr' } };
    expect(replaceHostLocalPodCidrs(calicoIpam, () => pluginError('not asked'))).toEqual(ok(calicoIpam));
    const fixed = { ...BASE, ipam: { type: 'host-local', subnet: '10.1.0.0/24' } };
    expect(replaceHostLocalPodCidrs(fixed, () => pluginError('not asked'))).toEqual(ok(fixed));
  });

  it("says so when the node has no podCIDR of the family, with upstream's words", () => {
    const none = () => ok({ v4: '', v6: '' });
    const r = replaceHostLocalPodCidrs({ ...BASE, ipam: { type: 'host-local', subnet: 'usePodCidr' } }, none);
    expect(r).toEqual(pluginError('usePodCidr found but there is no IPv4 CIDR configured'));
    const r6 = replaceHostLocalPodCidrs({ ...BASE, ipam: { type: 'host-local', ranges: [[{ subnet: 'usePodCidrIPv6' }]] } }, none);
    expect(r6).toEqual(pluginError('usePodCidrIPv6 found but there is no IPv6 CIDR configured'));
  });

  it('rejects a ranges section that is not a list of lists', () => {
    const r = replaceHostLocalPodCidrs({ ...BASE, ipam: { type: 'host-local', ranges: [{ subnet: 'usePodCidr' }] } }, BOTH);
    expect(r.ok).toBe(false);
  });
});

describe('nodePodCidrs (the Node object)', () => {
  const api: ClusterApi = new Map([[NODES_RESOURCE, new Map([
    ['n1', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'] } }],
    ['old', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'old' }, spec: { podCIDR: '10.244.2.0/24' } }],
    ['bare', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' }, spec: {} }],
  ])]]);

  it('reads spec.podCIDRs by family, else spec.podCIDR, else nothing', () => {
    expect(nodePodCidrs(api, 'n1')).toEqual(ok({ v4: '10.244.1.0/24', v6: 'fd00:1::/64' }));
    expect(nodePodCidrs(api, 'old')).toEqual(ok({ v4: '10.244.2.0/24', v6: '' }));
    expect(nodePodCidrs(api, 'bare')).toEqual(ok({ v4: '', v6: '' }));
  });

  it('a node the API does not know is the GET error', () => {
    expect(nodePodCidrs(api, 'ghost')).toEqual(pluginError('nodes "ghost" not found'));
  });
});
