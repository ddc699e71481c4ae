import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp, ip } from '../addr/index.js';
import { allReachable, block, peer, protoName, speaker } from '../../test/helpers/bgp.js';
import { runBgp } from './sim.js';
import type { BgpRouteView, BgpSpeakerConfig } from './types.js';

const show = (r: BgpRouteView) => `${formatCidr(r.prefix)} ${r.protocol}${r.nextHop ? ` nh=${formatIp(r.nextHop)}` : ''} path=[${r.asPath.join(' ')}]${r.originatorId ? ` orig=${formatIp(r.originatorId)}` : ''}${r.clusterList.length ? ` cl=${r.clusterList.map(formatIp).join(',')}` : ''}${r.best ? ' *' : ''}`;

/** 5 nodes, mesh off; node-1 and node-2 are route reflectors with cluster id 244.0.0.1. */
function rrDesign(): BgpSpeakerConfig[] {
  const ips = ['192.168.1.1', '192.168.1.2', '192.168.1.3', '192.168.1.4', '192.168.1.5'];
  const rrs = ips.slice(0, 2);
  return ips.map((own, i) => {
    const isRr = i < 2;
    const peers = rrs
      .filter((p) => p !== own)
      .map((p) => peer(p, { protocol: protoName('Node', p), peerType: 'global', sourceAddress: ip(own), passive: false }));
    if (isRr) for (const c of ips.slice(2)) peers.push(peer(c, { protocol: protoName('Node', c), peerType: 'global', sourceAddress: ip(own), rrClient: true, passive: true }));
    return speaker(`node-${i + 1}`, own, { originate: [block(`10.244.${i}.0/26`)], peers, ...(isRr ? { rrClusterId: '244.0.0.1' } : {}) });
  });
}

describe('route reflectors', () => {
  it('5 nodes, 2 RRs with one cluster id: clients keep the original next hop, no loops', () => {
    const r = runBgp({ speakers: rrDesign(), reachable: allReachable });
    for (const n of ['node-1', 'node-2', 'node-3', 'node-4', 'node-5']) {
      expect(r.speakers[n]!.sessions.every((s) => s.info === 'Established')).toBe(true);
      const best = r.speakers[n]!.routes.filter((x) => x.best);
      expect(best.map((x) => formatCidr(x.prefix))).toEqual([0, 1, 2, 3, 4].map((i) => `10.244.${i}.0/26`));
      for (const x of best) {
        const origin = Number(formatCidr(x.prefix).split('.')[2]);
        if (x.protocol === 'static1') continue;
        expect(formatIp(x.nextHop!)).toBe(`192.168.1.${origin + 1}`);
      }
    }
    // node-3 learns node-4's block from both RRs: reflected (ORIGINATOR_ID, CLUSTER_LIST), RR with the lower address wins.
    expect(r.speakers['node-3']!.routes.filter((x) => formatCidr(x.prefix) === '10.244.3.0/26').map(show)).toEqual([
      '10.244.3.0/26 Node_192_168_1_1 nh=192.168.1.4 path=[] orig=192.168.1.4 cl=244.0.0.1 *',
      '10.244.3.0/26 Node_192_168_1_2 nh=192.168.1.4 path=[] orig=192.168.1.4 cl=244.0.0.1',
    ]);
    // The RRs drop each other's reflections (own cluster id in CLUSTER_LIST): one candidate per client block.
    expect(r.speakers['node-2']!.routes.filter((x) => formatCidr(x.prefix) === '10.244.3.0/26').map(show)).toEqual(['10.244.3.0/26 Node_192_168_1_4 nh=192.168.1.4 path=[] *']);
    // A client does not take its own route back (ORIGINATOR_ID = its router id) and is not sent it by the RR it came from.
    expect(r.speakers['node-3']!.routes.filter((x) => formatCidr(x.prefix) === '10.244.2.0/26').map(show)).toEqual(['10.244.2.0/26 static1 path=[] *']);
    // Non-client RR routes reach clients; the RR's own block goes to the other RR (non-client, own route).
    expect(r.speakers['node-2']!.routes.filter((x) => formatCidr(x.prefix) === '10.244.0.0/26').map(show)).toEqual(['10.244.0.0/26 Node_192_168_1_1 nh=192.168.1.1 path=[] *']);
    const rr1 = r.speakers['node-1']!.sessions;
    expect(rr1.map((s) => `${s.protocol} ${s.imported}/${s.exported}`)).toEqual([
      'Node_192_168_1_2 1/4', // own block + 3 client blocks to the other RR
      'Node_192_168_1_3 1/4', // everything but the client's own block
      'Node_192_168_1_4 1/4',
      'Node_192_168_1_5 1/4',
    ]);
  });

  it('without an RR, iBGP-learned routes are not passed on (split horizon)', () => {
    const a = speaker('a', '10.0.0.1', { peers: [peer('10.0.0.2')], originate: [block('10.244.1.0/26')] });
    const b = speaker('b', '10.0.0.2', { peers: [peer('10.0.0.1', { passive: true }), peer('10.0.0.3')] });
    const c = speaker('c', '10.0.0.3', { peers: [peer('10.0.0.2', { passive: true })] });
    const r = runBgp({ speakers: [a, b, c], reachable: allReachable });
    expect(r.speakers.b!.routes.map(show)).toEqual(['10.244.1.0/26 Mesh_10_0_0_1 nh=10.0.0.1 path=[] *']);
    expect(r.speakers.c!.routes).toEqual([]);
  });
});

/** Two racks, ToR routers tor-1 (AS 65001) and tor-2 (AS 65002) peering over 172.16.0.0/30; one AS per node; mesh off. */
function torDesign(): BgpSpeakerConfig[] {
  const node = (name: string, addr: string, as: number, tor: string, torAs: number, blk: string) =>
    speaker(name, addr, { as, originate: [block(blk)], peers: [peer(tor, { protocol: protoName('Node', tor), peerType: 'global', peerAs: torAs, localAs: as, multihop: false, sourceAddress: ip(addr) })] });
  const torPeer = (p: string, as: number, localAs: number, src: string, multihop = false) =>
    peer(p, { protocol: `Peer_${p.replace(/\./g, '_')}`, peerType: 'external', peerAs: as, localAs, multihop, passive: true, sourceAddress: ip(src) });
  return [
    node('a1', '10.1.0.11', 65101, '10.1.0.1', 65001, '10.244.1.0/26'),
    node('a2', '10.1.0.12', 65102, '10.1.0.1', 65001, '10.244.2.0/26'),
    node('b1', '10.2.0.11', 65201, '10.2.0.1', 65002, '10.244.3.0/26'),
    speaker('tor-1', '10.1.0.1', {
      kind: 'router',
      as: 65001,
      extraAddresses: ['172.16.0.1'],
      peers: [torPeer('10.1.0.11', 65101, 65001, '10.1.0.1'), torPeer('10.1.0.12', 65102, 65001, '10.1.0.1'), { ...torPeer('172.16.0.2', 65002, 65001, '172.16.0.1'), passive: false }],
    }),
    speaker('tor-2', '10.2.0.1', {
      kind: 'router',
      as: 65002,
      extraAddresses: ['172.16.0.2'],
      peers: [torPeer('10.2.0.11', 65201, 65002, '10.2.0.1'), torPeer('172.16.0.1', 65001, 65002, '172.16.0.2')],
    }),
  ];
}

describe('eBGP ToR peering', () => {
  it('AS paths grow per hop; next hop self across racks, the node itself inside a rack', () => {
    const r = runBgp({ speakers: torDesign(), reachable: allReachable });
    expect(r.speakers.b1!.routes.map(show)).toEqual([
      '10.244.1.0/26 Node_10_2_0_1 nh=10.2.0.1 path=[65002 65001 65101] *',
      '10.244.2.0/26 Node_10_2_0_1 nh=10.2.0.1 path=[65002 65001 65102] *',
      '10.244.3.0/26 static1 path=[] *',
    ]);
    expect(r.speakers['tor-2']!.routes.map(show)).toEqual([
      '10.244.1.0/26 Peer_172_16_0_1 nh=172.16.0.1 path=[65001 65101] *',
      '10.244.2.0/26 Peer_172_16_0_1 nh=172.16.0.1 path=[65001 65102] *',
      '10.244.3.0/26 Peer_10_2_0_11 nh=10.2.0.11 path=[65201] *',
    ]);
    // Same rack: tor-1 hands a1's route to a2 between two single-hop sessions on one interface: next hop a1 (BIRD's third-party next hop).
    expect(r.speakers.a2!.routes.map(show)[0]).toBe('10.244.1.0/26 Node_10_1_0_1 nh=10.1.0.11 path=[65001 65101] *');
    expect(r.speakers.a1!.routes.every((x) => !x.internal)).toBe(true);
  });

  it('a route with our own AS in the path is dropped on import', () => {
    const design = torDesign().map((s) => (s.name === 'a2' ? { ...s, asNumber: 65101, peers: s.peers.map((p) => ({ ...p, localAs: 65101 })) } : s));
    const tor = design.find((s) => s.name === 'tor-1')!;
    const fixed = design.map((s) => (s === tor ? { ...tor, peers: tor.peers.map((p) => (formatIp(p.peerIp) === '10.1.0.12' ? { ...p, peerAs: 65101 } : p)) } : s));
    const r = runBgp({ speakers: fixed, reachable: allReachable });
    expect(r.speakers.a2!.routes.map((x) => formatCidr(x.prefix))).not.toContain('10.244.1.0/26');
  });
});
