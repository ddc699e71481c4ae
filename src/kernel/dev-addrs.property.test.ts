/**
 * Property: `devAddrs` (addr.ts: one pass, sorting only two or more) lists a device's addresses
 * as the straightforward filter-and-sort it replaced does, for any addresses, devices, families,
 * scopes, secondaries and insertion orders.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Family } from '../addr/ip.js';
import { devAddrs } from './addr.js';
import type { IfAddr, Netns } from './netns.js';
import { emptyNetns } from './netns.js';

/** The code devAddrs replaced (a namespace without the link index). */
function reference(ns: Netns, dev: string, family?: Family): IfAddr[] {
  const mine = ns.addrs.filter((a) => a.dev === dev && (family === undefined || a.cidr.addr.family === family));
  const v4 = mine.filter((a) => a.cidr.addr.family === 4).sort((a, b) => Number(a.secondary) - Number(b.secondary) || a.seq - b.seq);
  const rank = { global: 0, link: 1, host: 2 } as const;
  const v6 = mine.filter((a) => a.cidr.addr.family === 6).sort((a, b) => rank[a.scope] - rank[b.scope] || b.seq - a.seq);
  return [...v4, ...v6];
}

const addr: fc.Arbitrary<IfAddr> = fc
  .record({ dev: fc.constantFrom('eth0', 'lo', 'cni0'), family: fc.constantFrom(4 as const, 6 as const), v: fc.integer({ min: 0, max: 9 }), scope: fc.constantFrom('global' as const, 'link' as const, 'host' as const), secondary: fc.boolean(), seq: fc.integer({ min: 0, max: 30 }) })
  .map((r) => ({ dev: r.dev, cidr: { addr: { family: r.family, value: BigInt(r.v) }, prefix: 24 }, scope: r.scope, secondary: r.secondary, nodad: false, seq: r.seq }) as IfAddr);

describe('devAddrs (property)', () => {
  it('equals the filter-and-sort it replaced', () => {
    fc.assert(
      fc.property(fc.array(addr, { maxLength: 20 }), fc.constantFrom('eth0', 'lo', 'cni0', 'none'), fc.constantFrom(undefined, 4 as const, 6 as const), (addrs, dev, family) => {
        const ns = emptyNetns('n', false);
        ns.addrs.push(...addrs);
        expect(devAddrs(ns, dev, family)).toEqual(reference(ns, dev, family));
      }),
      { numRuns: 1000 },
    );
  });
});
