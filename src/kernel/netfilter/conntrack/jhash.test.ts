/**
 * Address choice inside a DNAT range, against what Linux 6.18 chose in a namespace for the same
 * (client, destination) pairs: `-j DNAT --to-destination 10.9.1.1-10.9.1.4` for 10.99.0.100,
 * `10.9.1.10-10.9.1.250` for 10.99.0.101, and the IPv6 ranges `fd09:1::10-fd09:1::ff` for
 * fd99::100 and `fd09:1::1:0-fd09:1::3:ffff` (spanning 32-bit words) for fd99::101.
 */
import { describe, expect, it } from 'vitest';
import { formatIp, ip } from '../../../addr/ip.js';
import { bestAddress } from './jhash.js';

const RANGES: Readonly<Record<string, readonly [string, string]>> = {
  '10.99.0.100': ['10.9.1.1', '10.9.1.4'],
  '10.99.0.101': ['10.9.1.10', '10.9.1.250'],
  'fd99::100': ['fd09:1::10', 'fd09:1::ff'],
  'fd99::101': ['fd09:1::1:0', 'fd09:1::3:ffff'],
};

const KERNEL = `
10.9.0.1 10.99.0.100 10.9.1.1
10.9.0.1 10.99.0.101 10.9.1.46
10.9.0.3 10.99.0.100 10.9.1.1
10.9.0.3 10.99.0.101 10.9.1.29
10.9.0.4 10.99.0.100 10.9.1.4
10.9.0.4 10.99.0.101 10.9.1.222
10.9.0.5 10.99.0.100 10.9.1.3
10.9.0.5 10.99.0.101 10.9.1.93
10.9.0.6 10.99.0.100 10.9.1.4
10.9.0.6 10.99.0.101 10.9.1.115
10.9.0.7 10.99.0.100 10.9.1.1
10.9.0.7 10.99.0.101 10.9.1.51
10.9.0.8 10.99.0.100 10.9.1.2
10.9.0.8 10.99.0.101 10.9.1.100
10.9.0.9 10.99.0.100 10.9.1.1
10.9.0.9 10.99.0.101 10.9.1.170
10.9.0.10 10.99.0.100 10.9.1.4
10.9.0.10 10.99.0.101 10.9.1.229
10.9.0.11 10.99.0.100 10.9.1.3
10.9.0.11 10.99.0.101 10.9.1.82
10.9.0.12 10.99.0.100 10.9.1.1
10.9.0.12 10.99.0.101 10.9.1.37
fd09::1 fd99::100 fd09:1::cf
fd09::1 fd99::101 fd09:1::2:caa3
fd09::3 fd99::100 fd09:1::57
fd09::3 fd99::101 fd09:1::2:b01f
fd09::4 fd99::100 fd09:1::8c
fd09::4 fd99::101 fd09:1::2:5c4d
fd09::5 fd99::100 fd09:1::df
fd09::5 fd99::101 fd09:1::1:9d5c
fd09::6 fd99::100 fd09:1::e8
fd09::6 fd99::101 fd09:1::3:b49c
fd09::7 fd99::100 fd09:1::aa
fd09::7 fd99::101 fd09:1::2:38b5
fd09::8 fd99::100 fd09:1::1a
fd09::8 fd99::101 fd09:1::2:721a
`;

describe('bestAddress (find_best_ips_proto)', () => {
  const rows = KERNEL.trim().split('\n').map((l) => l.split(' ') as [string, string, string]);
  it.each(rows)('%s → %s took %s', (src, dst, want) => {
    const [min, max] = RANGES[dst] ?? ['', ''];
    expect(formatIp(bestAddress(ip(src), ip(dst), ip(min), ip(max), { persistent: false, manip: 'dst' }))).toBe(want);
  });

  it('a single-address range needs no hash; --persistent ignores the destination', () => {
    expect(formatIp(bestAddress(ip('10.0.0.1'), ip('10.99.0.100'), ip('10.9.1.1'), ip('10.9.1.1'), { persistent: false, manip: 'dst' }))).toBe('10.9.1.1');
    const a = bestAddress(ip('10.0.0.1'), ip('10.99.0.100'), ip('10.9.1.1'), ip('10.9.1.200'), { persistent: true, manip: 'dst' });
    const b = bestAddress(ip('10.0.0.1'), ip('10.99.0.101'), ip('10.9.1.1'), ip('10.9.1.200'), { persistent: true, manip: 'dst' });
    expect(a).toEqual(b);
  });
});
