import { describe, expect, it } from 'vitest';
import { formatCidr } from '../addr/index.js';
import { fullMesh, owners, reachableUnlessDown } from '../../test/helpers/bgp.js';
import { runBgp } from './sim.js';
import type { BgpResult, BgpSimInput } from './types.js';
import { RESTART_DOWNTIME_S } from './failures.js';

const mesh = fullMesh(3);
const reachable = reachableUnlessDown(owners(mesh));

function bestOf(r: BgpResult, n: string): string[] {
  return r.speakers[n]!.routes.filter((x) => x.best).map((x) => formatCidr(x.prefix));
}
function run(extra: Partial<BgpSimInput>): BgpResult {
  return runBgp({ speakers: mesh, reachable, ...extra });
}
const BLOCK3 = '10.244.2.0/26';

describe('node failure (hold timer)', () => {
  const failures = [{ at: 10, kind: 'speaker', speaker: 'node-3' }] as const;

  it('routes stay until the hold timer expires, then go', () => {
    const before = run({ failures, until: 100 });
    expect(bestOf(before, 'node-1')).toContain(BLOCK3);
    expect(before.speakers['node-1']!.sessions[1]).toMatchObject({ state: 'up', info: 'Established' });
    expect(before.speakers['node-3']!.running).toBe(false);
    expect(before.speakers['node-3']!.sessions.every((s) => s.state === 'down')).toBe(true);

    const after = run({ failures });
    for (const n of ['node-1', 'node-2']) expect(bestOf(after, n)).not.toContain(BLOCK3);
    // last message heard at 2.004 (the UPDATE), 240 s hold
    expect(after.convergedAt).toBe(242.004);
    expect(after.speakers['node-1']!.sessions[1]).toMatchObject({ state: 'start', fsm: 'Idle', info: 'Passive BGP Error: Hold timer expired', since: 242.004 });
    // node-2 is passive towards node-3 too (its address is lower); nobody retries forever
    expect(after.time).toBeLessThan(250);
  });

  it('timeline: failure, hold expiry at each peer, withdrawals', () => {
    const r = run({ failures });
    const lines = r.events.filter((e) => e.time >= 10).map((e) => `${e.time} ${e.speaker} ${e.kind} ${e.text}`);
    expect(lines).toEqual([
      '10 node-3 failure node-3 fails: the machine stops, nothing answers',
      '242.004 node-1 hold-expired Mesh_192_168_1_12: Error: Hold timer expired',
      '242.004 node-1 session Mesh_192_168_1_12: Error: Hold timer expired',
      '242.004 node-1 route-withdraw Mesh_192_168_1_12 > removed 10.244.2.0/26',
      '242.004 node-1 best-change 10.244.2.0/26: no route left',
      '242.004 node-2 hold-expired Mesh_192_168_1_12: Error: Hold timer expired',
      '242.004 node-2 session Mesh_192_168_1_12: Error: Hold timer expired',
      '242.004 node-2 route-withdraw Mesh_192_168_1_12 > removed 10.244.2.0/26',
      '242.004 node-2 best-change 10.244.2.0/26: no route left',
    ]);
  });

  it('the last keepalive counts: a failure after a keepalive interval expires later', () => {
    const r = run({ failures: [{ at: 100, kind: 'speaker', speaker: 'node-3' }] });
    // keepalives every 80 s from 2.003: the one sent at 82.003 arrives at 82.004
    expect(r.convergedAt).toBe(322.004);
  });
});

describe('link failure', () => {
  it('sessions over the link die by hold timer on both sides; reconnects fail with the socket error', () => {
    const r = run({ failures: [{ at: 10, kind: 'link', speaker: 'node-3', dev: 'eth0' }] });
    expect(bestOf(r, 'node-1')).not.toContain(BLOCK3);
    expect(bestOf(r, 'node-3')).toEqual([BLOCK3]);
    expect(r.speakers['node-3']!.running).toBe(true);
    expect(r.speakers['node-3']!.sessions.map((s) => s.info)).toEqual(['Active Socket: Network is unreachable', 'Active Socket: Network is unreachable']);
    expect(r.events.filter((e) => e.kind === 'hold-expired').map((e) => e.speaker)).toEqual(['node-1', 'node-2', 'node-3', 'node-3']);
  });

  it('a directly connected session on the failing speaker drops at once (Neighbor lost)', () => {
    const direct = fullMesh(2, { multihop: false });
    const r = runBgp({ speakers: direct, reachable: reachableUnlessDown(owners(direct)), failures: [{ at: 10, kind: 'link', speaker: 'node-2', dev: 'eth0' }], until: 20 });
    expect(r.speakers['node-2']!.sessions[0]!.info).toBe('Active Socket: Network is unreachable');
    expect(r.events.some((e) => e.speaker === 'node-2' && e.text.includes('Neighbor 192.168.1.10 lost'))).toBe(true);
    expect(r.speakers['node-1']!.sessions[0]!.info).toBe('Established');
  });
});

describe('BIRD restart with graceful restart', () => {
  const failures = [{ at: 10, kind: 'restart', speaker: 'node-3' }] as const;

  it('peers keep the routes stale until the restarted speaker sends End-of-RIB', () => {
    const during = run({ failures, until: 12 });
    const stale = during.speakers['node-1']!.routes.find((x) => formatCidr(x.prefix) === BLOCK3)!;
    expect(stale).toMatchObject({ stale: true, best: true });
    expect(during.speakers['node-1']!.sessions[1]).toMatchObject({ state: 'start', info: 'Passive Socket: Connection closed' });
    expect(during.speakers['node-3']!.routes).toEqual([]);

    const after = run({ failures });
    const fresh = after.speakers['node-1']!.routes.find((x) => formatCidr(x.prefix) === BLOCK3)!;
    expect(fresh).toMatchObject({ stale: false, best: true });
    // back after the downtime, connect delay 2 s, handshake 3 ms, UPDATE 1 ms
    expect(fresh.since).toBe(10 + RESTART_DOWNTIME_S + 2.004);
    expect(bestOf(after, 'node-3')).toEqual(['10.244.0.0/26', '10.244.1.0/26', BLOCK3]);
    expect(after.events.filter((e) => e.kind === 'route-withdraw' && e.prefix !== undefined && formatCidr(e.prefix) === BLOCK3)).toEqual([]);
  });

  it('stale routes go when the restart time runs out', () => {
    // node-3's link goes down while BIRD is away: it comes back but cannot reconnect.
    const lost = run({ failures: [...failures, { at: 11, kind: 'link', speaker: 'node-3', dev: 'eth0' }] });
    expect(bestOf(lost, 'node-1')).not.toContain(BLOCK3);
    const ev = lost.events.filter((e) => e.speaker === 'node-1' && (e.kind === 'route-withdraw' || e.text.includes('Graceful'))).map((e) => `${e.time} ${e.text}`);
    expect(ev).toEqual(['130.001 Mesh_192_168_1_12: Graceful restart timer expired', '130.001 Mesh_192_168_1_12 > removed 10.244.2.0/26']);
  });

  it('without graceful restart the routes go at once', () => {
    const noGr = fullMesh(3, { gracefulRestart: false });
    const r = runBgp({ speakers: noGr, reachable: reachableUnlessDown(owners(noGr)), failures, until: 12 });
    expect(bestOf(r, 'node-1')).not.toContain(BLOCK3);
  });
});

describe('failure during the handshake', () => {
  it('a restart while OPENs are in flight: the peer retries and the session comes up once BIRD is back', () => {
    const r = run({ failures: [{ at: 2.001, kind: 'restart', speaker: 'node-1' }] });
    for (const v of Object.values(r.speakers)) expect(v.sessions.map((s) => s.info)).toEqual(['Established', 'Established']);
    expect(bestOf(r, 'node-2')).toEqual(['10.244.0.0/26', '10.244.1.0/26', BLOCK3]);
  });
});

describe('failures in sequence', () => {
  it('a restart behind a broken link: the peers hear no FIN and wait for the hold timer', () => {
    const r = run({ failures: [{ at: 10, kind: 'link', speaker: 'node-3', dev: 'eth0' }, { at: 20, kind: 'restart', speaker: 'node-3' }] });
    const withdrawn = r.events.filter((e) => e.speaker === 'node-1' && e.kind === 'route-withdraw').map((e) => e.time);
    expect(withdrawn).toEqual([242.004]);
    expect(r.events.some((e) => e.speaker === 'node-1' && e.kind === 'route-stale')).toBe(false);
  });
});
