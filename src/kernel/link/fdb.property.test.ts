/**
 * The bridge lookups the packet path makes by one scan of the devices (port.ts `bridgePorts`,
 * fdb.ts `localEntryFor`, `fdbLookup`, `fdbLearn`) give what the straightforward computation
 * gives: the ports filtered and sorted by ifindex, the local entries built as a list and searched.
 * Random bridges: ports in any ifindex order, shared MACs, the bridge's MAC on a port or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mac, worldWith } from '../../../test/helpers/kernel.js';
import type { Mac } from '../../addr/mac.js';
import type { Netns } from '../netns.js';
import { getNetns } from '../world.js';
import { bridgeFdb, fdbLearn, fdbLookup, localEntryFor } from './fdb.js';
import { bridgePorts } from './port.js';
import type { Bridge, FdbEntry, Link } from './types.js';

const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03', '02:00:00:00:00:04'].map(mac);

const devArb = fc.record({ master: fc.constantFrom<string | undefined>('br0', 'br1', undefined), mac: fc.constantFrom(...MACS), up: fc.boolean() });

/** A namespace holding bridges br0 and br1 and the generated devices, named and indexed in a shuffled order. */
const nsArb = fc
  .record({
    devs: fc.array(devArb, { maxLength: 12 }),
    brMac: fc.constantFrom(...MACS),
    order: fc.infiniteStream(fc.nat()),
    learned: fc.array(fc.record({ mac: fc.constantFrom(...MACS), port: fc.nat(11) }), { maxLength: 4 }),
  })
  .map(({ devs, brMac, order, learned }) => {
    const n = devs.length + 2;
    const ifindexes = Array.from({ length: n }, (_, i) => i + 2);
    const it = order[Symbol.iterator]();
    for (let i = n - 1; i > 0; i--) {
      const j = (it.next().value as number) % (i + 1);
      [ifindexes[i], ifindexes[j]] = [ifindexes[j] as number, ifindexes[i] as number];
    }
    const w = worldWith('h');
    const ns = getNetns(w, 'h');
    const fdb: FdbEntry[] = learned.map((l) => ({ mac: l.mac, dev: `p${l.port}`, kind: 'learned' }));
    const bridge = (name: string, ifindex: number): Bridge => ({ kind: 'bridge', name, ifindex, mtu: 1500, mac: brMac, up: true });
    const links: Record<string, Link> = { lo: ns.links['lo'] as Link };
    links['br0'] = bridge('br0', ifindexes[0] as number);
    devs.forEach((d, i) => {
      const name = `p${i}`;
      links[name] = { kind: 'dummy', name, ifindex: ifindexes[i + 2] as number, mtu: 1500, mac: d.mac, up: d.up, ...(d.master !== undefined ? { master: d.master } : {}) };
    });
    links['br1'] = bridge('br1', ifindexes[1] as number);
    return { ...ns, links, fdb: { bridge: new Map(fdb.length > 0 ? [['br0', fdb]] : []), vxlan: new Map() } } as Netns;
  });

function refPorts(ns: Netns, bridge: string): Link[] {
  return Object.values(ns.links)
    .filter((l) => l.master === bridge)
    .sort((a, b) => a.ifindex - b.ifindex);
}

function refLocalEntries(ns: Netns, bridge: Bridge): FdbEntry[] {
  const ports = refPorts(ns, bridge.name).map((p): FdbEntry => ({ mac: p.mac, dev: p.name, kind: 'local' }));
  const own: FdbEntry[] = ports.some((p) => p.mac === bridge.mac) ? [] : [{ mac: bridge.mac, dev: bridge.name, kind: 'local' }];
  return [...own, ...ports];
}

function br0(ns: Netns): Bridge {
  return ns.links['br0'] as Bridge;
}

describe('bridge lookups by one scan equal the straightforward computation', () => {
  it('bridgePorts: the devices with that master in ifindex order', () => {
    fc.assert(
      fc.property(nsArb, (ns) => {
        for (const b of ['br0', 'br1', 'none']) expect(bridgePorts(ns, b)).toEqual(refPorts(ns, b));
      }),
    );
  });

  it('localEntryFor and fdbLookup: the first local entry with the MAC, then the stored ones', () => {
    fc.assert(
      fc.property(nsArb, fc.constantFrom<Mac>(...MACS, mac('02:00:00:00:00:09')), (ns, m) => {
        const bridge = br0(ns);
        const local = refLocalEntries(ns, bridge).find((e) => e.mac === m);
        expect(localEntryFor(ns, bridge, m)).toEqual(local);
        expect(fdbLookup(ns, bridge, m)).toEqual(local ?? bridgeFdb(ns, bridge).find((e) => e.mac === m));
      }),
    );
  });

  it('fdbLearn: as br_fdb_update with the local entries listed', () => {
    fc.assert(
      fc.property(nsArb, fc.constantFrom<Mac>(...MACS, mac('02:00:00:00:00:09')), fc.nat(11), (ns, m, port) => {
        const bridge = br0(ns);
        const before = bridgeFdb(ns, bridge);
        const want = [...before];
        let wantChanged = false;
        if (!refLocalEntries(ns, bridge).some((e) => e.mac === m)) {
          const at = want.findIndex((e) => e.mac === m);
          const existing = want[at];
          if (existing === undefined) want.push({ mac: m, dev: `p${port}`, kind: 'learned' });
          else if (existing.kind === 'learned' && existing.dev !== `p${port}`) want[at] = { mac: m, dev: `p${port}`, kind: 'learned' };
          wantChanged = want.some((e, i) => e !== before[i]) || want.length !== before.length;
        }
        const changed = fdbLearn(ns, bridge, `p${port}`, m);
        expect([changed, bridgeFdb(ns, bridge)]).toEqual([wantChanged, want]);
      }),
    );
  });
});
