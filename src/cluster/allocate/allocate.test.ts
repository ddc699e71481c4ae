import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr, formatCidr, formatIp, ip } from '../../addr/index.js';
import {
  EMPTY_HOST_LOCAL_STATE, type HostLocalState, allocateAddresses, allocateHostLocal, allocateNodePorts, allocateSubnets, clusterIpRange,
  hostLocalCapacity, hostLocalRange, kubernetesServiceIp, nodeIpRange, releaseHostLocal, reserveHostLocal, scheduleRoundRobin,
} from './index.js';

function take(n: number, subnet = '10.244.1.0/24', state: HostLocalState = EMPTY_HOST_LOCAL_STATE): { ips: string[]; state: HostLocalState } {
  const range = hostLocalRange(cidr(subnet));
  const ips: string[] = [];
  for (let i = 0; i < n; i++) {
    const got = allocateHostLocal(range, state);
    if (got === undefined) break;
    ips.push(formatIp(got.ip));
    state = got.state;
  }
  return { ips, state };
}

describe('host-local allocator', () => {
  it('starts at .2 (.1 is the gateway) and goes up', () => {
    expect(take(3).ips).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  });

  it('continues after lastReserved instead of reusing a released address', () => {
    const { state } = take(3);
    const released = releaseHostLocal(state, ip('10.244.1.2'));
    expect(take(1, '10.244.1.0/24', released).ips).toEqual(['10.244.1.5']);
  });

  it('wraps round to free addresses at the end of the range, then runs out', () => {
    const range = hostLocalRange(cidr('10.0.0.0/29'));
    expect(hostLocalCapacity(range)).toBe(5n);
    const full = take(5, '10.0.0.0/29');
    expect(full.ips).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(allocateHostLocal(range, full.state)).toBeUndefined();
    expect(take(1, '10.0.0.0/29', releaseHostLocal(full.state, ip('10.0.0.3'))).ips).toEqual(['10.0.0.3']);
  });

  it('reserves fixed addresses without moving lastReserved, and steps around them', () => {
    const range = hostLocalRange(cidr('10.244.1.0/24'));
    const state = reserveHostLocal(range, EMPTY_HOST_LOCAL_STATE, ip('10.244.1.3'));
    expect(state?.lastReserved).toBeUndefined();
    expect(take(2, '10.244.1.0/24', state).ips).toEqual(['10.244.1.2', '10.244.1.4']);
    expect(reserveHostLocal(range, EMPTY_HOST_LOCAL_STATE, ip('10.244.1.1')), 'the gateway').toBeUndefined();
    expect(reserveHostLocal(range, EMPTY_HOST_LOCAL_STATE, ip('10.244.1.255')), 'broadcast').toBeUndefined();
  });

  it('handles IPv6: ::2 first, the last address usable', () => {
    const range = hostLocalRange(cidr('fd00:10:244:1::/126'));
    expect(formatIp(range.rangeEnd)).toBe('fd00:10:244:1::3');
    expect(take(3, 'fd00:10:244:1::/126').ips).toEqual(['fd00:10:244:1::2', 'fd00:10:244:1::3']);
  });

  it('hands out distinct addresses inside the range until full (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 24, max: 30 }), fc.array(fc.boolean(), { maxLength: 80 }), (prefix, releases) => {
      const subnet = `10.1.2.0/${prefix}`;
      const range = hostLocalRange(cidr(subnet));
      let state = EMPTY_HOST_LOCAL_STATE;
      for (const release of releases) {
        const got = allocateHostLocal(range, state);
        if (got === undefined) {
          expect(BigInt(state.inUse.size)).toBe(hostLocalCapacity(range));
          continue;
        }
        expect(state.inUse.has(got.ip.value)).toBe(false);
        expect(got.ip.value > range.subnet.addr.value + 1n).toBe(true);
        state = release ? releaseHostLocal(got.state, got.ip) : got.state;
      }
    }));
  });
});

describe('cluster-wide allocation', () => {
  it('cuts podCIDRs in order, jumping past fixed ones', () => {
    const got = allocateSubnets(cidr('10.244.0.0/16'), 24, [cidr('10.244.0.0/23'), cidr('10.244.3.0/24')], 3);
    expect(got.map((c) => (c === undefined ? 'none' : formatCidr(c)))).toEqual(['10.244.2.0/24', '10.244.4.0/24', '10.244.5.0/24']);
    expect(allocateSubnets(cidr('10.244.0.0/23'), 24, [], 3).map((c) => c && formatCidr(c))).toEqual(['10.244.0.0/24', '10.244.1.0/24', undefined]);
  });

  it('gives nodes .11 upward and Services .2 upward, the first service address being the kubernetes one', () => {
    const nodes = allocateAddresses(4, nodeIpRange(cidr('192.168.56.0/24')), [ip('192.168.56.12')], 2);
    expect(nodes.map((a) => a && formatIp(a))).toEqual(['192.168.56.11', '192.168.56.13']);
    expect(formatIp(kubernetesServiceIp(cidr('10.96.0.0/12')))).toBe('10.96.0.1');
    expect(allocateAddresses(4, clusterIpRange(cidr('10.96.0.0/12')), [], 1).map((a) => a && formatIp(a))).toEqual(['10.96.0.2']);
    expect(allocateAddresses(4, clusterIpRange(cidr('10.96.0.0/30')), [], 2).map((a) => a && formatIp(a))).toEqual(['10.96.0.2', undefined]);
  });

  it('allocates NodePorts from 30000 around taken ones', () => {
    expect(allocateNodePorts([30000, 30002], 3)).toEqual([30001, 30003, 30004]);
  });

  it('schedules round-robin', () => {
    expect(scheduleRoundRobin(['a', 'b'], 3)).toEqual(['a', 'b', 'a']);
    expect(scheduleRoundRobin([], 2)).toEqual([]);
  });
});
