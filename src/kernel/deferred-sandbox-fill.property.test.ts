/**
 * A sandbox shell filled when first read (deferred-sandbox.ts), its device coming up again there
 * with link.ts setFilledLinkUp, against the eager ADD's verbs: on random hosts (a bridge pinned
 * or not, ports whose far ends are up or down, dummies up or down, IPv6 forwarding on or off,
 * devices indexed or scanned), random pods joining the bridge, and random host events after the
 * ADDs (a device's link-local address removed, a pod's host end's among them; a dummy added, up
 * or not; a far end coming up), the pods read before, between or after the events: the world is
 * the same to the last detail as when each pod's verbs ran at its ADD.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cidr } from '../addr/cidr.js';
import type { Mac } from '../addr/mac.js';
import { dumpLinkState, hostAndOther } from '../../test/helpers/kernel.js';
import { addAddress, delAddress } from './addr.js';
import { addSandboxShell, deferSandbox, inSandboxLater } from './deferred-sandbox.js';
import { addBridge, addDummy, addVeth, addVethEnd, setFilledLinkUp, setLinkUp, setShellLinkUp } from './link/link.js';
import { setLinkIndexing } from './link/link-index.js';
import { setMac, setMaster } from './link/port.js';
import { addNetnsLoopbackUp } from './netns-template.js';
import { type World, getNetns } from './world.js';

const MOSTLY = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false));
const HOST = fc.record({
  pin: fc.boolean(),
  ports: fc.array(fc.record({ up: MOSTLY, farUp: MOSTLY }), { maxLength: 3 }),
  dummies: fc.array(MOSTLY, { maxLength: 5 }),
  v6Forwarding: fc.boolean(),
  pods: fc.integer({ min: 1, max: 4 }),
  indexFrom: fc.constantFrom(undefined, 1, 6, 16),
});
const EVENT = fc.oneof(
  fc.record({ kind: fc.constant('forget' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dummy' as const), up: fc.boolean() }),
  fc.record({ kind: fc.constant('farUp' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('read' as const), at: fc.nat() }),
);

type HostShape = typeof HOST extends fc.Arbitrary<infer T> ? T : never;
type Event = typeof EVENT extends fc.Arbitrary<infer T> ? T : never;

/** Host `h` with bridge `cni0` (10.244.1.1/24), ports `p…` paired with `o`, dummies `d…`. */
function build(s: HostShape): World {
  const { w, h } = hostAndOther(s.v6Forwarding, s.dummies);
  addBridge(h, 'cni0');
  setLinkUp(w, 'h', 'cni0');
  s.ports.forEach((p, i) => {
    addVeth(w, { ns: 'h', name: `p${i}`, peer: `o${i}`, peerNs: 'o' });
    if (p.up) setLinkUp(w, 'h', `p${i}`);
    if (p.farUp) setLinkUp(w, 'o', `o${i}`);
    setMaster(w, 'h', `p${i}`, 'cni0');
  });
  addAddress(h, { dev: 'cni0', cidr: cidr('10.244.1.1/24') });
  if (s.pin) setMac(h, 'cni0', '0a:58:0a:f4:01:01' as Mac);
  return w;
}

/**
 * Pod `podI` as the bridge plugin's ADD makes it: `eager`, verb by verb in its namespace; else in
 * a shell, the pod's side queued for the fill (its device up there with setFilledLinkUp).
 */
function addPod(w: World, i: number, eager: boolean): void {
  const pod = `pod${i}`;
  const end = { ns: pod, name: 'eth0', peer: `veth${i}`, peerNs: 'h' };
  const inPod = (): void => {
    addAddress(getNetns(w, pod), { dev: 'eth0', cidr: cidr(`10.244.1.${i + 2}/24`) });
  };
  if (eager) {
    addNetnsLoopbackUp(w, pod);
    addVeth(w, end);
  } else {
    addSandboxShell(w, pod);
    inSandboxLater(w, pod, () => void addNetnsLoopbackUp(w, pod));
    addVeth(w, end);
    inSandboxLater(w, pod, () => addVethEnd(w, end));
  }
  setLinkUp(w, 'h', end.peer);
  setMaster(w, 'h', end.peer, 'cni0');
  if (eager) {
    inPod();
    setLinkUp(w, pod, 'eth0');
  } else {
    inSandboxLater(w, pod, () => {
      inPod();
      setFilledLinkUp(w, pod, 'eth0');
    });
    setShellLinkUp(w, pod, 'eth0');
    deferSandbox(w, pod, [cidr(`10.244.1.${i + 2}/32`)]);
  }
}

/** A host event (or, `read`, a pod's namespace read: its fill, in the lazy world). */
function happen(w: World, s: HostShape, e: Event, n: number): void {
  const h = getNetns(w, 'h');
  if (e.kind === 'read') {
    void w.netns[`pod${e.at % s.pods}`];
  } else if (e.kind === 'forget') {
    const lls = h.addrs.filter((a) => a.cidr.addr.family === 6 && a.scope === 'link');
    const ll = lls[e.at % Math.max(1, lls.length)];
    if (ll !== undefined) delAddress(h, ll.dev, ll.cidr);
  } else if (e.kind === 'dummy') {
    addDummy(h, `e${n}`);
    if (e.up) setLinkUp(w, 'h', `e${n}`);
  } else if (s.ports.length > 0) {
    const far = getNetns(w, 'o').links[`o${e.at % s.ports.length}`];
    if (far !== undefined && !far.up) setLinkUp(w, 'o', far.name);
  }
}

function run(s: HostShape, events: readonly Event[], eager: boolean): string {
  const w = build(s);
  for (let i = 0; i < s.pods; i++) addPod(w, i, eager);
  events.forEach((e, n) => happen(w, s, e, n));
  for (const name of Object.keys(w.netns)) void w.netns[name];
  return dumpLinkState(w);
}

afterEach(() => void setLinkIndexing(6));

describe('a sandbox filled when first read (deferred-sandbox.ts, link.ts setFilledLinkUp)', () => {
  it('leaves what the eager ADD left, whatever happened to the host in between', () => {
    fc.assert(
      fc.property(HOST, fc.array(EVENT, { maxLength: 6 }), (s, events) => {
        const was = setLinkIndexing(s.indexFrom);
        try {
          expect(run(s, events, false)).toBe(run(s, events, true));
        } finally {
          setLinkIndexing(was);
        }
      }),
      { numRuns: 500 },
    );
  });
});
