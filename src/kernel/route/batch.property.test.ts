/**
 * Property: a route batch shared beneath a table (batch.ts) is the same table as the batch's
 * routes added one by one — the same `ip route` listing, the same longest-prefix match, the
 * same answers to later `ip route add` and `ip route del` — whatever routes the namespace held
 * before, whichever gateways the kernel would refuse, and whether or not the batch could be
 * shared at all (then addRouteBatch declines and the routes go one by one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cidr } from '../../addr/cidr.js';
import { type Family, type Ip, ip } from '../../addr/ip.js';
import { worldWith } from '../../../test/helpers/kernel.js';
import { addAddress } from '../addr.js';
import { CommandError } from '../errors.js';
import { addDummy, setLinkUp } from '../link/link.js';
import type { Netns } from '../netns.js';
import { renderIpRoute, routeLine } from '../text/route.js';
import { getNetns } from '../world.js';
import { type BatchRoute, addRouteBatch, routeBatch } from './batch.js';
import { addRoute, delRoute, lookupTable } from './table.js';
import { TABLE_MAIN } from './types.js';

const NODE_NET: Record<Family, Cidr> = { 4: { addr: ip('192.168.0.7'), prefix: 24 }, 6: { addr: ip('fd00::7'), prefix: 64 } };

function nodeNs(family: Family): Netns {
  const w = worldWith('n');
  const ns = getNetns(w, 'n');
  addDummy(ns, 'eth0');
  setLinkUp(w, 'n', 'eth0');
  addDummy(ns, 'cni0');
  setLinkUp(w, 'n', 'cni0');
  addAddress(ns, { dev: 'eth0', cidr: NODE_NET[family], nodad: true });
  return ns;
}

/** Addresses from a few small ranges, so that prefixes nest, collide and cover gateways often. */
function arbAddr(family: Family): fc.Arbitrary<Ip> {
  const bases = family === 4 ? ['10.0.0.0', '10.0.1.0', '192.168.0.0', '192.168.1.0'] : ['fd10::', 'fd10::100', 'fd00::', 'fd01::'];
  return fc.tuple(fc.constantFrom(...bases), fc.integer({ min: 0, max: 255 })).map(([b, low]) => {
    const a = ip(b);
    return { family, value: a.value + BigInt(low) } as Ip;
  });
}

function arbPrefix(family: Family): fc.Arbitrary<Cidr> {
  const lens = family === 4 ? [16, 23, 24, 25, 32] : [56, 64, 120, 121, 128];
  return fc.tuple(arbAddr(family), fc.constantFrom(...lens)).map(([addr, prefix]) => ({ addr, prefix }));
}

type Op = { kind: 'add'; dst: Cidr; metric: number; via: Ip | undefined } | { kind: 'del'; dst: Cidr; metric: number | undefined };

function arbCase(family: Family) {
  const gw = fc.oneof({ weight: 4, arbitrary: arbAddr(family).map((a) => ({ ...a, value: NODE_NET[family].addr.value - 7n + (a.value & 0xffn) }) as Ip) }, { weight: 1, arbitrary: arbAddr(family) });
  // Mostly pod CIDRs away from the node network (the host-gw shape), sometimes anything.
  const podCidr = arbPrefix(family).filter((c) => (family === 4 ? c.addr.value >> 24n === 10n : c.addr.value >> 112n === 0xfd10n));
  const batch = fc.array(fc.record({ owner: fc.constantFrom('me', 'a', 'b', 'c'), dst: fc.oneof({ weight: 6, arbitrary: podCidr }, { weight: 1, arbitrary: arbPrefix(family) }), via: gw }), { maxLength: 12 });
  const before = fc.array(fc.record({ dst: arbPrefix(family), metric: fc.integer({ min: 0, max: 2 }).map((m) => (family === 6 ? 1023 + m : m)) }), { maxLength: 5 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), dst: arbPrefix(family), metric: fc.integer({ min: 0, max: 1 }).map((m) => (family === 6 ? 1024 + m : m)), via: fc.option(gw, { nil: undefined }) }),
    fc.record({ kind: fc.constant('del' as const), dst: arbPrefix(family), metric: fc.option(fc.constantFrom(0, 1024), { nil: undefined }) }),
  );
  return fc.record({ batch, before, mineBefore: fc.boolean(), ops: fc.array(op, { maxLength: 6 }), probes: fc.array(arbAddr(family), { minLength: 1, maxLength: 12 }) });
}

/** Runs `f` and says what the kernel answered (an error's text, or ok). */
function answer(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof CommandError) return e.message;
    throw e;
  }
}

describe('a route batch shared beneath a table (property)', () => {
  for (const family of [4, 6] as const) {
    it(`equals its routes added one by one (IPv${family})`, () => {
      let shared = 0;
      fc.assert(
        fc.property(arbCase(family), (c) => {
          const one = nodeNs(family);
          const batched = nodeNs(family);
          for (const ns of [one, batched]) for (const b of c.before) answer(() => addRoute(ns, { dst: b.dst, dev: 'cni0', metric: b.metric }));
          // The host-gw shape: the namespace routes its own pod CIDRs (the batch's routes it leaves out) through its bridge.
          if (c.mineBefore) for (const ns of [one, batched]) for (const b of c.batch) if (b.owner === 'me') answer(() => addRoute(ns, { dst: b.dst, dev: 'cni0' }));
          const routes: BatchRoute[] = c.batch;
          const byOne = (ns: Netns): string[] => routes.filter((r) => r.owner !== 'me').map((r) => answer(() => addRoute(ns, { dst: r.dst, via: r.via, dev: 'eth0' })));
          const want = byOne(one);
          if (addRouteBatch(batched, routeBatch(family, 'eth0', routes), 'me')) {
            shared++;
            // Shared only when every route is accepted.
            expect(want.every((a) => a === 'ok')).toBe(true);
          } else expect(byOne(batched)).toEqual(want);
          for (const op of c.ops) {
            const run = (ns: Netns): string =>
              op.kind === 'add'
                ? answer(() => addRoute(ns, { dst: op.dst, dev: 'eth0', metric: op.metric, ...(op.via !== undefined ? { via: op.via } : {}) }))
                : String(delRoute(ns, { dst: op.dst, ...(op.metric !== undefined ? { metric: op.metric } : {}) }));
            expect(run(batched)).toBe(run(one));
          }
          expect(renderIpRoute(batched, { family })).toBe(renderIpRoute(one, { family }));
          for (const p of c.probes) {
            const line = (ns: Netns): string | undefined => {
              const r = lookupTable(ns, TABLE_MAIN, p);
              return r === undefined ? undefined : routeLine(r);
            };
            expect(line(batched)).toBe(line(one));
          }
        }),
        { numRuns: 400 },
      );
      // The generator must reach the shared case often, or the property says little.
      expect(shared).toBeGreaterThan(40);
    });
  }
});
