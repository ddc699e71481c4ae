/**
 * `invert` writes the inverse of a port tuple as one literal (it runs for every NAT decision and
 * lookup); it must equal the straightforward spread, keys in the same order, for every tuple.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipFromValue } from '../../../addr/ip.js';
import { type Tuple, invert } from './tuple.js';

const ICMP: Readonly<Record<number, number>> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
const ICMPV6: Readonly<Record<number, number>> = { 128: 129, 129: 128 };

function straightforward(t: Tuple): Tuple {
  if (t.proto === 1 || t.proto === 58) {
    const type = t.type === undefined ? undefined : ((t.proto === 1 ? ICMP : ICMPV6)[t.type] ?? t.type);
    return { ...t, src: t.dst, dst: t.src, ...(type === undefined ? {} : { type }) };
  }
  return { ...t, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

const tuple: fc.Arbitrary<Tuple> = fc.constantFrom(4 as const, 6 as const).chain((family) => {
  const addr = (family === 4 ? fc.bigInt(0n, 0xffffffffn) : fc.bigInt(0n, (1n << 128n) - 1n)).map((v) => ipFromValue(family, v));
  return fc.record(
    { family: fc.constant(family), proto: fc.constantFrom(1, 4, 6, 17, 58, 132), src: addr, dst: addr, sport: fc.nat(65535), dport: fc.nat(65535), type: fc.nat(255), code: fc.nat(255) },
    { requiredKeys: ['family', 'proto', 'src', 'dst', 'sport', 'dport'] },
  );
});

describe('invert', () => {
  it('equals the straightforward inverse, keys in the same order', () => {
    fc.assert(
      fc.property(tuple, (t) => {
        const got = invert(t);
        const want = straightforward(t);
        expect(got).toStrictEqual(want);
        expect(Object.keys(got)).toEqual(Object.keys(want));
      }),
      { numRuns: 500 },
    );
  });
});
