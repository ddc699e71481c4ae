import { describe, expect, it } from 'vitest';
import { testApi, testPool } from '../../../../test/helpers/calico-ipam.js';
import { cniNode } from '../../../../test/helpers/cni.js';
import { cniHost, createCniRegistry } from '../../registry.js';
import { BUILTIN_CNI_PLUGINS } from '../../builtins.js';
import type { CniHost, ClusterApi, JsonValue, NetConf, RuntimeConf } from '../../types.js';
import { allocateTunnelAddress } from './tunnel.js';
import { calicoHandleId, calicoIpamPlugin } from './plugin.js';
import { ipsByHandle } from './release.js';

const conf = (ipam: Record<string, JsonValue> = {}): NetConf => ({ cniVersion: '1.0.0', name: 'k8s-pod-network', type: 'calico', ipam: { type: 'calico-ipam', ...ipam } });
const rt = (id: string, args: Record<string, string> = {}): RuntimeConf => ({ containerId: id, netns: 'pod', ifName: 'eth0', args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: `pod-${id}`, ...args } });

function hostOn(api: ClusterApi, node: string | undefined): CniHost {
  const { world } = cniNode('node', []);
  const store: Record<string, string> = node === undefined ? {} : { '/var/lib/calico/nodename': node };
  return cniHost({ world, hostNs: 'node', registry: createCniRegistry(BUILTIN_CNI_PLUGINS), api, store });
}

describe('calico-ipam CNI plugin', () => {
  it('is registered as calico-ipam', () => {
    expect(createCniRegistry(BUILTIN_CNI_PLUGINS).get('calico-ipam')).toBe(calicoIpamPlugin);
  });

  it('ADD after the tunnel address: .65 then .66, with the block prefix as calico-ipam returns it', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2);
    const host = hostOn(api, 'n1');
    expect(calicoIpamPlugin.add(conf(), rt('a'), host)).toMatchObject({ ok: true, value: { ips: [{ address: '10.244.0.0/26' }] } });
    const other = hostOn(api, 'n2');
    allocateTunnelAddress(api, 'n2', 4, 'ipip');
    const b = calicoIpamPlugin.add(conf(), rt('b'), other);
    const c = calicoIpamPlugin.add(conf(), rt('c'), other);
    expect([b, c].map((r) => (r.ok ? r.value.ips.map((i) => i.address) : r.error.msg))).toEqual([['10.244.0.65/26'], ['10.244.0.66/26']]);
    expect(b.ok && b.value.routes).toEqual([]);
  });

  it('records the pod under k8s-pod-network.<containerID>; DEL releases it, CHECK sees it', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 1);
    const host = hostOn(api, 'n1');
    const r = calicoIpamPlugin.add(conf(), rt('abc'), host);
    if (!r.ok) throw new Error(r.error.msg);
    expect(calicoHandleId('abc')).toBe('k8s-pod-network.abc');
    expect(ipsByHandle(api, 'k8s-pod-network.abc')).toHaveLength(1);
    expect(calicoIpamPlugin.check(conf(), rt('abc'), host, r.value)).toEqual({ ok: true, value: undefined });
    expect(calicoIpamPlugin.del(conf(), rt('abc'), host)).toEqual({ ok: true, value: undefined });
    expect(calicoIpamPlugin.del(conf(), rt('abc'), host)).toEqual({ ok: true, value: undefined });
    const after = calicoIpamPlugin.check(conf(), rt('abc'), host, r.value);
    expect(after.ok ? '' : after.error.msg).toBe('calico-ipam: 10.244.0.0 is not allocated to handle k8s-pod-network.abc');
  });

  it('a requested IP (CNI_ARGS IP=) is assigned and returned as /32', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 1);
    const r = calicoIpamPlugin.add(conf(), rt('a', { IP: '10.244.7.9' }), hostOn(api, 'n1'));
    expect(r).toMatchObject({ ok: true, value: { ips: [{ address: '10.244.7.9/32' }] } });
    const again = calicoIpamPlugin.add(conf(), rt('b', { IP: '10.244.7.9' }), hostOn(api, 'n1'));
    expect(again.ok ? '' : again.error.msg).toBe('resource already exists: 10.244.7.9 with error: Address already assigned in block');
  });

  it('dual stack when assign_ipv6 is "true"; IPv4 only by default', () => {
    const api = testApi([testPool('v4', '10.244.0.0/16'), testPool('v6', 'fd00:10:244::/56')], 1);
    const host = hostOn(api, 'n1');
    const v4 = calicoIpamPlugin.add(conf(), rt('a'), host);
    const both = calicoIpamPlugin.add(conf({ assign_ipv6: 'true' }), rt('b'), host);
    const v6 = calicoIpamPlugin.add(conf({ assign_ipv4: 'false', assign_ipv6: 'true' }), rt('c'), host);
    const addrs = [v4, both, v6].map((r) => (r.ok ? r.value.ips.map((i) => i.address) : r.error.msg));
    expect(addrs).toEqual([['10.244.0.0/26'], ['10.244.0.1/26', 'fd00:10:244::/122'], ['fd00:10:244::1/122']]);
  });

  it('ipv4_pools restricts the pools by name or CIDR', () => {
    const api = testApi([testPool('a', '10.1.0.0/16'), testPool('b', '10.2.0.0/16')], 1);
    const host = hostOn(api, 'n1');
    const byName = calicoIpamPlugin.add(conf({ ipv4_pools: ['b'] }), rt('x'), host);
    const byCidr = calicoIpamPlugin.add(conf({ ipv4_pools: ['10.2.0.0/16'] }), rt('y'), host);
    const bad = calicoIpamPlugin.add(conf({ ipv4_pools: ['nope'] }), rt('z'), host);
    expect([byName, byCidr, bad].map((r) => (r.ok ? r.value.ips[0]?.address : r.error.msg))).toEqual(['10.2.0.0/26', '10.2.0.1/26', 'error parsing pool "nope": invalid CIDR address: nope']);
  });

  it('errors carry calico-ipam\'s text', () => {
    const api = testApi([testPool('default', '10.244.0.0/29', { blockSize: 30 })], 3, { strictAffinity: true });
    const noNode = calicoIpamPlugin.add(conf(), rt('a'), hostOn(api, undefined));
    expect(noNode.ok ? '' : noNode.error.msg).toBe('stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/');
    calicoIpamPlugin.add(conf(), rt('a'), hostOn(api, 'n1'));
    calicoIpamPlugin.add(conf(), rt('b'), hostOn(api, 'n2'));
    const strict = calicoIpamPlugin.add(conf(), rt('c'), hostOn(api, 'n3'));
    expect(strict.ok ? '' : strict.error).toEqual({
      code: 999,
      msg: 'failed to request IPv4 addresses: Assigned 0 out of 1 requested IPv4 addresses; No more free affine blocks and strict affinity enabled',
    });
  });
});
