import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { addr, worldWith } from '../../test/helpers/kernel.js';
import { addAddress, delAddress } from './addr.js';
import { deferNetns } from './deferred-netns.js';
import { addBridge, addVeth, setLinkDown, setLinkUp } from './link/link.js';
import { delLink, setMaster, setNoMaster } from './link/port.js';
import { NEIGH_FLOODS_BEFORE_INDEX, NEIGH_INDEX_MIN_PORTS, floodPorts, setNeighFloodsBeforeIndex, setNeighIndexing } from './neigh-index.js';
import { delNeigh, resolveNeigh } from './neigh.js';
import { overlayWorld, peekNetns } from './overlay.js';
import { addRoute } from './route/table.js';
import { setSysctl } from './sysctl.js';
import { type World, addNetns, delNetns, getNetns, putNetns } from './world.js';

const HOSTS = 6;
const macOf = (i: number): Mac => `02:00:00:00:00:${i.toString(16).padStart(2, '0')}` as Mac;

/**
 * A segment `seg` (bridge br) with an asker `x` (10.0.0.100) and hosts h1..h6 (eth0 10.0.0.i/24,
 * fd00::i/64); h5's setup is deferred: it adds cni0 with 10.1.5.1/24.
 */
function segment(): World {
  const w = worldWith('seg', 'x');
  addBridge(getNetns(w, 'seg'), 'br', { mac: macOf(0xf0) });
  setLinkUp(w, 'seg', 'br');
  const plug = (h: string, i: number): void => {
    addVeth(w, { ns: h, name: 'eth0', peer: `p${h}`, peerNs: 'seg', mac: macOf(i), peerMac: macOf(0x80 + i) });
    setMaster(w, 'seg', `p${h}`, 'br');
    setLinkUp(w, 'seg', `p${h}`);
    setLinkUp(w, h, 'eth0');
  };
  plug('x', 100);
  addr(w, 'x', 'eth0', '10.0.0.100/24');
  addr(w, 'x', 'eth0', 'fd00::100/64');
  for (let i = 1; i <= HOSTS; i++) {
    const h = `h${i}`;
    addNetns(w, h);
    setLinkUp(w, h, 'lo');
    plug(h, i);
    addr(w, h, 'eth0', `10.0.0.${i}/24`);
    addr(w, h, 'eth0', `fd00::${i}/64`);
  }
  deferNetns(w, {
    host: 'h5',
    addressesIn: [cidr('10.1.5.0/24')],
    run: () => {
      addBridge(getNetns(w, 'h5'), 'cni0', { mac: macOf(0x55) });
      setLinkUp(w, 'h5', 'cni0');
      addr(w, 'h5', 'cni0', '10.1.5.1/24');
    },
  });
  return w;
}

/** `ip neigh del` then resolve, from x's eth0 (through `via`, an overlay, when given). */
function ask(w: World, target: string, via: World = w): unknown {
  const x = getNetns(via, 'x');
  delNeigh(x, 'eth0', ip(target));
  return resolveNeigh(via.netns, x, 'eth0', ip(target));
}

/** The same steps with the index and with every port flooded: answers and every namespace's neighbours. */
function both(steps: (w: World, ask: (target: string, via?: World) => unknown) => void): { indexed: unknown[]; scanned: unknown[] } {
  const once = (from: number | undefined): unknown[] => {
    setNeighIndexing(from);
    const w = segment();
    const seen: unknown[] = [];
    steps(w, (t, via) => {
      const r = ask(w, t, via);
      seen.push(r, Object.keys(w.netns).map((k) => (k === 'h5' ? k : getNetns(w, k).neigh)));
      return r;
    });
    return seen;
  };
  return { indexed: once(0), scanned: once(undefined) };
}

// These tests read the index from a bridge's first flood on.
beforeEach(() => {
  setNeighFloodsBeforeIndex(0);
});

afterEach(() => {
  setNeighIndexing(NEIGH_INDEX_MIN_PORTS);
  setNeighFloodsBeforeIndex(NEIGH_FLOODS_BEFORE_INDEX);
});

describe('ARP/ND port index', () => {
  it('floods only the ports that may answer: the owner, and the irregular ones', () => {
    setNeighIndexing(0);
    const w = segment();
    const seg = getNetns(w, 'seg');
    const names = (t: string): string[] | undefined => floodPorts(peekNetns(w.netns), seg, 'br', ip(t))?.map((l) => l.name);
    expect(names('10.0.0.3')).toEqual(['ph3']);
    expect(names('fd00::4')).toEqual(['ph4']);
    // h5 is pending: it may own what its setup adds.
    expect(names('10.1.5.1')).toEqual(['ph5']);
    expect(names('10.0.0.77')).toEqual([]);
    setSysctl(getNetns(w, 'h2'), 'net.ipv4.conf.eth0.proxy_arp', '1');
    expect(names('10.0.0.77')).toEqual(['ph2']);
    setNoMaster(w, 'h2', 'eth0');
    addBridge(getNetns(w, 'h6'), 'hb');
    setMaster(w, 'h6', 'eth0', 'hb');
    expect(names('10.0.0.3')).toEqual(['ph2', 'ph3', 'ph6']);
  });

  it('floods every port of a bridge with fewer ports than the threshold', () => {
    const w = segment();
    expect(floodPorts(peekNetns(w.netns), getNetns(w, 'seg'), 'br', ip('10.0.0.3'))).toBeUndefined();
  });

  it.each<[string, (w: World) => void, string]>([
    ['an IPv4 address on another device (weak host)', (w) => addr(w, 'h2', 'lo', '10.0.0.50/32'), '10.0.0.50'],
    ['an IPv6 address on the device', (w) => addr(w, 'h2', 'eth0', 'fd00::50/64'), 'fd00::50'],
    ['an address deleted', (w) => setLinkDown(w, 'h3', 'eth0'), 'fd00::3'],
    ['proxy ARP turned on', (w) => setSysctl(getNetns(w, 'h2'), 'net.ipv4.conf.all.proxy_arp', '1'), '10.9.1.7'],
    ['an AnyIP local route', (w) => addRoute(getNetns(w, 'h4'), { type: 'local', dst: cidr('10.3.0.0/24'), dev: 'lo', table: 255 }), '10.3.0.5'],
    ['IPv6 forwarding (subnet-router anycast)', (w) => setSysctl(getNetns(w, 'h6'), 'net.ipv6.conf.all.forwarding', '1'), 'fd00::'],
    ['a deferred setup run by another reader', (w) => getNetns(w, 'h5'), '10.1.5.1'],
    ['the far end enslaved to a bridge', (w) => { addBridge(getNetns(w, 'h3'), 'hb', { mac: macOf(0x33) }); setLinkUp(w, 'h3', 'hb'); addr(w, 'h3', 'hb', '10.0.0.60/24'); setMaster(w, 'h3', 'eth0', 'hb'); }, '10.0.0.60'],
    ['a port leaving the bridge', (w) => setNoMaster(w, 'seg', 'ph1'), '10.0.0.1'],
    ['a port deleted', (w) => delLink(w, 'seg', 'ph2'), '10.0.0.2'],
    ['a namespace deleted and made again', (w) => { delNetns(w, 'h6'); addNetns(w, 'h6'); addVeth(w, { ns: 'h6', name: 'eth0', peer: 'ph6', peerNs: 'seg', mac: macOf(0x66) }); setMaster(w, 'seg', 'ph6', 'br'); setLinkUp(w, 'seg', 'ph6'); setLinkUp(w, 'h6', 'eth0'); addr(w, 'h6', 'eth0', '10.0.0.6/24'); }, '10.0.0.6'],
  ])('sees %s between two requests', (_what, change, target) => {
    const { indexed, scanned } = both((w, a) => {
      addRoute(getNetns(w, 'h2'), { dst: cidr('10.9.0.0/16'), dev: 'lo' });
      setSysctl(getNetns(w, 'h2'), 'net.ipv4.ip_forward', '1');
      a(target);
      a('10.0.0.3');
      change(w);
      a(target);
    });
    expect(indexed).toEqual(scanned);
  });

  it('sees a namespace replaced by a changed copy', () => {
    const { indexed, scanned } = both((w, a) => {
      const copy = structuredClone(getNetns(w, 'h4'));
      addAddress(copy, { dev: 'eth0', cidr: cidr('10.0.0.70/24') });
      a('10.0.0.70');
      putNetns(w, 'h4', copy);
      expect(a('10.0.0.70')).toMatchObject({ kind: 'resolved', mac: macOf(4) });
    });
    expect(indexed).toEqual(scanned);
  });

  it('reads an overlay’s own namespaces, also through an overlay of an overlay', () => {
    const { indexed, scanned } = both((w, a) => {
      a('10.0.0.2');
      const o1 = overlayWorld(w);
      putNetns(o1, 'h3', structuredClone(getNetns(w, 'h3')));
      addr(o1, 'h3', 'eth0', '10.0.0.80/24');
      expect(a('10.0.0.80', o1)).toMatchObject({ kind: 'resolved', mac: macOf(3) });
      const o2 = overlayWorld(o1);
      putNetns(o2, 'h1', structuredClone(getNetns(o1, 'h1')));
      addr(o2, 'h1', 'eth0', '10.0.0.80/32');
      expect(a('10.0.0.80', o2)).toMatchObject({ kind: 'resolved', mac: macOf(1) });
      expect(a('10.0.0.80', overlayWorld(o1))).toMatchObject({ kind: 'resolved', mac: macOf(3) });
      a('10.0.0.80');
      // The inner overlay changes after an index of it was read through an outer one.
      const copy = structuredClone(getNetns(o1, 'h6'));
      addAddress(copy, { dev: 'eth0', cidr: cidr('10.0.0.90/24') });
      expect(a('10.0.0.90', overlayWorld(o1))).toMatchObject({ kind: 'failed' });
      putNetns(o1, 'h6', copy);
      expect(a('10.0.0.90', overlayWorld(o1))).toMatchObject({ kind: 'resolved', mac: macOf(6) });
    });
    expect(indexed).toEqual(scanned);
  });
});

describe('ARP/ND port index, repaired port by port (property)', () => {
  // Keys every host holds (127.0.0.1, 127.0.0.0/8) and addresses shared by a few: a port leaving a
  // key moves the key's last holder into its place (unkey), which must keep every holder once.
  const POOL = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '127.0.0.1'];
  const PORTS = 10;
  it('floods exactly the ports whose host holds the address, after random address changes', () => {
    const op = fc.record({ h: fc.integer({ min: 1, max: PORTS }), a: fc.integer({ min: 0, max: 2 }), add: fc.boolean(), dev: fc.constantFrom('eth0', 'lo') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 40 }), (ops, firstAsk) => {
        const w = worldWith('seg');
        addBridge(getNetns(w, 'seg'), 'br', { mac: macOf(0xf0) });
        setLinkUp(w, 'seg', 'br');
        const held = new Map<string, Set<string>>();
        for (let i = 1; i <= PORTS; i++) {
          const h = `h${i}`;
          addNetns(w, h);
          setLinkUp(w, h, 'lo');
          addVeth(w, { ns: h, name: 'eth0', peer: `p${h}`, peerNs: 'seg', mac: macOf(i), peerMac: macOf(0x80 + i) });
          setMaster(w, 'seg', `p${h}`, 'br');
          setLinkUp(w, 'seg', `p${h}`);
          setLinkUp(w, h, 'eth0');
          held.set(h, new Set());
        }
        const seg = getNetns(w, 'seg');
        const check = (): void => {
          for (const a of POOL) {
            const got = floodPorts(peekNetns(w.netns), seg, 'br', ip(a))?.map((l) => l.name);
            const want = [...held].filter(([, as]) => a.startsWith('127.') || [...as].some((x) => x.endsWith(`/${a}`))).map(([h]) => `p${h}`);
            expect(got).toEqual(want);
          }
        };
        ops.forEach((o, k) => {
          if (k === firstAsk) check();
          const h = `h${o.h}`;
          const a = POOL[o.a] as string;
          const mine = held.get(h) as Set<string>;
          const key = `${o.dev}/${a}`;
          if (o.add && !mine.has(key)) {
            addAddress(getNetns(w, h), { dev: o.dev, cidr: cidr(`${a}/32`) });
            mine.add(key);
          } else if (!o.add && mine.has(key)) {
            delAddress(getNetns(w, h), o.dev, cidr(`${a}/32`));
            mine.delete(key);
          }
          if (k >= firstAsk) check();
        });
        check();
      }),
      { numRuns: 300 },
    );
  });
});
