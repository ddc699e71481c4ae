import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../cluster/assemble/cluster.js';
import { RACK_NODES, meshSpeakers } from '../../test/helpers/bird-speakers.js';
import { exportBird } from './export.js';

/** Only what exportBird reads of a built cluster (the wiring of BuiltCluster.bgp lands elsewhere). */
const built = (withBgp: boolean) =>
  ({
    spec: { cluster: { cni: { type: 'calico' } } },
    ...(withBgp ? { bgp: { speakers: meshSpeakers(RACK_NODES), result: { time: 0, convergedAt: 0, speakers: {}, events: [] } } } : {}),
  }) as unknown as BuiltCluster;

describe('exportBird', () => {
  it("prints the named speaker's bird.conf", () => {
    const out = exportBird(built(true), 'node-2');
    expect('text' in out && out.text).toMatch(/^router id 192\.168\.1\.12;$/m);
  });
  it('lists the speakers when the name is not one', () => {
    expect(exportBird(built(true), 'pod-a')).toEqual({ problem: 'pod-a runs no BGP speaker; the speakers are: node-1, node-2, node-3' });
  });
  it('says there is no BGP when BuiltCluster.bgp is absent', () => {
    expect(exportBird(built(false), 'node-1')).toEqual({ problem: expect.stringMatching(/^no BGP in this scenario \(cni calico\)/) });
  });
});
