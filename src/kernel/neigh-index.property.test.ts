/**
 * Property: the ARP/ND port index (neigh-index.ts) changes nothing. Random L2 topologies — hosts
 * on two segments' bridges, bridges behind bridges and loops between them, host ends enslaved to
 * a host bridge, IPv4 and IPv6 addresses shared between hosts (so the first answerer's order
 * counts), proxy ARP, IPv6 anycast, AnyIP `local` routes, devices down, ports leaving, hosts whose
 * setup is deferred (deferred-netns.ts) — with random changes between the requests, and requests
 * through a trace's overlay (overlay.ts), some after the overlay replaced a host with a changed
 * copy of its own: every answer, every neighbour entry and FDB entry written, and which deferred
 * setups ran are those of flooding every port.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { addAddress, delAddress } from './addr.js';
import { deferNetns, hasDeferredNetns } from './deferred-netns.js';
import { bridgeFdb } from './link/fdb-table.js';
import { addBridge, addVeth, setLinkDown, setLinkUp } from './link/link.js';
import { delLink, setMaster, setNoMaster } from './link/port.js';
import { NEIGH_FLOODS_BEFORE_INDEX, NEIGH_INDEX_MIN_PORTS, setNeighFloodsBeforeIndex, setNeighIndexing } from './neigh-index.js';
import { setNeighMemo } from './neigh-memo.js';
import { delNeigh, resolveNeigh } from './neigh.js';
import { overlayParts, overlayWorld, peekNetns } from './overlay.js';
import { addRoute } from './route/table.js';
import type { Netns } from './netns.js';
import { setSysctl } from './sysctl.js';
import { type World, addNetns, createWorld, getNetns, putNetns } from './world.js';

/** Where a host's eth0 plugs in: a bridge of a segment namespace. */
const BRIDGES = [
  ['s1', 'br'],
  ['s1', 'br2'],
  ['s2', 'sb'],
] as const;
/** Addresses hosts get and requests ask for: shared between hosts, a deferred setup's (10.1.k.1, fd01:k::1), proxied (10.9.1.7), AnyIP (10.3.0.5), anycast (fd00::). */
const TARGETS = ['10.0.0.1', '10.0.0.2', 'fd00::1', 'fd00::2', '10.0.0.3', 'fd00::', '10.9.1.7', '10.1.1.1', 'fd01:1::1', '10.3.0.5', '10.1.2.1', 'fd01:2::1', '127.0.0.1'];
/** Mostly the first few. */
const target = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }) }, fc.integer({ min: 0, max: TARGETS.length - 1 }));

type Op =
  | { readonly op: 'host'; readonly at: number; readonly v4: number; readonly v6: number; readonly deferred: boolean; readonly enslaved: boolean }
  | { readonly op: 'link'; readonly a: number; readonly b: number }
  | { readonly op: 'addr' | 'delAddr'; readonly h: number; readonly dev: number; readonly a: number }
  | { readonly op: 'hostUp' | 'hostDown' | 'portUp' | 'portDown' | 'noMaster' | 'toBr2' | 'delPort' | 'proxy' | 'proxyOff' | 'v6fwd' | 'anyIp' | 'settle'; readonly i: number }
  | { readonly op: 'ask'; readonly from: number; readonly t: number; readonly overlay: 'no' | 'plain' | 'replaced' };

const n = fc.integer({ min: 0, max: 30 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('host' as const), at: fc.constantFrom(0, 0, 0, 1, 2), v4: fc.integer({ min: 0, max: 2 }), v6: fc.integer({ min: 0, max: 1 }), deferred: fc.boolean(), enslaved: fc.constantFrom(false, false, false, true) }) },
  fc.record({ op: fc.constant('link' as const), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('addr' as const, 'addr' as const, 'delAddr' as const), h: n, dev: fc.constantFrom(0, 0, 1, 2), a: target }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constantFrom('hostUp', 'hostDown', 'portUp', 'portDown', 'noMaster', 'toBr2', 'delPort', 'proxy', 'proxyOff', 'v6fwd', 'anyIp', 'settle'), i: n }) as fc.Arbitrary<Op> },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('ask' as const), from: n, t: target, overlay: fc.constantFrom('no' as const, 'plain' as const, 'replaced' as const) }) },
);

let macs = 0;
const nextMac = (): Mac => `02:00:00:00:${(macs >> 8).toString(16).padStart(2, '0')}:${(macs++ & 0xff).toString(16).padStart(2, '0')}` as Mac;

const prefixOf = (a: string): string => (a.includes(':') ? `${a}/64` : a.startsWith('127.') ? `${a}/8` : `${a}/24`);

/** The hosts, by creation order (a name read without running deferred work). */
function hosts(w: World): string[] {
  return Object.keys(w.netns).filter((k) => k.startsWith('h'));
}

const pick = <T,>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

function segPorts(w: World): [string, string][] {
  return ['s1', 's2'].flatMap((s) => Object.values(getNetns(w, s).links).filter((l) => l.kind === 'veth').map((l) => [s, l.name] as [string, string]));
}

function apply(w: World, o: Op, step: number, ran: string[], out: unknown[]): void {
  switch (o.op) {
    case 'host': {
      const h = `h${step}`;
      const [seg, br] = BRIDGES[o.at] as readonly [string, string];
      addNetns(w, h);
      setLinkUp(w, h, 'lo');
      addVeth(w, { ns: h, name: 'eth0', peer: `p${step}`, peerNs: seg, mac: nextMac(), peerMac: nextMac() });
      setMaster(w, seg, `p${step}`, br);
      setLinkUp(w, seg, `p${step}`);
      setLinkUp(w, h, 'eth0');
      addAddress(getNetns(w, h), { dev: 'eth0', cidr: cidr(prefixOf(['10.0.0.1', '10.0.0.2', '10.0.0.3'][o.v4] as string)) });
      addAddress(getNetns(w, h), { dev: 'eth0', cidr: cidr(prefixOf(['fd00::1', 'fd00::2'][o.v6] as string)) });
      if (o.enslaved) {
        // The host end behind a bridge of the host's own: that bridge answers (and floods on).
        addBridge(getNetns(w, h), 'hb', { mac: nextMac() });
        setLinkUp(w, h, 'hb');
        setMaster(w, h, 'eth0', 'hb');
      }
      if (o.deferred) {
        const k = (step % 2) + 1;
        const d = deferNetns(w, {
          host: h,
          addressesIn: [cidr(`10.1.${k}.0/24`), cidr(`fd01:${k}::/64`)],
          run: () => {
            ran.push(h);
            addNetns(w, `q${step}`);
            const hn = getNetns(w, h);
            addBridge(hn, 'cni0', { mac: nextMac() });
            setLinkUp(w, h, 'cni0');
            addAddress(hn, { dev: 'cni0', cidr: cidr(`10.1.${k}.1/24`) });
            addAddress(hn, { dev: 'cni0', cidr: cidr(`fd01:${k}::1/64`) });
          },
        });
        d.creates(`q${step}`);
      }
      return;
    }
    case 'link': {
      // A veth between two bridges: bridges behind bridges, and loops when there are two.
      const [sa, ba] = BRIDGES[o.a] as readonly [string, string];
      const [sb, bb] = BRIDGES[o.b] as readonly [string, string];
      addVeth(w, { ns: sa, name: `la${step}`, peer: `lb${step}`, peerNs: sb, mac: nextMac(), peerMac: nextMac() });
      setMaster(w, sa, `la${step}`, ba);
      setMaster(w, sb, `lb${step}`, bb);
      setLinkUp(w, sa, `la${step}`);
      setLinkUp(w, sb, `lb${step}`);
      return;
    }
    case 'addr':
    case 'delAddr': {
      const h = pick(hosts(w), o.h);
      if (h === undefined) return;
      const ns = getNetns(w, h);
      const dev = ['eth0', 'lo', 'hb', 'cni0'][o.dev] as string;
      const a = cidr(prefixOf(TARGETS[o.a] as string));
      if (o.op === 'addr') addAddress(ns, { dev, cidr: a });
      else delAddress(ns, dev, a);
      return;
    }
    case 'hostUp':
    case 'hostDown': {
      const h = pick(hosts(w), o.i);
      if (h !== undefined) (o.op === 'hostUp' ? setLinkUp : setLinkDown)(w, h, 'eth0');
      return;
    }
    case 'portUp':
    case 'portDown':
    case 'noMaster':
    case 'toBr2':
    case 'delPort': {
      const p = pick(segPorts(w), o.i);
      if (p === undefined) return;
      const [s, dev] = p;
      if (o.op === 'portUp') setLinkUp(w, s, dev);
      else if (o.op === 'portDown') setLinkDown(w, s, dev);
      else if (o.op === 'noMaster') setNoMaster(w, s, dev);
      else if (o.op === 'toBr2') setMaster(w, s, dev, s === 's1' ? 'br2' : 'sb');
      else delLink(w, s, dev);
      return;
    }
    case 'proxy':
    case 'proxyOff': {
      const h = pick(hosts(w), o.i);
      if (h === undefined) return;
      const ns = getNetns(w, h);
      const on = o.op === 'proxy' ? '1' : '0';
      setSysctl(ns, o.i % 3 === 0 ? 'net.ipv4.conf.all.proxy_arp' : 'net.ipv4.conf.eth0.proxy_arp', on);
      setSysctl(ns, 'net.ipv4.ip_forward', on);
      // What proxy ARP answers for: an address routed out of another device.
      if (o.op === 'proxy' && !Object.values(ns.links).some((l) => l.name === 'lo' && l.up === false)) {
        try {
          addRoute(ns, { dst: cidr('10.9.0.0/16'), dev: 'lo' });
        } catch {
          // Added before.
        }
      }
      return;
    }
    case 'v6fwd': {
      const h = pick(hosts(w), o.i);
      if (h !== undefined) setSysctl(getNetns(w, h), 'net.ipv6.conf.all.forwarding', o.i % 2 === 0 ? '1' : '0');
      return;
    }
    case 'anyIp': {
      const h = pick(hosts(w), o.i);
      if (h !== undefined) addRoute(getNetns(w, h), { type: 'local', dst: cidr('10.3.0.0/24'), dev: 'lo', table: 255 });
      return;
    }
    case 'settle': {
      const h = pick(hosts(w), o.i);
      if (h !== undefined) getNetns(w, h);
      return;
    }
    case 'ask': {
      const askers: [string, string][] = [...hosts(w).map((h) => [h, 'eth0'] as [string, string]), ...(o.from % 5 === 0 ? [['s1', 'br'] as [string, string], ['s2', 'sb'] as [string, string]] : [])];
      const [asker, dev] = pick(askers, o.from) as [string, string];
      const target = ip(TARGETS[o.t] as string);
      const world = o.overlay === 'no' ? w : overlayWorld(w);
      if (o.overlay === 'replaced') {
        // The overlay's own changed copy of a host: discovery must read it, not the base's.
        const h = pick(hosts(w), o.from + o.t);
        if (h !== undefined) {
          putNetns(world, h, structuredClone(getNetns(w, h)));
          const copy = getNetns(world, h);
          const a = cidr(prefixOf(TARGETS[o.t] as string));
          if (copy.links['eth0'] !== undefined && !copy.addrs.some((x) => x.dev === 'eth0' && x.cidr.addr.value === a.addr.value)) addAddress(copy, { dev: 'eth0', cidr: a });
        }
      }
      const ns = getNetns(world, asker);
      delNeigh(ns, dev, target);
      out.push({ ask: [asker, dev, TARGETS[o.t], o.overlay], result: resolveNeigh(world.netns, ns, dev, target) });
      if (world !== w) out.push(overlayState(world));
      recent.push([asker, dev, target]);
      return;
    }
  }
}

/** What discovery writes (neighbour caches, FDBs) in every namespace, and which are still pending. */
function state(w: World): unknown {
  return Object.keys(w.netns).map((k) => {
    if (hasDeferredNetns(w, k)) return [k, 'pending'];
    const ns = getNetns(w, k);
    return [k, ns.neigh, Object.values(ns.links).map((l) => (l.kind === 'bridge' ? [l.name, bridgeFdb(ns, l)] : l.name))];
  });
}

/** {@link state} of the namespaces an overlay holds of its own. */
function overlayState(world: World): unknown {
  const own: ReadonlyMap<string, Netns | undefined> = overlayParts(peekNetns(world.netns))?.own ?? new Map();
  return [...own].map(([k, ns]) => [k, ns?.neigh, Object.values(ns?.links ?? {}).map((l) => (l.kind === 'bridge' && ns !== undefined ? [l.name, bridgeFdb(ns, l)] : l.name))]);
}

/** Four hosts on the first bridge (one deferred, one behind a host bridge, one proxying, one an IPv6 router), one on the other segment, linked to the first. */
const PRELUDE: readonly Op[] = [
  { op: 'host', at: 0, v4: 0, v6: 0, deferred: false, enslaved: false },
  { op: 'host', at: 0, v4: 1, v6: 1, deferred: true, enslaved: false },
  { op: 'host', at: 0, v4: 2, v6: 0, deferred: false, enslaved: false },
  { op: 'host', at: 0, v4: 0, v6: 1, deferred: false, enslaved: true },
  { op: 'host', at: 2, v4: 1, v6: 0, deferred: true, enslaved: false },
  { op: 'link', a: 0, b: 2 },
  { op: 'proxy', i: 3 },
  { op: 'v6fwd', i: 2 },
];

/**
 * Runs the ops with the index on every bridge (`indexed`, after `floods` floods of a bridge that
 * visit every port) or with every flood visiting every port, and with the discovery memo
 * (neigh-memo.ts) on or off.
 */
function run(ops: readonly Op[], indexed: boolean, memo?: boolean, floods = 0): unknown[] {
  setNeighIndexing(indexed ? 0 : undefined);
  setNeighFloodsBeforeIndex(floods);
  setNeighMemo(memo ?? true);
  recent.length = 0;
  macs = 0;
  const w = createWorld();
  for (const [s, b] of BRIDGES) {
    if (w.netns[s] === undefined) {
      addNetns(w, s);
      setLinkUp(w, s, 'lo');
    }
    addBridge(getNetns(w, s), b, { mac: nextMac() });
    setLinkUp(w, s, b);
  }
  const ran: string[] = [];
  const out: unknown[] = [];
  [...PRELUDE, ...ops].forEach((o, step) => {
    try {
      apply(w, o, step, ran, out);
    } catch (e) {
      out.push({ error: (e as Error).message });
    }
    if (o.op === 'ask') out.push({ ran: [...ran], state: state(w) });
    if (memo !== undefined) askAgain(w, out);
  });
  return out;
}

/** The requests asked last, by (asker, device, target). */
const recent: [string, string, ReturnType<typeof ip>][] = [];

/** The last few requests asked again, each through the fresh overlay of a next trace (what the discovery memo, neigh-memo.ts, answers). */
function askAgain(w: World, out: unknown[]): void {
  for (const [asker, dev, target] of recent.slice(-4)) {
    const world = overlayWorld(w);
    try {
      const ns = getNetns(world, asker);
      delNeigh(ns, dev, target);
      out.push({ again: resolveNeigh(world.netns, ns, dev, target), state: overlayState(world) });
    } catch (e) {
      out.push({ error: (e as Error).message });
    }
  }
}

describe('ARP/ND port index (property)', () => {
  afterEach(() => {
    setNeighIndexing(NEIGH_INDEX_MIN_PORTS);
    setNeighFloodsBeforeIndex(NEIGH_FLOODS_BEFORE_INDEX);
    setNeighMemo(true);
  });

  it('answers, writes and runs deferred setups as flooding every port does (index from the first, second or third flood)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.constantFrom(0, 1, 2), (ops, floods) => {
        expect(run(ops, true, undefined, floods)).toEqual(run(ops, false));
      }),
      { numRuns: 300 },
    );
  });

  it('answers and writes through overlays with the discovery memo as without it', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.boolean(), (ops, indexed) => {
        expect(run(ops, indexed, true)).toEqual(run(ops, indexed, false));
      }),
      { numRuns: 300 },
    );
  });
});
