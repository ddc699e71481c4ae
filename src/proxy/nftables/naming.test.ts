import { describe, expect, it } from 'vitest';
import { hashAndTruncate, servicePortChainNameBase, servicePortEndpointChainNameBase } from './naming.js';

const svc1 = { namespace: 'ns1', name: 'svc1', portName: 'p80', protocol: 'tcp' };

describe('nftables chain names (upstream proxier_test.go vectors)', () => {
  it.each([
    [{ ...svc1 }, 'ULMVA6XW-ns1/svc1/tcp/p80'],
    [{ ...svc1, namespace: 'ns2', name: 'svc2' }, '42NFTM6N-ns2/svc2/tcp/p80'],
    [{ ...svc1, namespace: 'ns5', name: 'svc5' }, 'HVFWP5L3-ns5/svc5/tcp/p80'],
  ])('service base %o', (p, want) => {
    expect(servicePortChainNameBase(p)).toBe(want);
  });

  it('endpoint bases, IPv4 and IPv6', () => {
    expect(servicePortEndpointChainNameBase(svc1, '10.180.0.1:80')).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
    expect(servicePortEndpointChainNameBase(svc1, '[fd00:10:180::2:1]:80')).toBe('2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80');
  });

  it('truncates past 240 characters with "..."', () => {
    const name = hashAndTruncate('x'.repeat(300));
    expect(name).toHaveLength(240);
    expect(name.endsWith('...')).toBe(true);
  });
});
