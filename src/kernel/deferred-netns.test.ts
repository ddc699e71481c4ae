import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import { ip } from '../addr/ip.js';
import { addr, mac, worldWith } from '../../test/helpers/kernel.js';
import { deferNetns, deferReplacement, hasDeferredNetns } from './deferred-netns.js';
import { addBridge, addVeth, setLinkUp } from './link/link.js';
import { setMaster } from './link/port.js';
import { resolveNeigh } from './neigh.js';
import { overlayWorld } from './overlay.js';
import { addNetns, createWorld, getNetns } from './world.js';

/**
 * A segment `seg` (bridge br) with three hosts h1..h3 (eth0 10.0.0.1..3/24); each host's deferred
 * work adds a pod namespace `p<i>` and a bridge cni0 with 10.1.<i>.1/24.
 */
function segment() {
  const w = worldWith('seg', 'x', 'h1', 'h2', 'h3');
  addBridge(getNetns(w, 'seg'), 'br');
  setLinkUp(w, 'seg', 'br');
  addVeth(w, { ns: 'x', name: 'eth0', peer: 'px', peerNs: 'seg', mac: mac('0a:00:00:00:00:10') });
  for (const [ns, dev] of [['x', 'eth0'], ['seg', 'px']] as const) setLinkUp(w, ns, dev);
  setMaster(w, 'seg', 'px', 'br');
  addr(w, 'x', 'eth0', '10.0.0.100/24');
  const ran: string[] = [];
  for (const i of [1, 2, 3]) {
    const h = `h${i}`;
    addVeth(w, { ns: h, name: 'eth0', peer: `p${h}`, peerNs: 'seg', mac: mac(`0a:00:00:00:00:0${i}`) });
    for (const [ns, dev] of [[h, 'eth0'], ['seg', `p${h}`]] as const) setLinkUp(w, ns, dev);
    setMaster(w, 'seg', `p${h}`, 'br');
    addr(w, h, 'eth0', `10.0.0.${i}/24`);
    const d = deferNetns(w, {
      host: h,
      addressesIn: [cidr(`10.1.${i}.0/24`)],
      run: () => {
        ran.push(h);
        addNetns(w, `p${i}`);
        addBridge(getNetns(w, h), 'cni0');
        setLinkUp(w, h, 'cni0');
        addr(w, h, 'cni0', `10.1.${i}.1/24`);
      },
    });
    d.creates(`p${i}`);
  }
  return { w, ran };
}

describe('deferred namespaces', () => {
  it('are listed in place without running; a read runs the work once', () => {
    const { w, ran } = segment();
    expect(Object.keys(w.netns)).toEqual(['seg', 'x', 'h1', 'h2', 'h3', 'p1', 'p2', 'p3']);
    expect('p2' in w.netns && hasDeferredNetns(w, 'h2')).toBe(true);
    expect(ran).toEqual([]);
    expect(getNetns(w, 'p2').name).toBe('p2');
    expect(getNetns(w, 'h2').links['cni0']).toBeDefined();
    expect(ran).toEqual(['h2']);
    expect(Object.keys(w.netns)).toEqual(['seg', 'x', 'h1', 'h2', 'h3', 'p1', 'p2', 'p3']);
    expect(hasDeferredNetns(w, 'h2') || hasDeferredNetns(w, 'p2')).toBe(false);
  });

  it('a structuredClone runs every work', () => {
    const { w, ran } = segment();
    const copy = structuredClone(w);
    expect(ran.sort()).toEqual(['h1', 'h2', 'h3']);
    expect(Object.keys(copy.netns)).toEqual(Object.keys(w.netns));
    expect(copy.netns['h3']?.links['cni0']).toBeDefined();
  });

  it('ARP for a node address on the segment runs the node that answers only', () => {
    const { w, ran } = segment();
    const o = overlayWorld(w);
    expect(resolveNeigh(o.netns, getNetns(o, 'x'), 'eth0', ip('10.0.0.2'))).toMatchObject({ kind: 'resolved', mac: '0a:00:00:00:00:02' });
    expect(ran).toEqual(['h2']);
  });

  it('ARP for an address the work adds runs the nodes that may own it, and is answered as the eager world answers', () => {
    const { w, ran } = segment();
    expect(resolveNeigh(w.netns, getNetns(w, 'x'), 'eth0', ip('10.1.3.1'))).toMatchObject({ kind: 'resolved', mac: '0a:00:00:00:00:03' });
    expect(ran).toEqual(['h3']);
    expect(resolveNeigh(w.netns, getNetns(w, 'x'), 'eth0', ip('10.9.9.9'))).toMatchObject({ kind: 'failed' });
    expect(ran).toEqual(['h3']);
  });
});

describe('what a deferral leaves of the names it creates', () => {
  // settle skips the descriptor of a name left deferred again (a pending host); the others are read by descriptor.
  it('a name created is a namespace, one deferred again stays deferred, one never created is gone; in key order', () => {
    const fate = fc.constantFrom('created', 'deferred', 'absent', 'settledInside');
    fc.assert(
      fc.property(fc.array(fate, { minLength: 1, maxLength: 8 }), fc.boolean(), (fates, otherPending) => {
        const w = createWorld();
        addNetns(w, 'node');
        if (otherPending) {
          addNetns(w, 'other');
          deferReplacement(w, 'other', { addressesIn: [], run: () => void addNetns(w, 'other') });
        }
        const names = fates.map((_, i) => `p${i}`);
        const d = deferNetns(w, {
          host: 'node',
          addressesIn: [],
          run: () => {
            fates.forEach((f, i) => {
              const name = names[i] as string;
              if (f === 'absent') return;
              addNetns(w, name);
              if (f === 'created') return;
              deferReplacement(w, name, { addressesIn: [], run: () => void addNetns(w, name) });
              if (f === 'settledInside') void w.netns[name];
            });
          },
        });
        for (const n of names) d.creates(n);
        void w.netns['node'];
        const kept = names.filter((_, i) => fates[i] !== 'absent');
        expect(Object.keys(w.netns)).toEqual(['node', ...(otherPending ? ['other'] : []), ...kept]);
        expect(kept.map((n) => hasDeferredNetns(w, n))).toEqual(fates.filter((f) => f !== 'absent').map((f) => f === 'deferred'));
        expect(otherPending ? hasDeferredNetns(w, 'other') : false).toBe(otherPending);
      }),
      { numRuns: 200 },
    );
  });
});
