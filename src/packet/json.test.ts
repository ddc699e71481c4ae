/**
 * `packetJson` builds its object without spreads (it runs for every packet a trace records); the
 * trace JSON must stay byte for byte what the straightforward spread of optional parts gave:
 * the same fields, in the same key order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Family, formatIp, ipFromValue } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { packetJson, outerJson, type PacketJson } from './json.js';
import { type IpHeader, type L4Header, type OuterHeader, type Packet, hasPorts } from './packet.js';

/** The JSON as it was first written: optional parts spread into the literal. */
function straightforward(p: Packet): PacketJson {
  const base = { src: formatIp(p.ip.src), dst: formatIp(p.ip.dst), proto: p.l4.proto };
  const encap = p.encap.length > 0 ? { encap: [...p.encap].reverse().map(outerJson) } : {};
  const tos = p.ip.tos !== undefined && p.ip.tos !== 0 ? { tos: p.ip.tos } : {};
  if (hasPorts(p.l4)) return { ...base, sport: p.l4.sport, dport: p.l4.dport, ttl: p.ip.ttl, ...tos, ...encap };
  return { ...base, icmpType: p.l4.type, icmpCode: p.l4.code, icmpId: p.l4.id, ttl: p.ip.ttl, ...tos, ...encap };
}

const ip = (family: Family) => (family === 4 ? fc.bigInt(0n, 0xffffffffn) : fc.bigInt(0n, (1n << 128n) - 1n)).map((v) => ipFromValue(family, v));

const header = (family: Family): fc.Arbitrary<IpHeader> =>
  fc.record(
    { family: fc.constant(family), src: ip(family), dst: ip(family), ttl: fc.nat(255), length: fc.integer({ min: 20, max: 65535 }), dontFragment: fc.boolean(), tos: fc.nat(255) },
    { requiredKeys: ['family', 'src', 'dst', 'ttl', 'length', 'dontFragment'] },
  );

const l4: fc.Arbitrary<L4Header> = fc.oneof(
  fc.record({ proto: fc.constant('tcp' as const), sport: fc.nat(65535), dport: fc.nat(65535), flags: fc.subarray(['SYN', 'ACK', 'FIN'] as const) }),
  fc.record({ proto: fc.constantFrom('udp' as const, 'sctp' as const), sport: fc.nat(65535), dport: fc.nat(65535) }),
  fc.record({ proto: fc.constantFrom('icmp' as const, 'icmpv6' as const), type: fc.nat(255), code: fc.nat(255), id: fc.nat(65535) }),
);

const mac: fc.Arbitrary<Mac> = fc.constantFrom('aa:bb:cc:dd:ee:01', '02:00:00:00:00:02') as fc.Arbitrary<Mac>;

const outer = (family: Family): fc.Arbitrary<OuterHeader> =>
  fc.oneof(
    fc.record({ kind: fc.constant('ipip' as const), ip: header(family) }),
    fc.record({ kind: fc.constant('vxlan' as const), ip: header(family), sport: fc.nat(65535), dport: fc.nat(65535), vni: fc.nat(0xffffff), innerSrcMac: mac, innerDstMac: mac }),
  );

const packet: fc.Arbitrary<Packet> = fc
  .constantFrom(4 as const, 6 as const)
  .chain((family) => fc.record({ ip: header(family), l4, encap: fc.array(outer(family), { maxLength: 2 }) }));

describe('packetJson', () => {
  it('is the straightforward JSON, byte for byte', () => {
    fc.assert(
      fc.property(packet, (p) => {
        expect(JSON.stringify(packetJson(p))).toBe(JSON.stringify(straightforward(p)));
      }),
      { numRuns: 500 },
    );
  });
});
