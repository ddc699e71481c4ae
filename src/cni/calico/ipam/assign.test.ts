import { describe, expect, it } from 'vitest';
import { formatIp, ip } from '../../../addr/ip.js';
import { podIp, testApi, testPool } from '../../../../test/helpers/calico-ipam.js';
import { assignIp } from './assign.js';
import { CALICO_RESOURCE } from './crd.js';
import { snapshotApi } from './datastore.js';
import { ipsByHandle, releaseByHandle } from './release.js';
import { allocateTunnelAddress } from './tunnel.js';

const pods = (api: ReturnType<typeof testApi>, node: string, names: readonly string[]): string[] => names.map((n) => podIp(api, node, n));

describe('calico-ipam autoAssign', () => {
  it('claims the lowest free /26 and hands out its ordinals in order, every address usable', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2);
    expect(pods(api, 'n1', ['a', 'b', 'c'])).toEqual(['10.244.0.0', '10.244.0.1', '10.244.0.2']);
    expect(pods(api, 'n2', ['d'])).toEqual(['10.244.0.64']);
    expect([...(api.get(CALICO_RESOURCE.affinities)?.keys() ?? [])]).toEqual(['n1-10-244-0-0-26', 'n2-10-244-0-64-26']);
  });

  it('gives the tunnel address first, then pods .65, .66 (a /26 at .64)', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2);
    expect(podIp(api, 'n1', 'x')).toBe('10.244.0.0');
    const t = allocateTunnelAddress(api, 'n2', 4, 'ipip');
    expect(t.ok && formatIp(t.ip)).toBe('10.244.0.64');
    expect(pods(api, 'n2', ['a', 'b'])).toEqual(['10.244.0.65', '10.244.0.66']);
    // Asking again returns the address the handle holds.
    const again = allocateTunnelAddress(api, 'n2', 4, 'ipip');
    expect(again.ok && formatIp(again.ip)).toBe('10.244.0.64');
    expect(ipsByHandle(api, 'ipip-tunnel-addr-n2').map(formatIp)).toEqual(['10.244.0.64']);
  });

  it('uses all 64 addresses of a /26 (.64 … .127) before claiming the next block', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2);
    podIp(api, 'n1', 'first');
    const got = pods(api, 'n2', Array.from({ length: 65 }, (_, i) => `p${i}`));
    expect([got[0], got[63], got[64]]).toEqual(['10.244.0.64', '10.244.0.127', '10.244.0.128']);
  });

  it('tunnel addresses: VXLAN for IPv6 under its own handle, no IPIP on IPv6, only pools with the encapsulation', () => {
    const api = testApi([testPool('v4', '10.244.0.0/16', { ipipMode: 'Never', vxlanMode: 'CrossSubnet' }), testPool('v6', 'fd00:10:244::/56', { vxlanMode: 'Always' })], 1);
    const v6 = allocateTunnelAddress(api, 'n1', 6, 'vxlan');
    expect(v6.ok && formatIp(v6.ip)).toBe('fd00:10:244::');
    expect(ipsByHandle(api, 'vxlan-v6-tunnel-addr-n1').map(formatIp)).toEqual(['fd00:10:244::']);
    expect(allocateTunnelAddress(api, 'n1', 6, 'ipip')).toEqual({ ok: false, message: 'unable to assign an address: no IP pools provided' });
    expect(allocateTunnelAddress(api, 'n1', 4, 'ipip')).toEqual({ ok: false, message: 'unable to assign an address: no IP pools provided' });
    const v4 = allocateTunnelAddress(api, 'n1', 4, 'vxlan');
    expect(v4.ok && formatIp(v4.ip)).toBe('10.244.0.0');
  });

  it('a full block makes the node claim its next block', () => {
    const api = testApi([testPool('default', '10.244.0.0/16', { blockSize: 30 })], 2);
    expect(pods(api, 'n1', ['a', 'b', 'c', 'd', 'e'])).toEqual(['10.244.0.0', '10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4']);
    expect(pods(api, 'n2', ['f'])).toEqual(['10.244.0.8']);
    expect(pods(api, 'n1', ['g', 'h', 'i', 'j'])).toEqual(['10.244.0.5', '10.244.0.6', '10.244.0.7', '10.244.0.12']);
  });

  it('maxBlocksPerHost stops new blocks and nothing is borrowed', () => {
    const api = testApi([testPool('default', '10.244.0.0/24', { blockSize: 30 })], 2, { maxBlocksPerHost: 1, strictAffinity: true });
    expect(pods(api, 'n1', ['a', 'b', 'c', 'd', 'e'])).toEqual(['10.244.0.0', '10.244.0.1', '10.244.0.2', '10.244.0.3', 'cannot allocate new block due to per host block limit']);
  });

  it('maxBlocksPerHost 0 means calico-ipam\'s own cap of 20 blocks', () => {
    const api = testApi([testPool('default', '10.244.0.0/16', { blockSize: 31 })], 1);
    const got = pods(api, 'n1', Array.from({ length: 41 }, (_, i) => `p${i}`));
    expect(got[39]).toBe('10.244.0.39');
    expect(got[40]).toBe('cannot allocate new block due to per host block limit');
  });

  it('borrows single addresses from another node\'s block when the pool has no free block', () => {
    const api = testApi([testPool('default', '10.244.0.0/29', { blockSize: 30 })], 3);
    expect(pods(api, 'n1', ['a'])).toEqual(['10.244.0.0']);
    expect(pods(api, 'n2', ['b'])).toEqual(['10.244.0.4']);
    expect(pods(api, 'n3', ['c', 'd'])).toEqual(['10.244.0.1', '10.244.0.2']);
    const view = api.get(CALICO_RESOURCE.blocks)?.get('10-244-0-0-30') as { spec: { affinity: string; attributes: unknown[] } };
    expect(view.spec.affinity).toBe('host:n1');
    expect(view.spec.attributes).toContainEqual({ handle_id: 'c', secondary: { namespace: 'default', node: 'n3', pod: 'c' } });
    expect(pods(api, 'n3', ['e', 'f', 'g', 'h', 'i'])).toEqual(['10.244.0.3', '10.244.0.5', '10.244.0.6', '10.244.0.7', 'Assigned 0 out of 1 requested IPv4 addresses; No IPs available in pools: [10.244.0.0/29]']);
  });

  it('strictAffinity refuses to borrow, with calico-ipam\'s message', () => {
    const api = testApi([testPool('default', '10.244.0.0/29', { blockSize: 30 })], 3, { strictAffinity: true });
    expect(pods(api, 'n1', ['a'])).toEqual(['10.244.0.0']);
    expect(pods(api, 'n2', ['b'])).toEqual(['10.244.0.4']);
    expect(pods(api, 'n3', ['c'])).toEqual(['Assigned 0 out of 1 requested IPv4 addresses; No more free affine blocks and strict affinity enabled']);
  });

  it('nodeSelector chooses the pool; a node no pool selects gets calico\'s error', () => {
    const api = testApi(
      [testPool('rack-a', '10.1.0.0/16', { nodeSelector: "rack == 'a'" }), testPool('rack-b', '10.2.0.0/16', { nodeSelector: "rack == 'b'" })],
      [
        { name: 'a1', labels: { rack: 'a' } },
        { name: 'b1', labels: { rack: 'b' } },
        { name: 'c1', labels: {} },
      ],
    );
    expect(podIp(api, 'a1', 'x')).toBe('10.1.0.0');
    expect(podIp(api, 'b1', 'y')).toBe('10.2.0.0');
    expect(podIp(api, 'c1', 'z')).toBe('no configured Calico pools for node c1');
    expect(podIp(api, 'ghost', 'z')).toBe('resource does not exist: Node(ghost) with error: nodes "ghost" not found');
  });

  it('borrowing only looks at pools that select the node', () => {
    const api = testApi(
      [testPool('a', '10.1.0.0/30', { blockSize: 30, nodeSelector: "rack == 'a'" }), testPool('b', '10.2.0.0/30', { blockSize: 30, nodeSelector: "rack == 'b'" })],
      [
        { name: 'a1', labels: { rack: 'a' } },
        { name: 'a2', labels: { rack: 'a' } },
        { name: 'b1', labels: { rack: 'b' } },
      ],
    );
    expect(podIp(api, 'b1', 'x')).toBe('10.2.0.0');
    expect(podIp(api, 'a1', 'y')).toBe('10.1.0.0');
    expect(pods(api, 'a2', ['p', 'q', 'r', 's'])).toEqual(['10.1.0.1', '10.1.0.2', '10.1.0.3', 'Assigned 0 out of 1 requested IPv4 addresses; No IPs available in pools: [10.1.0.0/30]']);
  });

  it('a disabled pool gives no new blocks and no addresses', () => {
    const api = testApi([testPool('old', '10.1.0.0/16', { disabled: true }), testPool('new', '10.2.0.0/16')], 1);
    expect(podIp(api, 'n1', 'x')).toBe('10.2.0.0');
    const only = testApi([testPool('old', '10.1.0.0/16', { disabled: true })], 1);
    expect(podIp(only, 'n1', 'x')).toBe('cannot find a qualified ippool');
  });

  it('IPv6 pools hand out /122 blocks', () => {
    const api = testApi([testPool('v4', '10.244.0.0/16'), testPool('v6', 'fd00:10:244::/56')], 2);
    expect(podIp(api, 'n1', 'a', 6)).toBe('fd00:10:244::');
    expect(podIp(api, 'n1', 'b', 6)).toBe('fd00:10:244::1');
    expect(podIp(api, 'n2', 'c', 6)).toBe('fd00:10:244::40');
    expect([...(api.get(CALICO_RESOURCE.blocks)?.keys() ?? [])]).toEqual(['fd00-10-244---122', 'fd00-10-244--40-122']);
  });

  it('a released address goes to the end of its block\'s free list', () => {
    const api = testApi([testPool('default', '10.244.0.0/16', { blockSize: 30 })], 1);
    expect(pods(api, 'n1', ['a', 'b'])).toEqual(['10.244.0.0', '10.244.0.1']);
    const freed = releaseByHandle(api, 'a');
    expect(freed === false ? freed : freed.map(formatIp)).toEqual(['10.244.0.0']);
    expect(releaseByHandle(api, 'a')).toBe(false);
    expect(pods(api, 'n1', ['c', 'd', 'e'])).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.0']);
    expect(ipsByHandle(api, 'a')).toEqual([]);
  });

  it('assignIp takes a given address, claiming its block, and refuses a taken one', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2, { strictAffinity: true });
    expect(assignIp(api, { node: 'n1', ip: ip('10.244.3.7'), handle: 'h1', attrs: {} })).toMatchObject({ ok: true });
    expect(assignIp(api, { node: 'n1', ip: ip('10.244.3.7'), handle: 'h2', attrs: {} })).toEqual({ ok: false, message: 'resource already exists: 10.244.3.7 with error: Address already assigned in block' });
    expect(assignIp(api, { node: 'n2', ip: ip('10.244.3.8'), handle: 'h3', attrs: {} })).toEqual({ ok: false, message: 'Block host affinity does not match' });
    expect(assignIp(api, { node: 'n1', ip: ip('10.9.0.1'), handle: 'h4', attrs: {} })).toEqual({ ok: false, message: 'The provided IP address is not in a configured pool\n' });
    // The node's next pod comes from the block the given address claimed.
    expect(podIp(api, 'n1', 'p')).toBe('10.244.3.0');
  });

  it('a snapshot plans without changing the real map', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 1);
    podIp(api, 'n1', 'a');
    const plan = snapshotApi(api);
    expect(podIp(plan, 'n1', 'b')).toBe('10.244.0.1');
    expect(podIp(api, 'n1', 'c')).toBe('10.244.0.1');
  });
});
