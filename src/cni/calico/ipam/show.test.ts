import { describe, expect, it } from 'vitest';
import { ip } from '../../../addr/ip.js';
import { podIp, testApi, testPool } from '../../../../test/helpers/calico-ipam.js';
import { assignIp } from './assign.js';
import { readIpamView } from './read-view.js';
import { goG5, goRound, ipamShowText } from './show.js';
import { allocateTunnelAddress } from './tunnel.js';
import { formatCidr } from '../../../addr/cidr.js';
import { formatIp } from '../../../addr/ip.js';

describe('calicoctl ipam show', () => {
  // The example of Calico's calicoctl reference (calicoctl ipam show, v3.24 docs), rebuilt: the
  // same pools, the same blocks, the same numbers in use.
  const api = testApi([testPool('default-ipv4-ippool', '10.65.0.0/16'), testPool('default-ipv6-ippool', 'fd5f:abcd:64::/48')], 1);
  for (let i = 0; i < 5; i++) assignIp(api, { node: 'n1', ip: ip(`10.65.79.${i}`), handle: `h${i}`, attrs: {} });
  for (let i = 0; i < 7; i++) assignIp(api, { node: 'n1', ip: ip(`fd5f:abcd:64:4f2c:ec1b:27b9:1989:77c${i}`), handle: `h6${i}`, attrs: {} });

  it('prints the pool summary', () => {
    expect(ipamShowText(api, { showBlocks: false })).toBe(
      [
        '+----------+-------------------+------------+------------+-------------------+',
        '| GROUPING |       CIDR        | IPS TOTAL  | IPS IN USE |     IPS FREE      |',
        '+----------+-------------------+------------+------------+-------------------+',
        '| IP Pool  | 10.65.0.0/16      |      65536 | 5 (0%)     | 65531 (100%)      |',
        '| IP Pool  | fd5f:abcd:64::/48 | 1.2089e+24 | 7 (0%)     | 1.2089e+24 (100%) |',
        '+----------+-------------------+------------+------------+-------------------+',
        '',
      ].join('\n'),
    );
  });

  it('prints the blocks under their pools with --show-blocks', () => {
    expect(ipamShowText(api, { showBlocks: true })).toBe(
      [
        '+----------+-------------------------------------------+------------+------------+-------------------+',
        '| GROUPING |                   CIDR                    | IPS TOTAL  | IPS IN USE |     IPS FREE      |',
        '+----------+-------------------------------------------+------------+------------+-------------------+',
        '| IP Pool  | 10.65.0.0/16                              |      65536 | 5 (0%)     | 65531 (100%)      |',
        '| Block    | 10.65.79.0/26                             |         64 | 5 (8%)     | 59 (92%)          |',
        '| IP Pool  | fd5f:abcd:64::/48                         | 1.2089e+24 | 7 (0%)     | 1.2089e+24 (100%) |',
        '| Block    | fd5f:abcd:64:4f2c:ec1b:27b9:1989:77c0/122 |         64 | 7 (11%)    | 57 (89%)          |',
        '+----------+-------------------------------------------+------------+------------+-------------------+',
        '',
      ].join('\n'),
    );
  });

  it.each<[number, string]>([
    [0, '0'],
    [64, '64'],
    [65536, '65536'],
    [100000, '1e+05'],
    [262144, '2.6214e+05'],
    [2 ** 80, '1.2089e+24'],
    [1.5, '1.5'],
  ])('%%.5g of %d is %s', (x, want) => {
    expect(goG5(x)).toBe(want);
  });

  it('rounds percentages half to even, as Go does', () => {
    expect([12.5, 13.5, 7.8125, 0.5].map(goRound)).toEqual(['12', '14', '8', '0']);
  });
});

describe('readIpamView', () => {
  it('lists blocks in claim order with their node, pool and allocations', () => {
    const api = testApi([testPool('default', '10.244.0.0/16')], 2);
    allocateTunnelAddress(api, 'n2', 4, 'ipip');
    podIp(api, 'n2', 'k8s-pod-network.c1');
    podIp(api, 'n1', 'k8s-pod-network.c2');
    const view = readIpamView(api);
    expect(
      view.blocks.map((b) => ({
        cidr: formatCidr(b.cidr),
        pool: b.pool,
        node: b.node,
        allocations: b.allocations.map((a) => `${formatIp(a.ip)} ${a.node} ${a.handle} ${a.pod ?? '-'}`),
      })),
    ).toEqual([
      { cidr: '10.244.0.0/26', pool: 'default', node: 'n2', allocations: ['10.244.0.0 n2 ipip-tunnel-addr-n2 -', '10.244.0.1 n2 k8s-pod-network.c1 default/k8s-pod-network.c1'] },
      { cidr: '10.244.0.64/26', pool: 'default', node: 'n1', allocations: ['10.244.0.64 n1 k8s-pod-network.c2 default/k8s-pod-network.c2'] },
    ]);
  });
});
