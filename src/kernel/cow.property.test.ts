/**
 * A trace's fork of a namespace (overlay.ts) copies each part only when it is first written
 * (cow.ts, netfilter/fork.ts). Property: any sequence of the writes the packet path and the link
 * verbs make to devices and FDBs, applied to a fork, leaves it equal to the same writes applied to an eager deep copy
 * (`structuredClone`), and leaves the base as it was — also for a fork of a fork, whose middle
 * was written before the inner fork was taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mac, worldWith } from '../../test/helpers/kernel.js';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import type { Mac } from '../addr/mac.js';
import { addAddress } from './addr.js';
import { addFdbEntry, addVxlanFdbEntry, delFdbEntry, fdbLearn, getBridge, vxlanLearn } from './link/fdb.js';
import { addBridge, addDummy, addVeth, addVxlan, getLink, setLinkUp } from './link/link.js';
import { forgetFdbPort, takeDeviceFdb } from './link/fdb-table.js';
import { dropLink } from './link/link-index.js';
import { setHairpin, setMaster, setMtu } from './link/port.js';
import { addNeigh, delNeigh } from './neigh.js';
import type { Netns } from './netns.js';
import type { ConntrackEntry } from './netfilter/conntrack/entry.js';
import { deleteEntry, insertConfirmed, lookup } from './netfilter/conntrack/table.js';
import { invert, type Tuple } from './netfilter/conntrack/tuple.js';
import { ownNth, ownRecent } from './netfilter/fork.js';
import { ownNftMaps } from './netfilter/nft/state.js';
import { overlayWorld } from './overlay.js';
import { connectSocket, listen } from './socket.js';
import { type World, getNetns } from './world.js';

const PORTS = 20;
const MACS: Mac[] = Array.from({ length: 6 }, (_, i) => mac(`02:00:00:00:01:0${i}`));
const IPS = ['10.0.0.7', '10.0.0.8', 'fd00::7'].map((s) => ip(s));

/** `h`: a bridge with 20 ports (enough for the link index), veths to `peer`, a VXLAN device; some state of each kind already there. */
function baseWorld(): World {
  const w = worldWith('h', 'peer');
  const h = getNetns(w, 'h');
  addBridge(h, 'br0');
  for (let i = 0; i < PORTS; i++) {
    if (i % 2 === 0) addVeth(w, { ns: 'h', name: `p${i}`, peer: `q${i}`, peerNs: 'peer' });
    else addDummy(h, `p${i}`);
    setMaster(w, 'h', `p${i}`, 'br0');
    setLinkUp(w, 'h', `p${i}`);
  }
  addAddress(h, { dev: 'br0', cidr: cidr('10.0.0.1/24') });
  addVxlan(h, 'vx0', { vni: 1, learning: true });
  fdbLearn(h, getBridge(h, 'br0'), 'p1', MACS[0] as Mac);
  addVxlanFdbEntry(h, { dev: 'vx0', mac: MACS[1] as Mac, dst: ip('192.168.0.2') });
  addNeigh(h, { dev: 'br0', ip: ip('10.0.0.9'), mac: MACS[2] as Mac, state: 'REACHABLE' });
  listen(h, { proto: 'tcp', port: 10250, owner: 'kubelet' });
  insertConfirmed(h.netfilter.conntrack, entry(1, 40000, 10), 0);
  ownNth(h.netfilter).set('4 nat X 1', 1);
  ownRecent(h.netfilter).set('L', new Map([['k', { addr: ip('10.0.0.9'), stamps: [0] }]]));
  ownNftMaps(h.netfilter.nft).counters.set('ip t c 1', 2);
  return w;
}

function entry(id: number, sport: number, expires: number): ConntrackEntry {
  const orig: Tuple = { family: 4, proto: 6, src: ip('10.0.0.2'), dst: ip('10.0.0.3'), sport, dport: 80 };
  return { id, orig, reply: invert(orig), confirmed: true, seenReply: false, assured: false, mark: 0, created: 0, expires };
}

const port = fc.nat(PORTS - 1).map((i) => `p${i}`);
const macArb = fc.constantFrom(...MACS);
const op = fc.oneof(
  fc.record({ k: fc.constant('learn' as const), port, mac: macArb }),
  fc.record({ k: fc.constant('static' as const), port, mac: macArb }),
  fc.record({ k: fc.constant('unstatic' as const), port, mac: macArb }),
  fc.record({ k: fc.constant('vxappend' as const), mac: macArb, dst: fc.constantFrom(...IPS) }),
  fc.record({ k: fc.constant('vxlearn' as const), mac: macArb, dst: fc.constantFrom(...IPS) }),
  fc.record({ k: fc.constant('forget' as const), port }),
  fc.record({ k: fc.constant('del' as const), port }),
  fc.record({ k: fc.constant('hairpin' as const), port, on: fc.boolean() }),
  fc.record({ k: fc.constant('mtu' as const), port, mtu: fc.integer({ min: 1280, max: 1500 }) }),
  fc.record({ k: fc.constant('neigh' as const), ip: fc.constantFrom(...IPS), mac: macArb }),
  fc.record({ k: fc.constant('unneigh' as const), ip: fc.constantFrom(...IPS) }),
  fc.record({ k: fc.constant('connect' as const), sport: fc.integer({ min: 40000, max: 40003 }) }),
  fc.record({ k: fc.constant('listen' as const), port: fc.integer({ min: 80, max: 83 }) }),
  fc.record({ k: fc.constant('ct' as const), sport: fc.integer({ min: 40000, max: 40003 }), expires: fc.integer({ min: 0, max: 20 }), now: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ k: fc.constant('unct' as const), id: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ k: fc.constant('nth' as const), n: fc.nat(3) }),
  fc.record({ k: fc.constant('recent' as const), n: fc.nat(3) }),
  fc.record({ k: fc.constant('nft' as const), n: fc.nat(3) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** One write, as the packet path or a link verb makes it. */
function apply(w: World, o: Op, now: number): void {
  const h = getNetns(w, 'h');
  const exists = (dev: string) => h.links[dev] !== undefined;
  switch (o.k) {
    case 'learn':
      if (exists(o.port) && h.links['br0'] !== undefined) fdbLearn(h, getBridge(h, 'br0'), o.port, o.mac);
      return;
    case 'static':
      if (exists(o.port) && getLink(h, o.port).master !== undefined) addFdbEntry(h, { mac: o.mac, dev: o.port });
      return;
    case 'unstatic':
      if (exists(o.port)) delFdbEntry(h, { mac: o.mac, dev: o.port });
      return;
    case 'vxappend':
      addVxlanFdbEntry(h, { dev: 'vx0', mac: o.mac, dst: o.dst });
      return;
    case 'vxlearn': {
      const vx = getLink(h, 'vx0');
      if (vx.kind === 'vxlan') vxlanLearn(h, vx, o.mac, o.dst);
      return;
    }
    case 'forget':
      forgetFdbPort(h, o.port);
      return;
    case 'del':
      // What port.ts `forget` does to the devices and the FDB (its addresses and routes are
      // configuration, shared with the base and not the packet path's to write).
      if (!exists(o.port)) return;
      takeDeviceFdb(h, o.port);
      forgetFdbPort(h, o.port);
      dropLink(h, o.port);
      return;
    case 'hairpin':
      if (exists(o.port)) setHairpin(h, o.port, o.on);
      return;
    case 'mtu':
      if (exists(o.port)) setMtu(h, o.port, o.mtu);
      return;
    case 'neigh':
      addNeigh(h, { dev: 'br0', ip: o.ip, mac: o.mac, state: 'REACHABLE' });
      return;
    case 'unneigh':
      delNeigh(h, 'br0', o.ip);
      return;
    case 'connect':
      connectSocket(h, { proto: 'tcp', port: o.sport, addr: ip('10.0.0.1'), peer: ip('10.0.0.3'), peerPort: 80, owner: 'test' });
      return;
    case 'listen':
      listen(h, { proto: 'tcp', port: o.port, owner: 'test' });
      return;
    case 'ct': {
      const ct = h.netfilter.conntrack;
      if (lookup(ct, entry(0, o.sport, 0).orig, o.now) === undefined) insertConfirmed(ct, entry(ct.nextId++, o.sport, now + o.expires), o.now);
      return;
    }
    case 'unct':
      deleteEntry(h.netfilter.conntrack, o.id);
      return;
    case 'nth':
      ownNth(h.netfilter).set(`4 nat X ${o.n}`, o.n);
      return;
    case 'recent': {
      const lists = ownRecent(h.netfilter);
      const l = lists.get('L') ?? new Map();
      lists.set('L', l);
      l.set(`k${o.n}`, { addr: ip('10.0.0.9'), stamps: [now] });
      return;
    }
    case 'nft':
      ownNftMaps(h.netfilter.nft).counters.set(`ip t c ${o.n}`, o.n);
      ownNftMaps(h.netfilter.nft).dynamic.set('ip t s', new Map([[`e${o.n}`, now]]));
      return;
  }
}

/** Everything a namespace holds, as plain data, with the device order (which renderers follow) made explicit. */
function state(ns: Netns): unknown {
  return { ns: structuredClone(ns), linkOrder: Object.keys(ns.links), fdbOrder: [...ns.fdb.bridge.keys(), '|', ...ns.fdb.vxlan.keys()] };
}

function snapshot(w: World): unknown {
  return { h: state(getNetns(w, 'h')), peer: state(getNetns(w, 'peer')) };
}

describe('a fork written copy-on-write equals an eager copy written the same way', () => {
  it('a fork, and a fork of a written fork; the base and the middle stay as they were', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), (first, second) => {
        const base = baseWorld();
        const baseBefore = snapshot(base);
        const eager = structuredClone(base);
        const middle = overlayWorld(base);
        first.forEach((o, i) => {
          apply(middle, o, i);
          apply(eager, o, i);
        });
        expect(snapshot(middle)).toEqual(snapshot(eager));
        const middleBefore = snapshot(middle);
        const inner = overlayWorld(middle);
        second.forEach((o, i) => {
          apply(inner, o, 100 + i);
          apply(eager, o, 100 + i);
        });
        expect(snapshot(inner)).toEqual(snapshot(eager));
        expect(snapshot(middle)).toEqual(middleBefore);
        expect(snapshot(base)).toEqual(baseBefore);
      }),
      { numRuns: 200 },
    );
  });
});
