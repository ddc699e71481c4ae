/** formatIp, which remembers the texts it made, gives formatIpText's text for every address, asked once or again. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ip, formatIp, formatIpText } from './ip.js';

/** Addresses that repeat (so the remembered text is read back), of both families, IPv6 with zero runs and IPv4 tails. */
const addr: fc.Arbitrary<Ip> = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }).map((value): Ip => ({ family: 4, value })),
  fc.constantFrom(0n, 1n, 0xffffffffn, 0x0a000001n).map((value): Ip => ({ family: 4, value })),
  fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }).map((value): Ip => ({ family: 6, value })),
  fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xfd00), { minLength: 8, maxLength: 8 }).map((gs): Ip => ({ family: 6, value: gs.reduce((v, g) => (v << 16n) | BigInt(g), 0n) })),
  fc.constantFrom<Ip>({ family: 6, value: 0x0a000001n }, { family: 6, value: 0xffff0a000001n }, { family: 4, value: 0x0a000001n }),
);

describe('formatIp (remembered texts)', () => {
  it('gives the text formatIpText computes, the first time and again', () => {
    fc.assert(
      fc.property(fc.array(addr, { minLength: 1, maxLength: 20 }), (addrs) => {
        for (const a of [...addrs, ...addrs]) expect(formatIp(a)).toBe(formatIpText(a));
      }),
      { numRuns: 2000 },
    );
  });
});
