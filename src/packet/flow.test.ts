import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Flow, flowEquals, flowKey, flowOf, reply } from './flow.js';
import { packetFor } from './build.js';
import { ip } from '../addr/ip.js';

const addr4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ family: 4 as const, value }));
const addr6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => ({ family: 6 as const, value }));
const port = fc.integer({ min: 0, max: 65535 });

const portFlow = (addr: fc.Arbitrary<{ family: 4 | 6; value: bigint }>) =>
  fc.record({ proto: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const), src: addr, dst: addr, sport: port, dport: port }).map(
    (r): Flow => ({ family: r.src.family, ...r }),
  );
const icmpFlow = fc
  .record({ src: addr4, dst: addr4, type: fc.constantFrom(0, 3, 8, 11, 13, 14), code: fc.integer({ min: 0, max: 15 }), id: port })
  .map((r): Flow => ({ family: 4, proto: 'icmp', ...r }));

describe('flows', () => {
  it('reply(reply(f)) equals f (property)', () => {
    fc.assert(
      fc.property(fc.oneof(portFlow(addr4), portFlow(addr6), icmpFlow), (f) => {
        expect(flowEquals(reply(reply(f)), f)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('swaps addresses and ports, and turns an echo request into a reply', () => {
    const f: Flow = { family: 4, proto: 'tcp', src: ip('10.244.1.2'), dst: ip('10.96.0.10'), sport: 40000, dport: 80 };
    expect(flowKey(reply(f))).toBe('tcp 10.96.0.10:80 > 10.244.1.2:40000');
    const echo: Flow = { family: 4, proto: 'icmp', src: ip('10.0.0.1'), dst: ip('10.0.0.2'), type: 8, code: 0, id: 7 };
    expect(flowKey(reply(echo))).toBe('icmp 10.0.0.2 > 10.0.0.1 type=0 code=0 id=7');
  });

  it('flowOf(packetFor(f)) is f', () => {
    fc.assert(fc.property(fc.oneof(portFlow(addr4), portFlow(addr6), icmpFlow), (f) => {
        expect(flowOf(packetFor(f))).toEqual(f);
      }),
    );
  });
});
