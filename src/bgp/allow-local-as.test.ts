import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp } from '../addr/index.js';
import { allReachable } from '../../test/helpers/bgp.js';
import { RACK_NODES, torNodeSpeakers, torSpeaker } from '../../test/helpers/bird-speakers.js';
import { runBgp } from './sim.js';

const ROUTER = ['192.168.1.1', '192.168.2.1'];
const best = (r: ReturnType<typeof runBgp>, n: string) =>
  r.speakers[n]!.routes.filter((x) => x.best && x.nextHop !== undefined).map((x) => `${formatCidr(x.prefix)} nh=${formatIp(x.nextHop!)}`);

describe('allow local as (what BIRD 2 does, test/kernel/bgp/bird.diff.test.ts)', () => {
  it('nodes of one AS behind a ToR take each other\'s routes back with allow local as 1; third-party next hop on the shared rack', () => {
    const speakers = [...torNodeSpeakers(RACK_NODES, ROUTER, 65001), torSpeaker('tor', ROUTER, 65001, RACK_NODES)];
    const r = runBgp({ speakers, reachable: allReachable });
    expect(best(r, 'node-1')).toEqual(['10.244.2.0/26 nh=192.168.1.12', '10.244.3.0/26 nh=192.168.1.1', '10.244.3.64/26 nh=192.168.1.1']);
  });
  it('without it the AS path loop check rejects them (BIRD\'s default 0)', () => {
    const speakers = [
      ...torNodeSpeakers(RACK_NODES, ROUTER, 65001).map((s) => ({ ...s, peers: s.peers.map(({ allowLocalAs: _, ...p }) => p) })),
      torSpeaker('tor', ROUTER, 65001, RACK_NODES),
    ];
    expect(best(runBgp({ speakers, reachable: allReachable }), 'node-1')).toEqual([]);
  });
});
