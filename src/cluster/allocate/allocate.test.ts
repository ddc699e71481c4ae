import { describe, expect, it } from 'vitest';
import { cidr, formatCidr, formatIp, ip } from '../../addr/index.js';
import { allocateAddresses, allocateNodePorts, allocateSubnets, clusterIpRange, kubernetesServiceIp, nodeIpRange, scheduleRoundRobin } from './index.js';

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
