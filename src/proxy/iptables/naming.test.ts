import { describe, expect, it } from 'vitest';
import {
  base32Std,
  servicePortChainName,
  servicePortEndpointChainName,
  servicePortNameString,
} from './naming.js';
import { computeProbability, formatFixed10 } from './probability.js';

describe('chain-name hashing (reference note §3 test vectors)', () => {
  it.each([
    ['ns1/svc1:p80', 'tcp', 'XPGD46QRK7WJZT7O'],
    ['ns2/svc2:p80', 'tcp', 'GNZBNJ2PO5MGZ6GT'],
    ['ns5/svc5:p80', 'tcp', 'NUKIZ6OKUXPJNT4C'],
    ['default/web:http', 'tcp', 'CDGGSHYLG3RE2FKL'],
  ])('%s + %s → KUBE-SVC-%s', (spn, proto, want) => {
    expect(servicePortChainName(spn, proto)).toBe(`KUBE-SVC-${want}`);
  });

  it.each([
    ['ns1/svc1:p80', 'tcp', '10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
    ['ns1/svc1:p80', 'tcp', '10.0.0.0:80', 'DKGQUZGBKLTPAR56'],
    ['ns5/svc5:p80', 'tcp', '10.180.0.3:80', 'I77PXRDZVX7PMWMN'],
  ])('%s + %s + %s → KUBE-SEP-%s', (spn, proto, endpoint, want) => {
    expect(servicePortEndpointChainName(spn, proto, endpoint)).toBe(`KUBE-SEP-${want}`);
  });

  it('encodes base32 like Go base32.StdEncoding (RFC 4648 vectors)', () => {
    const enc = (s: string) => base32Std(new TextEncoder().encode(s));
    expect([enc(''), enc('f'), enc('fo'), enc('foo'), enc('foob'), enc('fooba'), enc('foobar')]).toEqual([
      '',
      'MY======',
      'MZXQ====',
      'MZXW6===',
      'MZXW6YQ=',
      'MZXW6YTB',
      'MZXW6YTBOI======',
    ]);
  });

  it('names an unnamed port ns/name', () => {
    expect(servicePortNameString('default', 'api', '')).toBe('default/api');
    expect(servicePortNameString('default', 'web', 'http')).toBe('default/web:http');
  });
});

describe('probabilities (upstream TestComputeProbability)', () => {
  it.each([
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [10, '0.1000000000'],
    [100, '0.0100000000'],
    [1000, '0.0010000000'],
    [10000, '0.0001000000'],
    [100000, '0.0000100000'],
    [100001, '0.0000099999'],
  ])('1/%d → %s', (n, want) => {
    expect(computeProbability(n)).toBe(want);
  });

  it('rounds exact ties half to even, as Go does', () => {
    // 1/2048 = 0.00048828125 exactly; the 11th decimal is a tie.
    expect(formatFixed10(1 / 2048)).toBe('0.0004882812');
    expect(formatFixed10(0.5)).toBe('0.5000000000');
  });

  it('strictly increases from 1/100000 to 1/2', () => {
    let prev = 0;
    const bad: string[] = [];
    for (let i = 100000; i > 1; i--) {
      const cur = Number.parseFloat(computeProbability(i));
      if (cur <= prev) bad.push(`1/${i}: got ${cur}, previous ${prev}`);
      prev = cur;
    }
    expect(bad).toEqual([]);
  });
});
