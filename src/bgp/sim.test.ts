import { describe, expect, it } from 'vitest';
import { formatCidr, formatIp } from '../addr/index.js';
import { allReachable, fullMesh, nodeBlock, nodeIp } from '../../test/helpers/bgp.js';
import { runBgp } from './sim.js';

describe('runBgp: full mesh', () => {
  it('3 nodes: every node ends with the others\' blocks, next hop = originator', () => {
    const speakers = fullMesh(3);
    const r = runBgp({ speakers, reachable: allReachable });
    for (let i = 0; i < 3; i++) {
      const v = r.speakers[`node-${i + 1}`]!;
      expect(v.sessions.map((s) => s.info)).toEqual(['Established', 'Established']);
      const best = v.routes.filter((x) => x.best);
      expect(best.map((x) => formatCidr(x.prefix)).sort()).toEqual([0, 1, 2].map(nodeBlock).sort());
      for (const x of best) {
        const j = [0, 1, 2].find((k) => nodeBlock(k) === formatCidr(x.prefix))!;
        if (j === i) expect(x.protocol).toBe('static1');
        else {
          expect(formatIp(x.nextHop!)).toBe(nodeIp(j));
          expect(x.internal).toBe(true);
          expect(x.asPath).toEqual([]);
        }
      }
    }
    expect(r.convergedAt).toBeGreaterThan(2);
    expect(r.convergedAt).toBeLessThan(3);
  });
});
