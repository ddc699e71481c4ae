import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp, ip, ipCompare, type Ip } from '../addr/index.js';
import { allReachable, block, fullMesh, owners, peer, reachableUnlessDown, speaker } from '../../test/helpers/bgp.js';
import { runBgp } from './sim.js';
import type { BgpFailure, BgpResult, BgpRouteView, BgpSpeakerConfig } from './types.js';

const PREFIXES = ['10.244.0.0/26', '10.244.0.64/26', '10.244.1.0/26', '10.96.0.0/12', '10.244.7.0/24'];
const ASES = [64512, 65001, 65002];

interface Topo {
  readonly speakers: BgpSpeakerConfig[];
  readonly failures: BgpFailure[];
}

/** A random topology: speakers in a few ASes, random peerings (both sides consistent), RRs, shared (anycast) prefixes, failures. */
const topoArb: fc.Arbitrary<Topo> = fc
  .record({
    n: fc.integer({ min: 2, max: 7 }),
    as: fc.array(fc.constantFrom(...ASES), { minLength: 7, maxLength: 7 }),
    rr: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    edges: fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.boolean(), fc.boolean()), { maxLength: 16 }),
    orig: fc.array(fc.tuple(fc.nat(6), fc.nat(PREFIXES.length - 1)), { maxLength: 10 }),
    fails: fc.array(fc.tuple(fc.nat(6), fc.integer({ min: 1, max: 400 }), fc.constantFrom<BgpFailure['kind']>('speaker', 'link', 'restart')), { maxLength: 2 }),
  })
  .map(({ n, as, rr, edges, orig, fails }) => {
    const addr = (i: number) => `10.0.0.${i + 1}`;
    const peers: BgpSpeakerConfig['peers'][number][][] = Array.from({ length: n }, () => []);
    const seen = new Set<string>();
    for (const [x, y, client, passive] of edges) {
      const a = x % n;
      const b = y % n;
      const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      const ibgp = as[a] === as[b];
      peers[a]!.push(peer(addr(b), { protocol: `P_${b}`, peerAs: as[b]!, localAs: as[a]!, passive, rrClient: ibgp && rr[a]! && client, sourceAddress: ip(addr(a)), holdTime: 9, keepaliveTime: 3 }));
      peers[b]!.push(peer(addr(a), { protocol: `P_${a}`, peerAs: as[a]!, localAs: as[b]!, passive: false, rrClient: ibgp && rr[b]! && !client, sourceAddress: ip(addr(b)), holdTime: 9, keepaliveTime: 3 }));
    }
    const speakers = Array.from({ length: n }, (_, i) =>
      speaker(`s${i}`, addr(i), {
        as: as[i]!,
        peers: peers[i]!,
        originate: [...new Set(orig.filter(([s]) => s % n === i).map(([, p]) => PREFIXES[p]!))].map(block),
        ...(rr[i] ? { rrClusterId: `244.0.0.${1 + (i % 2)}` } : {}),
      }),
    );
    const failures = fails.map(([s, at, kind]) => ({ at, kind, speaker: `s${s % n}`, ...(kind === 'link' ? { dev: 'eth0' } : {}) }));
    return { speakers, failures };
  });

function sortedEvents(r: BgpResult): string[] {
  return r.events.map((e) => `${e.time} ${e.speaker} ${e.kind} ${e.text}`).sort();
}

/** Brute force: eliminate candidates criterion by criterion (BIRD's order; MED is 0 everywhere here). */
function bruteBest(cands: readonly BgpRouteView[], routerIdOf: (from: Ip) => Ip): BgpRouteView {
  let left = [...cands];
  const keep = <T>(key: (r: BgpRouteView) => T, cmp: (a: T, b: T) => number) => {
    const best = left.map(key).reduce((m, v) => (cmp(v, m) < 0 ? v : m));
    left = left.filter((r) => cmp(key(r), best) === 0);
  };
  const num = (a: number, b: number) => a - b;
  keep((r) => -r.preference, num);
  if (left[0]!.fromIp === undefined) {
    keep((r) => r.protocol, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return left[0]!;
  }
  keep((r) => -r.localPref, num);
  keep((r) => r.asPath.length, num);
  keep((r) => ['IGP', 'EGP', 'Incomplete'].indexOf(r.origin), num);
  keep((r) => (r.internal ? 1 : 0), num);
  keep((r) => r.originatorId ?? routerIdOf(r.fromIp!), ipCompare);
  keep((r) => r.clusterList.length, num);
  keep((r) => r.fromIp!, ipCompare);
  return left[0]!;
}

describe('runBgp properties', () => {
  it('the result does not depend on the order of input.speakers', () => {
    fc.assert(
      fc.property(topoArb, fc.func(fc.integer()), ({ speakers, failures }, f) => {
        const reachable = reachableUnlessDown(owners(speakers));
        const shuffled = [...speakers].map((s, i) => ({ s, k: f(i) })).sort((a, b) => a.k - b.k).map((x) => x.s);
        const a = runBgp({ speakers, failures, reachable });
        const b = runBgp({ speakers: shuffled, failures, reachable });
        expect(b.speakers).toEqual(a.speakers);
        expect(sortedEvents(b)).toEqual(sortedEvents(a));
        expect([b.time, b.convergedAt]).toEqual([a.time, a.convergedAt]);
      }),
      { numRuns: 60 },
    );
  });

  it('the best route equals a brute-force selection over the candidates, at every speaker, at any stopping time', () => {
    fc.assert(
      fc.property(topoArb, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), ({ speakers, failures }, until) => {
        const reachable = reachableUnlessDown(owners(speakers));
        const r = runBgp({ speakers, failures, reachable, ...(until === undefined ? {} : { until }) });
        const routerIdOf = (from: Ip) => speakers.find((s) => s.addresses.some((a) => a.value === from.value))!.routerId;
        for (const v of Object.values(r.speakers)) {
          const byPrefix = new Map<string, BgpRouteView[]>();
          for (const x of v.routes) byPrefix.set(formatCidr(x.prefix), [...(byPrefix.get(formatCidr(x.prefix)) ?? []), x]);
          for (const [p, cands] of byPrefix) {
            const chosen = cands.filter((c) => c.best);
            expect(chosen, `${v.name} ${p}`).toHaveLength(1);
            expect(chosen[0], `${v.name} ${p}`).toBe(cands[0]);
            expect(bruteBest(cands, routerIdOf), `${v.name} ${p}`).toBe(chosen[0]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('after BIRD restarts (at any moment, even mid-handshake), every session comes back up', () => {
    fc.assert(
      fc.property(topoArb, fc.array(fc.tuple(fc.nat(6), fc.integer({ min: 0, max: 4000 })), { minLength: 1, maxLength: 3 }), ({ speakers }, restarts) => {
        const failures = restarts.map(([i, at]) => ({ at: at / 1000, kind: 'restart' as const, speaker: speakers[i % speakers.length]!.name }));
        const r = runBgp({ speakers, failures, reachable: allReachable, recordEvents: false });
        for (const v of Object.values(r.speakers)) for (const s of v.sessions) expect(`${v.name} ${s.protocol} ${s.info}`).toBe(`${v.name} ${s.protocol} Established`);
        for (const v of Object.values(r.speakers)) expect(v.routes.some((x) => x.stale)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("in a random full mesh every node's Loc-RIB holds exactly every node's exported prefixes", () => {
    const pool = ['10.244.0.0/26', '10.244.0.64/26', '10.244.3.0/26', '10.96.0.0/12', '192.0.2.0/24', '10.244.9.128/25'];
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.array(fc.subarray(pool), { minLength: 9, maxLength: 9 }), (n, owned) => {
        const mesh = fullMesh(n).map((s, i) => ({ ...s, originate: owned[i]!.map(block) }));
        const r = runBgp({ speakers: mesh, reachable: allReachable, recordEvents: false });
        const exported = (p: string) => p.startsWith('10.244.');
        for (let i = 0; i < n; i++) {
          const want = new Set(owned[i]!);
          for (let j = 0; j < n; j++) if (j !== i) for (const p of owned[j]!) if (exported(p)) want.add(p);
          const got = r.speakers[`node-${i + 1}`]!.routes.filter((x) => x.best).map((x) => formatCidr(x.prefix));
          expect(new Set(got)).toEqual(want);
          expect(got).toHaveLength(want.size);
          for (const x of r.speakers[`node-${i + 1}`]!.routes) if (x.fromIp !== undefined) expect(formatIp(x.nextHop!)).toBe(formatIp(x.fromIp));
        }
      }),
      { numRuns: 100 },
    );
  });
});
