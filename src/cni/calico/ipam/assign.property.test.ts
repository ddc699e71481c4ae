import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains } from '../../../addr/cidr.js';
import { formatIp, type Ip } from '../../../addr/ip.js';
import { testApi, testPool } from '../../../../test/helpers/calico-ipam.js';
import { autoAssign } from './assign.js';
import { readBlocks, readNodeLabels, readPools } from './datastore.js';
import { poolSelectsNode } from './pools.js';
import { ipsByHandle, releaseByHandle } from './release.js';

const NODES = [
  { name: 'n1', labels: { rack: 'a' } },
  { name: 'n2', labels: { rack: 'a' } },
  { name: 'n3', labels: { rack: 'b' } },
];

const poolArb = (i: number) =>
  fc.record({ prefix: fc.integer({ min: 26, max: 28 }), extra: fc.integer({ min: 1, max: 3 }), selector: fc.constantFrom('all()', "rack == 'a'", "rack != 'a'"), disabled: fc.boolean() }).map((p) =>
    testPool(`pool-${i}`, `10.${i}.0.0/${p.prefix}`, { blockSize: Math.min(31, p.prefix + p.extra), nodeSelector: p.selector, disabled: p.disabled && i > 0 }),
  );

const op = fc.oneof(fc.record({ kind: fc.constant('add' as const), node: fc.constantFrom('n1', 'n2', 'n3') }), fc.record({ kind: fc.constant('del' as const), pick: fc.nat() }));

describe('calico-ipam allocation properties', () => {
  it('never hands out an address twice, and every address lies in a block of a pool that selects its node', () => {
    fc.assert(
      fc.property(fc.tuple(poolArb(0), poolArb(1)), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 60 }), (pools, strictAffinity, maxBlocksPerHost, ops) => {
        const api = testApi(pools, NODES, { strictAffinity, maxBlocksPerHost });
        const live = new Map<string, { node: string; ips: Ip[] }>();
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            const handle = `h${seq++}`;
            const r = autoAssign(api, { node: o.node, family: 4, handle, attrs: { node: o.node } });
            if (r.ok) live.set(handle, { node: o.node, ips: r.ips.map((c) => c.addr) });
          } else if (live.size > 0) {
            const handle = [...live.keys()][o.pick % live.size] as string;
            expect(releaseByHandle(api, handle)).not.toBe(false);
            live.delete(handle);
          }
          const all = [...live.values()].flatMap((l) => l.ips.map(formatIp));
          expect(new Set(all).size).toBe(all.length);
          const blocks = readBlocks(api);
          for (const [handle, l] of live) {
            expect(ipsByHandle(api, handle).map(formatIp)).toEqual(l.ips.map(formatIp));
            for (const a of l.ips) {
              expect(blocks.some((b) => cidrContains(b.cidr, a))).toBe(true);
              const pool = readPools(api).find((p) => cidrContains(p.cidr, a));
              expect(pool !== undefined && !pool.disabled && poolSelectsNode(pool, readNodeLabels(api, l.node) ?? {})).toBe(true);
            }
          }
          for (const b of blocks) {
            const free = new Set(b.unallocated);
            expect(free.size).toBe(b.unallocated.length);
            b.allocations.forEach((a, ord) => expect(a === null).toBe(free.has(ord)));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
