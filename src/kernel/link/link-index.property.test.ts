/**
 * Property: the link index (link-index.ts) changes nothing. Random sequences of link and address
 * verbs on a segment and its nodes — ports joining, leaving, moving between bridges, changing MAC
 * and MTU, going up and down, deleted; link-local addresses added and deleted by hand; bridges
 * pinned — leave every namespace exactly as the plain scans do, list each device's addresses and
 * each MAC's local FDB entry the same (in the namespace and in a trace's fork of it, overlay.ts),
 * and fail with the same errors.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import type { Mac } from '../../addr/mac.js';
import { addAddress, delAddress, devAddrs } from '../addr.js';
import type { Netns } from '../netns.js';
import { forkNetns } from '../overlay.js';
import { addSegment, attachToSegment } from '../segment.js';
import { getBridge, localEntryFor } from './fdb.js';
import { type World, addNetns, createWorld, getNetns } from '../world.js';
import { addBridge, addDummy, setLinkDown, setLinkUp } from './link.js';
import { INDEX_MIN_LINKS, setLinkIndexing } from './link-index.js';
import { delLink, setMac, setMaster, setMtu, setNoMaster } from './port.js';

type Op =
  | { readonly op: 'attach'; readonly mac: number; readonly portMtu: number | undefined }
  | { readonly op: 'nodeUp' | 'nodeDown' | 'portUp' | 'portDown' | 'noMaster' | 'toSeg' | 'toBr2' | 'del' | 'delLinkLocal' | 'addLinkLocal'; readonly i: number }
  | { readonly op: 'portMac'; readonly i: number; readonly mac: number }
  | { readonly op: 'portMtu'; readonly i: number; readonly mtu: number }
  | { readonly op: 'pinMac'; readonly mac: number }
  | { readonly op: 'pinMtu'; readonly mtu: number }
  | { readonly op: 'dummy' };

const MTUS = [1400, 1450, 1500, 9000];
const macOf = (n: number): Mac => `02:00:00:00:00:${(n % 8).toString(16).padStart(2, '0')}` as Mac;
const idx = fc.integer({ min: 0, max: 40 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('attach' as const), mac: fc.integer({ min: 0, max: 7 }), portMtu: fc.option(fc.constantFrom(...MTUS), { nil: undefined }) }) },
  fc.record({ op: fc.constantFrom('nodeUp', 'nodeDown', 'portUp', 'portDown', 'noMaster', 'toSeg', 'toBr2', 'del', 'delLinkLocal', 'addLinkLocal'), i: idx }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constant('portMac' as const), i: idx, mac: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('portMtu' as const), i: idx, mtu: fc.constantFrom(...MTUS) }),
  fc.record({ op: fc.constant('pinMac' as const), mac: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('pinMtu' as const), mtu: fc.constantFrom(...MTUS) }),
  fc.record({ op: fc.constant('dummy' as const) }),
);

/** The i-th (modulo) of the segment's devices other than its bridges, by name. */
function port(w: World, i: number): string | undefined {
  const names = Object.values(getNetns(w, 'lan').links).filter((l) => l.kind === 'veth').map((l) => l.name).sort();
  return names.length === 0 ? undefined : names[i % names.length];
}

function node(w: World, i: number): string | undefined {
  const names = Object.keys(w.netns).filter((n) => n.startsWith('n')).sort();
  return names.length === 0 ? undefined : names[i % names.length];
}

function apply(w: World, o: Op, step: number): void {
  const seg = getNetns(w, 'lan');
  const p = 'i' in o ? port(w, o.i) : undefined;
  switch (o.op) {
    case 'attach': {
      const name = `n${step}`;
      addNetns(w, name);
      attachToSegment(w, { segment: 'lan', ns: name, dev: 'eth0', mac: macOf(o.mac), ...(o.portMtu !== undefined ? { portMtu: o.portMtu } : {}) });
      return;
    }
    case 'nodeUp':
    case 'nodeDown': {
      const n = node(w, o.i);
      if (n !== undefined) (o.op === 'nodeUp' ? setLinkUp : setLinkDown)(w, n, 'eth0');
      return;
    }
    case 'portUp':
    case 'portDown':
      if (p !== undefined) (o.op === 'portUp' ? setLinkUp : setLinkDown)(w, 'lan', p);
      return;
    case 'noMaster':
      if (p !== undefined) setNoMaster(w, 'lan', p);
      return;
    case 'toSeg':
    case 'toBr2':
      if (p !== undefined) setMaster(w, 'lan', p, o.op === 'toSeg' ? 'seg' : 'br2');
      return;
    case 'del':
      if (p !== undefined) delLink(w, 'lan', p);
      return;
    case 'delLinkLocal': {
      const a = seg.addrs.filter((x) => x.scope === 'link');
      const x = a[o.i % Math.max(1, a.length)];
      if (x !== undefined) delAddress(seg, x.dev, x.cidr);
      return;
    }
    case 'addLinkLocal':
      if (p !== undefined) addAddress(seg, { dev: p, cidr: cidr(`fe80::${o.i + 1}/64`) });
      return;
    case 'portMac':
      if (p !== undefined) setMac(seg, p, macOf(o.mac));
      return;
    case 'portMtu':
      if (p !== undefined) setMtu(seg, p, o.mtu);
      return;
    case 'pinMac':
      setMac(seg, 'seg', macOf(o.mac));
      return;
    case 'pinMtu':
      setMtu(seg, 'seg', o.mtu);
      return;
    case 'dummy':
      addDummy(seg, `d${step}`);
      setLinkUp(w, 'lan', `d${step}`);
      return;
  }
}

/** Runs the ops, indexing from `from` devices (undefined: never); every namespace and error after each op. */
function run(ops: readonly Op[], from: number | undefined): unknown[] {
  setLinkIndexing(from);
  const w = createWorld();
  addSegment(w, 'lan');
  addBridge(getNetns(w, 'lan'), 'br2');
  setLinkUp(w, 'lan', 'br2');
  const states: unknown[] = [];
  ops.forEach((o, step) => {
    let error: string | undefined;
    try {
      apply(w, o, step);
    } catch (e) {
      error = (e as Error).message;
    }
    const lan = getNetns(w, 'lan');
    // Each MAC's local FDB entry on each bridge, in the namespace and in a trace's fork of it (which borrows the index).
    const fork = forkNetns(lan);
    const local = (ns: Netns): unknown[] => ['seg', 'br2'].flatMap((b) => Array.from({ length: 8 }, (_, m) => localEntryFor(ns, getBridge(ns, b), macOf(m))));
    const forkLocal = local(fork);
    // A write to the fork gives it an index of its own: the base's answers stay.
    const fp = Object.values(fork.links).find((l) => l.master !== undefined);
    if (fp !== undefined) setMac(fork, fp.name, macOf(fp.mac === macOf(0) ? 1 : 0));
    states.push({ error, keys: Object.keys(lan.links), byDev: Object.keys(lan.links).map((d) => devAddrs(lan, d)), lan, nodes: Object.keys(w.netns).map((n) => getNetns(w, n)), local: local(lan), forkLocal, forkWritten: local(fork) });
  });
  return states;
}

describe('link index (property)', () => {
  afterEach(() => {
    setLinkIndexing(INDEX_MIN_LINKS);
  });

  it('leaves every namespace as the plain scans do, after every verb', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.constantFrom(0, 3, 8), (ops, from) => {
        expect(run(ops, from)).toEqual(run(ops, undefined));
      }),
      { numRuns: 300 },
    );
  });
});
