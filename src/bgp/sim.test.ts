import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp, ip } from '../addr/index.js';
import { allReachable, block, fullMesh, nodeBlock, nodeIp, peer, speaker } from '../../test/helpers/bgp.js';
import { runBgp } from './sim.js';
import type { BgpResult } from './types.js';

function bestPrefixes(r: BgpResult, name: string): string[] {
  return r.speakers[name]!.routes.filter((x) => x.best).map((x) => formatCidr(x.prefix));
}

describe('runBgp: full mesh', () => {
  it("3 nodes: every node ends with the others' blocks, next hop = originator", () => {
    const r = runBgp({ speakers: fullMesh(3), reachable: allReachable });
    for (let i = 0; i < 3; i++) {
      const v = r.speakers[`node-${i + 1}`]!;
      expect(v.sessions.map((s) => [s.state, s.info])).toEqual([
        ['up', 'Established'],
        ['up', 'Established'],
      ]);
      expect(v.sessions.map((s) => [s.imported, s.exported])).toEqual([
        [1, 1],
        [1, 1],
      ]);
      const best = v.routes.filter((x) => x.best);
      expect(best.map((x) => formatCidr(x.prefix)).sort()).toEqual([0, 1, 2].map(nodeBlock).sort());
      for (const x of best) {
        const j = [0, 1, 2].find((k) => nodeBlock(k) === formatCidr(x.prefix))!;
        if (j === i) {
          expect([x.protocol, x.preference, x.blackhole]).toEqual(['static1', 200, true]);
        } else {
          expect([formatIp(x.nextHop!), formatIp(x.fromIp!), x.internal, x.asPath, x.localPref, x.origin]).toEqual([nodeIp(j), nodeIp(j), true, [], 100, 'IGP']);
          expect(x.protocol).toBe(`Mesh_${nodeIp(j).replace(/\./g, '_')}`);
        }
      }
    }
    // connect delay 2 s, then three latencies of handshake and one of UPDATE
    expect(r.convergedAt).toBe(2.004);
    expect(r.time).toBe(2.004);
  });

  it('is deterministic: the same input gives a deep-equal result', () => {
    const a = runBgp({ speakers: fullMesh(5), reachable: allReachable });
    const b = runBgp({ speakers: fullMesh(5), reachable: allReachable });
    expect(a).toEqual(b);
  });

  it('records nothing when recordEvents is false, with the same end state', () => {
    const a = runBgp({ speakers: fullMesh(4), reachable: allReachable });
    const b = runBgp({ speakers: fullMesh(4), reachable: allReachable, recordEvents: false });
    expect(b.events).toEqual([]);
    expect(b.speakers).toEqual(a.speakers);
    expect(a.events.length).toBeGreaterThan(0);
  });
});

describe('runBgp: session set-up', () => {
  it('passive rule: the passive side waits, the other connects', () => {
    const r = runBgp({ speakers: fullMesh(2), reachable: allReachable });
    const t = r.events.filter((e) => e.kind === 'session').map((e) => `${e.time} ${e.speaker} ${e.text}`);
    expect(t).toContain('0 node-1 Mesh_192_168_1_11: Started, waiting for the peer to connect (passive)');
    expect(t).toContain('2 node-2 Mesh_192_168_1_10: Connecting to 192.168.1.10 from local address 192.168.1.11');
    expect(t.some((l) => l.startsWith('2 node-1') && l.includes('Connecting'))).toBe(false);
  });

  it('both sides passive: never established, info Passive', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2', { passive: true })], originate: [block('10.244.1.0/26')] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.1', { passive: true })], originate: [block('10.244.2.0/26')] });
    const r = runBgp({ speakers: [a, b], reachable: allReachable });
    for (const n of ['a', 'b']) {
      expect(r.speakers[n]!.sessions[0]).toMatchObject({ state: 'start', fsm: 'Idle', info: 'Passive', since: 0 });
    }
    expect(bestPrefixes(r, 'a')).toEqual(['10.244.1.0/26']);
  });

  it('Bad peer AS: NOTIFICATION, never established, no endless retries', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2', { peerAs: 64999 })] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.1', { passive: true })] });
    const r = runBgp({ speakers: [a, b], reachable: allReachable });
    expect(r.speakers.a!.sessions[0]).toMatchObject({ state: 'start', fsm: 'Active', info: 'Active BGP Error: Bad peer AS' });
    expect(r.speakers.b!.sessions[0]).toMatchObject({ state: 'start', fsm: 'Idle', info: 'Passive Received: Bad peer AS' });
    expect(r.time).toBeLessThan(10);
  });

  it('unreachable peer: Active with the socket error, retries stop when nothing can change', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2')] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.1', { passive: true })] });
    const r = runBgp({ speakers: [a, b], reachable: (from) => (from === 'a' ? 'Host is unreachable' : true) });
    expect(r.speakers.a!.sessions[0]).toMatchObject({ state: 'start', fsm: 'Active', info: 'Active Socket: Host is unreachable', since: 2 });
    expect(r.time).toBe(2);
  });

  it('unreachable until a failure is pending: retries every connect retry time meanwhile', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2')] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.1', { passive: true })] });
    const c = speaker('c', '10.0.0.3');
    const r = runBgp({ speakers: [a, b, c], reachable: (from) => (from === 'a' ? 'Host is unreachable' : true), failures: [{ at: 20, kind: 'speaker', speaker: 'c' }] });
    expect(r.speakers.a!.sessions[0]!.since).toBe(22);
  });

  it('no speaker at the peer address: Connection refused', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.9')] });
    const r = runBgp({ speakers: [a], reachable: allReachable });
    expect(r.speakers.a!.sessions[0]!.info).toBe('Active Socket: Connection refused');
  });

  it('a speaker with no matching protocol: Connection refused', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2')] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.7')] });
    const r = runBgp({ speakers: [a, b], reachable: allReachable });
    expect(r.speakers.a!.sessions[0]!.info).toBe('Active Socket: Connection refused');
  });

  it('IPv6 sessions carry only IPv6 routes', () => {
    const a = speaker('a', 'fd00::1', { peers: [peer('fd00::2', { sourceAddress: ip('fd00::1') })], originate: [block('fd00:10:244:1::/122'), block('10.244.1.0/26')], exportWithin: ['fd00:10:244::/48', '10.244.0.0/16'] });
    const b = speaker('b', 'fd00::2', { peers: [peer('fd00::1', { passive: true })], originate: [block('fd00:10:244:2::/122')], exportWithin: ['fd00:10:244::/48'] });
    const r = runBgp({ speakers: [a, b], reachable: allReachable });
    expect(bestPrefixes(r, 'b')).toEqual(['fd00:10:244:1::/122', 'fd00:10:244:2::/122']);
    expect(bestPrefixes(r, 'a')).toEqual(['10.244.1.0/26', 'fd00:10:244:1::/122', 'fd00:10:244:2::/122']);
  });
});
