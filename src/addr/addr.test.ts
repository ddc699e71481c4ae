import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cidr, cidrContains, cidrOverlaps, formatCidr, formatRouteDst, networkOf, parseCidr } from './cidr.js';
import { formatIp, ip, ipCompare, parseIp } from './ip.js';
import { macFromSeed, parseMac } from './mac.js';

describe('IP addresses', () => {
  it.each([
    ['10.244.1.7', '10.244.1.7'],
    ['172.30.0.041', '172.30.0.41'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1', 'fe80::1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    // IPv4-compatible: exactly six leading zero groups (found by the iptables differential test).
    ['::b706:0', '::183.6.0.0'],
    ['::1:0:0', '::1:0:0'],
    ['::2', '::2'],
    ['fd00:10:244:1::', 'fd00:10:244:1::'],
  ])('%s prints as %s', (input, want) => {
    const got = parseIp(input);
    expect(got, `parse ${input}`).toBeDefined();
    expect(formatIp(got!)).toBe(want);
  });

  it.each(['1.2.3', '1.2.3.256', 'a.b.c.d', '1::2::3', '', '10.0.0.1/24'])('rejects %s', (bad) => {
    expect(parseIp(bad)).toBeUndefined();
  });

  it('parse ∘ format is the identity on IPv4 and IPv6 values (property)', () => {
    const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ family: 4 as const, value }));
    const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => ({ family: 6 as const, value }));
    fc.assert(
      fc.property(fc.oneof(v4, v6), (addr) => {
        const back = parseIp(formatIp(addr));
        expect(back).toEqual(addr);
      }),
      { numRuns: 2000 },
    );
  });

  it('orders IPv4 before IPv6 and by value', () => {
    expect(ipCompare(ip('10.0.0.2'), ip('10.0.0.10'))).toBeLessThan(0);
    expect(ipCompare(ip('::1'), ip('10.0.0.1'))).toBeGreaterThan(0);
  });
});

describe('CIDRs', () => {
  it('keeps host bits for interfaces and drops them for routes', () => {
    const c = cidr('10.244.1.1/24');
    expect(formatCidr(c)).toBe('10.244.1.1/24');
    expect(formatIp(networkOf(c))).toBe('10.244.1.0');
    expect(formatRouteDst(c)).toBe('10.244.1.0/24');
    expect(formatRouteDst(cidr('10.96.0.10/32'))).toBe('10.96.0.10');
  });

  it('accepts dotted masks as iptables does', () => {
    expect(parseCidr('10.0.0.0/255.255.0.0')).toEqual(cidr('10.0.0.0/16'));
    expect(parseCidr('10.0.0.0/255.0.255.0')).toBeUndefined();
  });

  it('contains and overlaps', () => {
    expect(cidrContains(cidr('10.244.0.0/16'), ip('10.244.3.9'))).toBe(true);
    expect(cidrContains(cidr('10.244.0.0/16'), ip('10.245.0.1'))).toBe(false);
    expect(cidrContains(cidr('fd00::/8'), ip('10.0.0.1'))).toBe(false);
    expect(cidrOverlaps(cidr('10.96.0.0/12'), cidr('10.100.0.0/16'))).toBe(true);
    expect(cidrOverlaps(cidr('10.96.0.0/12'), cidr('10.244.0.0/16'))).toBe(false);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', 'x/8', '10.0.0.0/8/8'])('rejects %s', (bad) => {
    expect(parseCidr(bad)).toBeUndefined();
  });
});

describe('MACs', () => {
  it('are deterministic, unicast and locally administered', () => {
    const a = macFromSeed('node-1/eth0');
    expect(macFromSeed('node-1/eth0')).toBe(a);
    expect(macFromSeed('node-2/eth0')).not.toBe(a);
    const first = Number.parseInt(a.slice(0, 2), 16);
    expect(first & 1).toBe(0);
    expect(first & 2).toBe(2);
    expect(parseMac('AA-BB-CC-DD-EE-0F')).toBe('aa:bb:cc:dd:ee:0f');
  });
});
