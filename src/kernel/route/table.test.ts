import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cidr, cidr, cidrContains } from '../../addr/cidr.js';
import { type Family, familyMax, ip } from '../../addr/ip.js';
import { CommandError } from '../errors.js';
import { addDummy, setLinkUp } from '../link/link.js';
import { getNetns } from '../world.js';
import { worldWith } from '../../../test/helpers/kernel.js';
import { addRoute, delRoute, lookupTable, tableRoutes } from './table.js';
import { type Route, TABLE_MAIN } from './types.js';

function nsWithDummy() {
  const w = worldWith('n');
  const ns = getNetns(w, 'n');
  addDummy(ns, 'd0');
  setLinkUp(w, 'n', 'd0');
  return ns;
}

/** The reference: longest containing prefix, then lowest metric, then oldest. */
function bruteForce(routes: readonly Route[], dst: { family: Family; value: bigint }): Route | undefined {
  let best: Route | undefined;
  for (const r of routes) {
    if (!cidrContains(r.dst, dst)) continue;
    if (best === undefined || r.dst.prefix > best.dst.prefix || (r.dst.prefix === best.dst.prefix && (r.metric < best.metric || (r.metric === best.metric && r.seq < best.seq)))) best = r;
  }
  return best;
}

const arbFamily = fc.constantFrom<Family>(4, 6);
function arbCidr(family: Family): fc.Arbitrary<Cidr> {
  const bits = family === 4 ? 32 : 128;
  // Few distinct high bits so that prefixes nest and collide often.
  return fc.record({ hi: fc.bigInt({ min: 0n, max: 7n }), rest: fc.bigInt({ min: 0n, max: familyMax(family) >> 3n }), prefix: fc.integer({ min: 0, max: bits }) }).map(({ hi, rest, prefix }) => ({
    addr: { family, value: (hi << BigInt(bits - 3)) | rest },
    prefix,
  }));
}

describe('route table', () => {
  it('longest-prefix match equals a brute-force scan (both families, random prefixes and metrics)', () => {
    fc.assert(
      fc.property(
        arbFamily.chain((family) =>
          fc.tuple(fc.constant(family), fc.array(fc.tuple(arbCidr(family), fc.integer({ min: 0, max: 3 })), { maxLength: 60 }), fc.array(arbCidr(family).map((c) => c.addr), { minLength: 1, maxLength: 20 })),
        ),
        ([family, specs, dsts]) => {
          const ns = nsWithDummy();
          for (const [dst, metric] of specs) {
            try {
              addRoute(ns, { dst, dev: 'd0', metric, table: 100 });
            } catch (e) {
              if (!(e instanceof CommandError)) throw e;
            }
          }
          const all = tableRoutes(ns, 100, family);
          for (const d of dsts) expect(lookupTable(ns, 100, d)).toBe(bruteForce(all, d));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a duplicate IPv4 route (same prefix and metric) like `File exists`, accepts another metric', () => {
    const ns = nsWithDummy();
    addRoute(ns, { dst: cidr('10.0.0.0/8'), dev: 'd0' });
    expect(() => addRoute(ns, { dst: cidr('10.0.0.0/8'), dev: 'd0' })).toThrow(/File exists/);
    addRoute(ns, { dst: cidr('10.0.0.0/8'), dev: 'd0', metric: 5 });
    expect(lookupTable(ns, TABLE_MAIN, ip('10.1.2.3'))?.metric).toBe(0);
    expect(delRoute(ns, { dst: cidr('10.0.0.0/8'), metric: 0 })).toBe(1);
    expect(lookupTable(ns, TABLE_MAIN, ip('10.1.2.3'))?.metric).toBe(5);
  });

  // Speed at 100k routes is measured by `npm run bench` (docs/performance.md), never in a test.
});
